// Keeps every head a reviewer's rounds refer to reachable under refs/senior-review/reviewed/, so the
// hunks they saw can still be read from git after the author force-pushes and git gc runs.

import { git, runGit } from '../git/runGit';
import { RepoContext } from '../git/repository';
import { OID_RE, validateRefName } from '../git/refs';
import { ReviewSession, saveSession, sessionKey } from './reviewSession';

const PREFIX = 'refs/senior-review/reviewed';

export function reviewedHeadRef(key: string, commit: string): string {
  return validateRefName(`${PREFIX}/${key}/${commit}`);
}

/** The heads a session needs: the current round's and the previous round's. */
function neededHeads(s: ReviewSession): string[] {
  return [...new Set([s.headCommit, s.previous?.headCommit].filter((c): c is string => !!c && OID_RE.test(c)))];
}

/**
 * Creates the refs of the session's heads and drops those of rounds the session no longer refers to,
 * in one transaction.
 */
export async function pinReviewedHeads(s: ReviewSession, ctx: RepoContext): Promise<void> {
  const key = sessionKey(s.reviewer, s.base, s.head);
  const keep = neededHeads(s);
  const existing = (await git(['for-each-ref', '--format=%(refname)', `${PREFIX}/${key}/`], ctx)).split('\n').filter(Boolean);
  const lines: string[] = [];
  for (const c of keep) {
    const ref = reviewedHeadRef(key, c);
    // An object the repository no longer has cannot be pinned; its round reports it as unavailable.
    const has = await runGit(['cat-file', '-e', `${c}^{commit}`], { ...ctx, okExitCodes: [1, 128] });
    // `update` without an old value: the name holds the commit, so two writers write the same thing.
    if (has.exitCode === 0 && !existing.includes(ref)) lines.push(`update ${ref} ${c}`);
  }
  for (const ref of existing) if (!keep.some((c) => ref === `${PREFIX}/${key}/${c}`)) lines.push(`delete ${ref}`);
  if (lines.length) await git(['update-ref', '--stdin', '-m', 'senior-review: reviewed heads'], { ...ctx, input: lines.join('\n') + '\n' });
}

/** Saves the session (file lock, merge on conflict) and keeps the heads its rounds refer to. */
export async function saveSessionKeepingHeads(gitDir: string, s: ReviewSession, ctx: RepoContext): Promise<void> {
  saveSession(gitDir, s);
  await pinReviewedHeads(s, ctx);
}
