// `verify`: does the range carry a sign-off for exactly its current diff? Finds the newest commit in
// merge-base..head whose trailers (as git parses them) carry a patch id, and judges it: trailers,
// identity, committer, authorship, allowedReviewers and, when required, its signature.

import { RepoContext } from '../git/repository';
import { ReviewRange } from '../review/resolveRange';
import { ReviewConfig } from '../checklist/checklistTypes';
import { loadConfig } from '../checklist/loadConfig';
import { IDENTITY_VERSION, PatchIdentity, patchIdentity } from './patchIdentity';
import { RangeCommit, rangeCommits } from './rangeCommits';
import { Reviewer, RuleFailure, VerifyStatus, allowedRule, authorRule, committerRule } from './signoffRules';
import { checkSignature } from './signatureCheck';
import { git } from '../git/runGit';
import { ThreadError, unresolvedBlockingThreads } from '../loop/commentThreads';
import { TRAILER, Trailer, formatPatchId, lastTrailer, parseFilesValue, parseIdentity, parsePatchIdValue } from './trailers';

export type { VerifyStatus } from './signoffRules';

export interface VerifyResult {
  status: VerifyStatus;
  ok: boolean;
  reason: string;
  reviewer: string | null;
  signoffCommit: string | null;
  approvedPatchId: string | null;
  currentPatchId: string;
  changedFiles: string[];
  /** The allowed-signers principal of a checked signature, else null. */
  signer: string | null;
  trailers: Trailer[];
}

export interface JudgeInput {
  signoff: RangeCommit;
  /** Every commit of the approved change (for a squashed change: the one commit). */
  commits: readonly RangeCommit[];
  current: PatchIdentity;
  config: ReviewConfig;
  baseCommit: string;
  requireSignature: boolean;
  /**
   * Whether the sign-off commit's committer must be the reviewer. False only for a commit the host
   * made when merging (a squash or a rebase merge): its committer is the host, whoever approved.
   */
  committerIsReviewer?: boolean;
  ctx: RepoContext;
}

function staleReason(signoff: RangeCommit, reviewerText: string, current: PatchIdentity): { reason: string; changed: string[] } {
  const recorded = parseFilesValue(lastTrailer(signoff.trailers, TRAILER.files) ?? '');
  const changed = [...current.files].filter(([k, f]) => recorded.get(k) !== f.id).map(([, f]) => f.path);
  const gone = [...recorded.keys()].filter((k) => !current.files.has(k)).length;
  const list = changed.slice(0, 10).join(', ') + (changed.length > 10 ? `, and ${changed.length - 10} more` : '');
  return { changed, reason: `the diff changed since it was approved by ${reviewerText}${changed.length ? `: ${list}` : ''}${gone ? ` (${gone} approved file${gone === 1 ? '' : 's'} no longer changed)` : ''}` };
}

