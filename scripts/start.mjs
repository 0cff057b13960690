// `npm start`: generates the demo repository (.demo/repo, a feature branch under review), prints
// its review from the CLI, then starts a real VS Code (code-server, installed offline on first use)
// on 127.0.0.1 with the extension installed and the review of the demo opened.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { startCodeServer } from './code-server-lib.mjs';
import { installUnpacked } from './extension-install.mjs';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const cli = resolve(root, 'dist/cli.js');
const repo = resolve(root, '.demo/repo');
const port = Number(process.env.PORT ?? 8080);

function run(args) {
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * A .demo/repo written before `demo` marked its repositories (.git/senior-review-demo) is refused
 * by `demo --dir`. It is ours when its only root commit is the demo's first one (fixed author, date
 * and subject), it has the demo's feature branch, and nothing in its work tree is uncommitted: then
 * it is removed and written anew, like any later demo. Anything else is left alone, with one line.
 */
function clearOldDemo() {
  if (!existsSync(repo) || existsSync(join(repo, '.git', 'senior-review-demo')) || readdirSync(repo).length === 0) return;
  const git = (...args) => {
    const r = spawnSync('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', '--no-optional-locks', ...args], {
      encoding: 'utf8',
      env: { ...process.env, GIT_DIR: join(repo, '.git'), GIT_WORK_TREE: repo, LC_ALL: 'C' },
    });
    return r.status === 0 ? r.stdout.trim() : null;
  };
  const ours = lstatSync(join(repo, '.git'), { throwIfNoEntry: false })?.isDirectory()
    && git('rev-list', '--max-parents=0', '--all', '--format=%an <%ae> %aI %s', '--no-commit-header') === 'Alice Archer <alice@example.com> 2024-02-06T09:00:00+00:00 Initial billing service'
    && git('rev-parse', '--verify', '--quiet', 'refs/heads/feature/volume-discounts') !== null
    && git('status', '--porcelain', '--untracked-files=all', '--ignored=no') === '';
  if (!ours) {
    console.error(`npm start: ${repo} is not a demo this script made and was not touched: move it away or delete it, then run npm start again`);
    process.exit(1);
  }
  rmSync(repo, { recursive: true, force: true });
}

clearOldDemo();
run(['demo', '--dir', repo]);
run(['analyze', '--repo', repo, '--format', 'markdown', '--no-impact']);
if (process.argv.includes('--cli-only')) process.exit(0);

const state = join(root, '.demo', 'vscode');
const extensionsDir = join(state, 'extensions');
mkdirSync(extensionsDir, { recursive: true });
installUnpacked(extensionsDir);
const server = await startCodeServer({
  folder: repo, port, userDataDir: join(state, 'user-data'), extensionsDir,
  env: { SENIOR_REVIEW_AUTO_OPEN: '1', SENIOR_REVIEW_AUTO_BASE: 'main' },
});
console.log(`\nSenior Review is running in VS Code at ${server.url}?folder=${encodeURIComponent(repo)}\nOpen it in a browser; the review of the demo opens by itself. Ctrl+C stops it.`);
process.on('SIGINT', () => { server.stop(); process.exit(0); });
process.on('SIGTERM', () => { server.stop(); process.exit(0); });
