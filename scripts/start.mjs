// `npm start`: generates the demo repository (.demo/repo, a feature branch under review), prints
// its review from the CLI, then starts a real VS Code (code-server, installed offline on first use)
// on 127.0.0.1 with the extension installed and the review of the demo opened.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
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
