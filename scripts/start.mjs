// `npm start`: generates the demo repository under .demo/repo and runs the review analysis on it
// with the freshly built CLI, printing the Markdown report.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..');
const cli = resolve(root, 'dist/cli.js');
const repo = resolve(root, '.demo/repo');

function run(args) {
  const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(['demo', '--dir', repo]);
run(['analyze', '--repo', repo, '--format', 'markdown']);
