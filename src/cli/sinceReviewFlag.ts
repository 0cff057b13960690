// `--since-review [--reviewer]` of analyze: classifies the change set's hunks against the reviewer's
// last review, or says in one line that there was none; and the CLI's reading of an identity flag.

import { RepoContext, commonGitDir } from '../core/git/repository';
import { ChangeSet } from '../core/review/changeSetTypes';
import { SinceReview, attachSinceReview, sinceLastReview } from '../core/loop/interdiff';
import { IdentityError, resolveReviewer } from '../core/loop/reviewer';
import { UsageError } from './cliTypes';

export const SINCE_REVIEW_FLAGS = { 'since-review': { type: 'boolean' }, reviewer: { type: 'string' } } as const;

/** The identity given by a flag (exit 2 when it is not "Name <email>"), else git's user.name and user.email. */
export async function identityFromFlag(flag: string | undefined, ctx: RepoContext): Promise<string> {
  try {
    return await resolveReviewer(flag, ctx);
  } catch (e) {
    throw e instanceof IdentityError ? new UsageError(e.message) : e;
  }
}

/** Attaches the classification; fails in one line (exit 1) when the reviewer has no earlier review of this range. */
export async function applySinceReview(cs: ChangeSet, reviewerFlag: string | undefined, ctx: RepoContext): Promise<SinceReview> {
  const reviewer = await identityFromFlag(reviewerFlag, ctx);
  const since = await sinceLastReview(cs, { reviewer, gitDir: await commonGitDir(ctx), ctx });
  if (!since) throw new Error(`no earlier review of ${cs.base}...${cs.head} by ${reviewer}: nothing to compare with`);
  attachSinceReview(cs, since);
  return since;
}
