// A small repository under review for the sign-off tests: main with history, a feature branch by
// an author, and a reviewer identity configured.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { RepoBuilder, Person } from '../../src/demo/repoBuilder';
import { openReview } from '../../src/core/signoff/reviewContext';
import { planSignoff } from '../../src/core/signoff/signoffPlan';
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

export const BOSS: Person = { name: 'Bo Boss', email: 'boss@example.com' };

export const CHECK_IDS = ['architecture', 'side-effects', 'security', 'tests'];

/** Runs git as a user would at a terminal in the repository (their config, fixed dates, the given committer). */
export function userGit(dir: string, args: string[], opts: { input?: string; committer?: Person; author?: Person } = {}): string {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_COMMITTER_DATE: '2025-02-01T00:00:00Z', GIT_AUTHOR_DATE: '2025-02-01T00:00:00Z' };
  if (opts.committer) Object.assign(env, { GIT_COMMITTER_NAME: opts.committer.name, GIT_COMMITTER_EMAIL: opts.committer.email });
  if (opts.author) Object.assign(env, { GIT_AUTHOR_NAME: opts.author.name, GIT_AUTHOR_EMAIL: opts.author.email });
  const r = spawnSync('git', args, { cwd: dir, env, input: opts.input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Starts the built CLI as a real process and resolves when it exits (for runs that must overlap). */
export function startBuiltCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cli = join(__dirname, '..', '..', '..', 'dist', 'cli.js');
  const child = spawn(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString('utf8'); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString('utf8'); });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The exact trailers approve would write for `reviewer`: anyone can compute them with the tool itself. */
export async function trailersFor(r: RepoBuilder, reviewer: Person): Promise<string> {
  const who = `${reviewer.name} <${reviewer.email}>`;
  const rv = await openReview({ repo: r.dir, base: 'main', head: 'feature', reviewer: who });
  for (const id of CHECK_IDS) rv.session.checked[id] = true;
  const plan = await planSignoff({ cs: rv.cs, config: rv.config, session: rv.session, reviewer: who, ctx: rv.ctx });
  return plan.trailers.map(([k, v]) => `${k}: ${v}`).join('\n') + '\n';
}

/** A sign-off commit written by hand (as any git user can), committed by `reviewer` on feature. */
export async function handSignoff(r: RepoBuilder, reviewer: Person): Promise<void> {
  const trailers = await trailersFor(r, reviewer);
  userGit(r.dir, ['commit', '-q', '--allow-empty', '--no-verify', '-F', '-'], { input: `Senior review sign-off for feature\n\n${trailers}`, committer: reviewer, author: reviewer });
}
