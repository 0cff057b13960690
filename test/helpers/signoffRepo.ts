// A small repository under review for the sign-off tests: main with history, a feature branch by
// an author, and a reviewer identity configured.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { RepoBuilder, Person } from '../../src/demo/repoBuilder';
import { tempRepo } from './repos';

export const AUTHOR: Person = { name: 'Ada Author', email: 'ada@example.com' };
export const REVIEWER: Person = { name: 'Rita Reviewer', email: 'rita@example.com' };

export async function featureRepo(config?: object): Promise<RepoBuilder> {
  const r = await tempRepo('2025-01-01T00:00:00Z');
  const files: Record<string, string> = { 'src/a.ts': 'export function a() {\n  return 1;\n}\n', 'src/b.ts': 'export const b = 2;\n' };
  if (config) files['.senior-review.json'] = JSON.stringify(config, null, 2);
  await r.commit({ message: 'base', author: AUTHOR, files });
  await r.branch('feature');
  await r.checkout('feature');
  await r.commit({ message: 'Change a', author: AUTHOR, files: { 'src/a.ts': 'export function a() {\n  return 42;\n}\n' } });
  await r.commit({ message: 'Change b', author: AUTHOR, files: { 'src/b.ts': 'export const b = 3;\n' } });
  await r.git('config', 'user.name', REVIEWER.name);
  await r.git('config', 'user.email', REVIEWER.email);
  return r;
}

export const ALL_CHECKS = ['--check', 'architecture', '--check', 'side-effects', '--check', 'security', '--check', 'tests'];

/** Runs the built CLI (dist/cli.js) as a real process, as CI would. */
export function runBuiltCli(args: string[], cwd: string, env: Record<string, string> = {}): { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const cli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}