/** Judges one sign-off commit against the change it claims to approve. */
export async function judgeSignoff(input: JudgeInput): Promise<VerifyResult> {
  const { signoff, current } = input;
  const short = signoff.sha.slice(0, 12);
  const reviewerText = lastTrailer(signoff.trailers, TRAILER.reviewedBy);
  const approved = lastTrailer(signoff.trailers, TRAILER.patchId);
  const result: VerifyResult = {
    status: 'valid', ok: true, reason: '', reviewer: reviewerText, signoffCommit: signoff.sha, approvedPatchId: approved,
    currentPatchId: formatPatchId(current), changedFiles: [], signer: null, trailers: signoff.trailers,
  };
  const fail = (f: RuleFailure, extra: Partial<VerifyResult> = {}): VerifyResult => ({ ...result, ...extra, status: f.status, ok: false, reason: f.reason });
  const who = reviewerText ? parseIdentity(reviewerText) : null;
  if (!who || !reviewerText) return fail({ status: 'malformed', reason: `sign-off ${short} has no valid ${TRAILER.reviewedBy} trailer` });
  const outcome = lastTrailer(signoff.trailers, TRAILER.outcome);
  if (outcome !== 'approved' && outcome !== 'approved-with-override') return fail({ status: 'malformed', reason: `sign-off ${short} has no approving ${TRAILER.outcome} trailer` });
  const id = parsePatchIdValue(approved ?? '');
  if (!id) return fail({ status: 'malformed', reason: `sign-off ${short} has a malformed ${TRAILER.patchId} trailer` });
  if (id.version !== IDENTITY_VERSION) return fail({ status: 'outdated', reason: `re-approve: identity format changed (sign-off ${short} carries a ${id.version} patch identity; this version checks ${IDENTITY_VERSION})` });
  if (id.hex !== current.patchId) {
    const stale = staleReason(signoff, reviewerText, current);
    return fail({ status: 'stale', reason: stale.reason }, { changedFiles: stale.changed });
  }
  const reviewer: Reviewer = { text: reviewerText, ...who };
  const rule = (input.committerIsReviewer === false ? null : committerRule(signoff, reviewer)) ?? authorRule(reviewer, input.commits, signoff.sha) ?? allowedRule(input.config, reviewer);
  if (rule) return fail(rule);
  let signed = '';
  if (input.requireSignature) {
    const sig = await checkSignature(signoff.sha, reviewer, input.baseCommit, input.config.allowedSignersFile, input.ctx);
    if (!('ok' in sig)) return fail(sig);
    result.signer = sig.signer;
    signed = `, signed by ${sig.signer}'s key ${sig.fingerprint}`;
  }
  return { ...result, reason: `approved by ${reviewerText} in ${short} for patch ${id.hex.slice(0, 12)}${signed}` };
}

export async function verifySignoff(range: ReviewRange, ctx: RepoContext, opts: { requireSignature?: boolean } = {}): Promise<VerifyResult> {
  const current = await patchIdentity(range.mergeBase, range.headCommit, ctx);
  const commits = await rangeCommits(range.mergeBase, range.headCommit, ctx);
  const signoff = commits.find((c) => lastTrailer(c.trailers, TRAILER.patchId) !== null);
  if (!signoff) {
    return {
      status: 'missing', ok: false, reason: `no sign-off in ${range.mergeBase.slice(0, 12)}..${range.headCommit.slice(0, 12)}`, reviewer: null, signoffCommit: null,
      approvedPatchId: null, currentPatchId: formatPatchId(current), changedFiles: [], signer: null, trailers: [],
    };
  }
  const config = await loadConfig(range.baseCommit, ctx);
  const judged = await judgeSignoff({ signoff, commits, current, config, baseCommit: range.baseCommit, requireSignature: opts.requireSignature === true, ctx });
  return judged.ok ? blockingThreadsRule(judged, range, ctx) : judged;
}

/** A valid sign-off still fails while a comment thread marked blocking is unresolved (issue #17). */
async function blockingThreadsRule(judged: VerifyResult, range: ReviewRange, ctx: RepoContext): Promise<VerifyResult> {
  let open;
  try {
    open = await unresolvedBlockingThreads({ head: range.head }, ctx);
  } catch (e) {
    if (!(e instanceof ThreadError)) throw e;
    // No review to look up: only a refusal when some review has comments that could apply.
    const any = (await git(['for-each-ref', '--count=1', '--format=%(refname)', 'refs/senior-review/comments/'], ctx)).trim();
    if (!any) return judged;
    return { ...judged, ok: false, status: 'blocking-threads', reason: `cannot tell which review's comment threads apply to ${range.head}: ${e.message}` };
  }
  if (open.length === 0) return judged;
  const where = open.slice(0, 3).map((t) => `${t.anchor.path}:${t.anchor.line}`).join(', ') + (open.length > 3 ? `, and ${open.length - 3} more` : '');
  return { ...judged, ok: false, status: 'blocking-threads', reason: `${open.length} blocking comment thread${open.length === 1 ? ' is' : 's are'} unresolved (${where}); ${judged.reason}` };
}
