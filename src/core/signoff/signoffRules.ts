// Who may sign off what: the sign-off commit is committed by its reviewer, the reviewer wrote none of
// the approved commits, and the base's allowedReviewers names them. Each rule works on one commit.

import { ReviewConfig } from '../checklist/checklistTypes';
import { RangeCommit } from './rangeCommits';
import { safeValue } from './trailers';

export type VerifyStatus =
  | 'valid' | 'missing' | 'malformed' | 'outdated' | 'stale' | 'committer-mismatch' | 'self-approval' | 'not-allowed'
  | 'unsigned' | 'bad-signature' | 'untrusted-signature' | 'blocking-threads';

export interface RuleFailure {
  status: Exclude<VerifyStatus, 'valid'>;
  reason: string;
}

export interface Reviewer {
  /** As written in Reviewed-by. */
  text: string;
  email: string;
  name: string;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Trailers are text anyone can write into their own commit; the committer line at least has to be
 * forged as well. (Only a signature proves it: see signatureCheck.)
 */
export function committerRule(signoff: RangeCommit, reviewer: Reviewer): RuleFailure | null {
  if (same(signoff.committerEmail, reviewer.email)) return null;
  return { status: 'committer-mismatch', reason: `sign-off ${signoff.sha.slice(0, 12)} was committed by ${signoff.committerName} <${signoff.committerEmail}>, not by the reviewer ${reviewer.text}` };
}

/**
 * The reviewer authored none of `commits`. The sign-off commit itself is left out only when it
 * changes no content (an empty sign-off commit); one that changes content is part of the change.
 */
export function authorRule(reviewer: Reviewer, commits: readonly RangeCommit[], signoffSha: string | null): RuleFailure | null {
  const own = commits.filter((c) => same(c.authorEmail, reviewer.email) && !(c.sha === signoffSha && c.empty));
  if (!own.length) return null;
  const first = own[own.length - 1];
  const more = own.length > 1 ? ` and ${own.length - 1} more commit${own.length === 2 ? '' : 's'}` : '';
  return { status: 'self-approval', reason: `${reviewer.text} authored ${first.sha.slice(0, 12)} (${safeValue(first.subject, 60)})${more} in the range they approved` };
}

export function allowedRule(config: ReviewConfig, reviewer: Reviewer): RuleFailure | null {
  if (!config.allowedReviewers.length) return null;
  if (config.allowedReviewers.some((a) => same(a, reviewer.email) || same(a, reviewer.name))) return null;
  return { status: 'not-allowed', reason: `${reviewer.text} is not in allowedReviewers of ${config.source}` };
}
