// Runs the built CLI (dist/cli.js) as a real child process without blocking this one, so a loopback
// server in the test process keeps answering while the CLI runs.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CliRun } from './repos';

/** `guardMs` only stops a hung child so that the test fails on its exit code instead of hanging. */
export function builtCli(args: string[], cwd: string, env: NodeJS.ProcessEnv, guardMs = 25_000): Promise<CliRun & { killed: boolean }> {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'dist', 'cli.js'), ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let killed = false;
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
  const guard = setTimeout(() => { killed = true; child.kill('SIGKILL'); }, guardMs);
  return new Promise((resolve) => child.on('close', (code) => {
    clearTimeout(guard);
    resolve({ code: code ?? -1, stdout, stderr, killed });
  }));
}
