// `--since-review [--reviewer]` for analyze and checklist: classifies the change set's hunks against
// the reviewer's last review, or says in one line that there was none.

import { RepoContext, commonGitDir } from '../core/git/repository';
import { ChangeSet } from '../core/review/changeSetTypes';
import { SinceReview, attachSinceReview, sinceLastReview } from '../core/loop/interdiff';
import { resolveReviewer } from '../core/loop/reviewer';

export const SINCE_REVIEW_FLAGS = { 'since-review': { type: 'boolean' }, reviewer: { type: 'string' } } as const;

/** Attaches the classification; fails in one line (exit 1) when the reviewer has no earlier review of this range. */
export async function applySinceReview(cs: ChangeSet, reviewerFlag: string | undefined, ctx: RepoContext): Promise<SinceReview> {
  const reviewer = await resolveReviewer(reviewerFlag, ctx);
  const since = await sinceLastReview(cs, { reviewer, gitDir: await commonGitDir(ctx), ctx });
  if (!since) throw new Error(`no earlier review of ${cs.base}...${cs.head} by ${reviewer}: nothing to compare with`);
  attachSinceReview(cs, since);
  return since;
}
