// Turns "review base..head" as the user said it into commits: head (default HEAD), base (default
// the remote's default branch, else main, else master) and their merge base, with clear errors.

import { GitError } from '../git/gitError';
import { RepoContext, commonGitDir, isShallow, mergeBase, refExists, resolveCommit } from '../git/repository';
import { validateRevision } from '../git/refs';
import { runGit } from '../git/runGit';

export interface RangeEnds {
  base: string;
  head: string;
  baseCommit: string;
  headCommit: string;
}

export interface ReviewRange extends RangeEnds {
  mergeBase: string;
}

const BASE_CANDIDATES: Array<[string, string]> = [
  ['refs/remotes/origin/HEAD', 'origin/HEAD'],
  ['refs/heads/main', 'main'],
  ['refs/remotes/origin/main', 'origin/main'],
  ['refs/heads/master', 'master'],
  ['refs/remotes/origin/master', 'origin/master'],
];

/** The default base: origin's default branch, else main, else master (local or on origin). */
export async function defaultBase(ctx: RepoContext): Promise<string> {
  const out = (await runGit(['for-each-ref', '--format=%(refname)', ...BASE_CANDIDATES.map(([ref]) => ref)], ctx)).stdout.toString('utf8');
  const present = new Set(out.split('\n').filter(Boolean));
  for (const [ref, name] of BASE_CANDIDATES) if (present.has(ref)) return name;
  if (!(await hasAnyCommit(ctx))) throw new GitError('the repository has no commits yet', 'UnknownRevision');
  throw new GitError('no base branch found (looked for origin/HEAD, main, master): pass --base', 'UnknownRevision');
}

async function hasAnyCommit(ctx: RepoContext): Promise<boolean> {
  const r = await runGit(['rev-list', '-n', '1', '--all'], ctx);
  return r.stdout.length > 0;
}

/** Resolves base and head to commits with one git call; the slow per-ref path only explains failures. */
export async function resolveEnds(opts: { base?: string; head?: string }, ctx: RepoContext): Promise<RangeEnds> {
  const { gitDir: _, ...ends } = await resolveEndsAndGitDir(opts, ctx);
  return ends;
}

/**
 * resolveEnds, and the common git directory from the same git process: an analysis needs both
 * before its first diff, and a warm re-open is mostly the git processes it waits for.
 */
export async function resolveEndsAndGitDir(opts: { base?: string; head?: string }, ctx: RepoContext): Promise<RangeEnds & { gitDir: string }> {
  const head = validateRevision(opts.head ?? 'HEAD', 'head');
  const base = validateRevision(opts.base ?? (await defaultBase(ctx)), 'base');
  // Both names were validated (no leading "-"); plain rev-parse of git 2.39 would echo --end-of-options.
  const r = await runGit(['rev-parse', '--path-format=absolute', '--git-common-dir', `${base}^{commit}`, `${head}^{commit}`], { ...ctx, okExitCodes: [128] });
  const lines = r.stdout.toString('utf8').split('\n').filter(Boolean);
  if (r.exitCode === 0 && lines.length === 3) return { base, head, baseCommit: lines[1], headCommit: lines[2], gitDir: lines[0] };
  if (!(await hasAnyCommit(ctx))) throw new GitError('the repository has no commits yet', 'UnknownRevision');
  const headCommit = await resolveCommit(head, ctx, 'head');
  const baseCommit = await resolveCommit(base, ctx, 'base');
  return { base, head, baseCommit, headCommit, gitDir: await commonGitDir(ctx) };
}

export async function mergeBaseOf(ends: RangeEnds, ctx: RepoContext): Promise<string> {
  const mb = await mergeBase(ends.baseCommit, ends.headCommit, ctx);
  if (mb) return mb;
  // In a shallow clone the common history may simply not have been fetched.
  if (await isShallow(ctx)) {
    throw new GitError(`'${ends.base}' and '${ends.head}' have no common history in this shallow clone (its history stops before they meet): fetch more with git fetch --unshallow${await deepenHint(ends, ctx)}`, 'ShallowRepository');
  }
  throw new GitError(`'${ends.base}' and '${ends.head}' have no common history`, 'NoMergeBase');
}

/** ", or git fetch --deepen=N REMOTE A B" when both ends are branches of one remote, else "". */
async function deepenHint(ends: RangeEnds, ctx: RepoContext): Promise<string> {
  const a = /^([^/]+)\/(.+)$/.exec(ends.base);
  const b = /^([^/]+)\/(.+)$/.exec(ends.head);
  if (!a || !b || a[1] !== b[1]) return '';
  if (!(await refExists(`refs/remotes/${ends.base}`, ctx)) || !(await refExists(`refs/remotes/${ends.head}`, ctx))) return '';
  return `, or git fetch --deepen=${DEEPEN_STEP} ${a[1]} ${a[2]} ${b[2]} (again until they meet)`;
}

/** Commits to fetch per step in the hint: enough for most branches, cheap to repeat. */
const DEEPEN_STEP = 200;

export async function resolveRange(opts: { base?: string; head?: string }, ctx: RepoContext): Promise<ReviewRange> {
  const ends = await resolveEnds(opts, ctx);
  return { ...ends, mergeBase: await mergeBaseOf(ends, ctx) };
}
