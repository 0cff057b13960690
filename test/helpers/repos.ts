// Shared test helpers: throwaway repositories removed after each suite, and a CLI runner.

import { RepoBuilder } from '../../src/demo/repoBuilder';
import { runCli } from '../../src/cli/runCli';

const made: RepoBuilder[] = [];

export async function tempRepo(startDate?: string): Promise<RepoBuilder> {
  const r = await RepoBuilder.create({ startDate });
  made.push(r);
  return r;
}

export function cleanupRepos(): void {
  while (made.length) made.pop()!.cleanup();
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, as `senior-review ...args` would, capturing its output. */
export async function cli(args: string[], cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    signal: new AbortController().signal,
    cwd,
    env,
  });
  return { code, stdout, stderr };
}
