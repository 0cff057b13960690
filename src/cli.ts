// The `senior-review` command-line entry: wires process streams and signals to runCli.

import { setFlagsFromString } from 'node:v8';
import { COMMANDS } from './cli/commandTable';
import { runCli } from './cli/runCli';

// A command that may start language servers keeps this process's young generation at its initial
// size (V8 doubles it up to 2 x 16 MB as objects survive): at the peak of a review the servers
// and this process run together. vite's 138-file range: this process 172-173 MB against 197-215
// MB at that moment (2 runs each), at 1.01 x the wall time (3 interleaved pairs). The factor is
// read each time V8 would grow the space, so setting it here, before any growth, takes effect.
// Only here, in the command's own process: the editor's extension host is not ours to tune.
// The commands that may start them are those that take the impact flags (IMPACT_FLAGS).
const command = COMMANDS.find((c) => c.name === process.argv[2]);
if (command && 'no-impact' in command.options && !process.argv.includes('--no-impact')) {
  setFlagsFromString('--semi-space-growth-factor=1');
}

const controller = new AbortController();
process.on('SIGINT', () => controller.abort());
process.on('SIGTERM', () => controller.abort());
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  signal: controller.signal,
  cwd: process.cwd(),
  env: process.env,
  stderrIsTTY: process.stderr.isTTY === true,
}).then((code) => {
  process.exitCode = code;
});
