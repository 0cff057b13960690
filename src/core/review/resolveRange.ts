// Turns "review base..head" as the user said it into commits: head (default HEAD), base (default
// the remote's default branch, else main, else master) and their merge base, with clear errors.

import { GitError } from '../git/gitError';
import { RepoContext, mergeBase, readRef, refExists, resolveCommit } from '../git/repository';
import { runGit } from '../git/runGit';

export interface ReviewRange {
  base: string;
  head: string;
  baseCommit: string;
  headCommit: string;
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
  for (const [ref, name] of BASE_CANDIDATES) {
    if (await refExists(ref, ctx)) return name;
  }
  throw new GitError('no base branch found (looked for origin/HEAD, main, master): pass --base', 'UnknownRevision');
}

async function assertHasCommits(ctx: RepoContext): Promise<void> {
  const r = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD'], { ...ctx, okExitCodes: [1, 128] });
  if (r.exitCode !== 0 && (await readRef('refs/heads/main', ctx)) === null) {
    const any = await runGit(['for-each-ref', '--count=1', '--format=%(refname)'], ctx);
    if (!any.stdout.toString().trim()) throw new GitError('the repository has no commits yet', 'UnknownRevision');
  }
}

export async function resolveRange(opts: { base?: string; head?: string }, ctx: RepoContext): Promise<ReviewRange> {
  await assertHasCommits(ctx);
  const head = opts.head ?? 'HEAD';
  const base = opts.base ?? (await defaultBase(ctx));
  const headCommit = await resolveCommit(head, ctx, 'head');
  const baseCommit = await resolveCommit(base, ctx, 'base');
  const mb = await mergeBase(baseCommit, headCommit, ctx);
  if (!mb) throw new GitError(`'${base}' and '${head}' have no common history`, 'NoMergeBase');
  return { base, head, baseCommit, headCommit, mergeBase: mb };
}
