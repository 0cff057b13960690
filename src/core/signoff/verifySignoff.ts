// `verify`: does the range carry a sign-off for exactly its current diff? Reads the newest commit in
// merge-base..head whose trailers (as git parses them) carry a patch id, and checks the diff
// identity, the reviewer against the base's configuration, and self-approval.

import { git } from '../git/runGit';
import { RepoContext } from '../git/repository';
import { ReviewRange } from '../review/resolveRange';
import { loadConfig } from '../checklist/loadConfig';
import { patchIdentity, pathKey } from './patchIdentity';
import { TRAILER, Trailer, parseIdentity, parseTrailerLines } from './trailers';

export type VerifyStatus = 'valid' | 'missing' | 'stale' | 'malformed' | 'self-approval' | 'not-allowed';

export interface VerifyResult {
  status: VerifyStatus;
  ok: boolean;
  reason: string;
  reviewer: string | null;
  signoffCommit: string | null;
  approvedPatchId: string | null;
  currentPatchId: string;
  changedFiles: string[];
  trailers: Trailer[];
}

interface RangeCommit {
  sha: string;
  authorEmail: string;
  tree: string;
  parentTree: string | null;
  trailers: Trailer[];
}

async function rangeCommits(range: ReviewRange, ctx: RepoContext): Promise<RangeCommit[]> {
  const out = await git(['log', '--no-color', '--format=%H%x1f%aE%x1f%T%x1f%P%x1f%(trailers:only,unfold)%x1e', `${range.mergeBase}..${range.headCommit}`, '--'], ctx);
  const commits = out.split('\x1e').map((r) => r.replace(/^\n/, '')).filter(Boolean).map((r) => {
    const [sha, authorEmail, tree, parents, trailers] = r.split('\x1f');
    return { sha, authorEmail, tree, parents: parents.split(' ').filter(Boolean), trailers: parseTrailerLines(trailers ?? '') };
  });
  const trees = new Map(commits.map((c) => [c.sha, c.tree]));
  const firstParents = [...new Set(commits.map((c) => c.parents[0]).filter((p): p is string => !!p && !trees.has(p)))];
  if (firstParents.length) {
    const t = await git(['show', '-s', '--format=%H %T', ...firstParents, '--'], ctx);
    for (const line of t.split('\n')) {
      const [h, tr] = line.split(' ');
      if (h && tr) trees.set(h, tr);
    }
  }
  return commits.map((c) => ({ sha: c.sha, authorEmail: c.authorEmail, tree: c.tree, parentTree: c.parents[0] ? trees.get(c.parents[0]) ?? null : null, trailers: c.trailers }));
}

function last(trailers: readonly Trailer[], key: string): string | null {
  const found = trailers.filter(([k]) => k.toLowerCase() === key.toLowerCase());
  return found.length ? found[found.length - 1][1] : null;
}

export async function verifySignoff(range: ReviewRange, paths: readonly string[], ctx: RepoContext): Promise<VerifyResult> {
  const current = await patchIdentity(range.mergeBase, range.headCommit, ctx);
  const commits = await rangeCommits(range, ctx);
  const signoff = commits.find((c) => last(c.trailers, TRAILER.patchId) !== null);
  const base: Omit<VerifyResult, 'status' | 'ok' | 'reason'> = {
    reviewer: null, signoffCommit: signoff?.sha ?? null, approvedPatchId: null, currentPatchId: current.patchId, changedFiles: [], trailers: signoff?.trailers ?? [],
  };
  const fail = (status: VerifyStatus, reason: string, extra: Partial<VerifyResult> = {}): VerifyResult => ({ ...base, ...extra, status, ok: false, reason });
  if (!signoff) return fail('missing', `no sign-off in ${range.mergeBase.slice(0, 12)}..${range.headCommit.slice(0, 12)}`);

  const reviewerText = last(signoff.trailers, TRAILER.reviewedBy);
  const approved = last(signoff.trailers, TRAILER.patchId);
  const reviewer = reviewerText ? parseIdentity(reviewerText) : null;
  base.reviewer = reviewerText;
  base.approvedPatchId = approved;
  if (!reviewer) return fail('malformed', `sign-off ${signoff.sha.slice(0, 12)} has no valid ${TRAILER.reviewedBy} trailer`);
  if (!approved || !/^[0-9a-f]{40}$/.test(approved)) return fail('malformed', `sign-off ${signoff.sha.slice(0, 12)} has a malformed ${TRAILER.patchId} trailer`);
  const outcome = last(signoff.trailers, TRAILER.outcome);
  if (outcome !== 'approved' && outcome !== 'approved-with-override') return fail('malformed', `sign-off ${signoff.sha.slice(0, 12)} has no approving ${TRAILER.outcome} trailer`);

  if (approved !== current.patchId) {
    const recorded = new Map((last(signoff.trailers, TRAILER.files) ?? '').split(',').filter(Boolean).map((kv) => kv.split(':') as [string, string]));
    const byKey = new Map(paths.map((p) => [pathKey(p), p]));
    const changed: string[] = [];
    for (const [k, v] of Object.entries(current.files)) if (recorded.get(k) !== v) changed.push(byKey.get(k) ?? `(file ${k})`);
    const gone = [...recorded.keys()].filter((k) => !(k in current.files)).length;
    const list = changed.slice(0, 10).join(', ') + (changed.length > 10 ? `, and ${changed.length - 10} more` : '');
    return fail('stale', `the diff changed since it was approved by ${reviewerText}${changed.length ? `: ${list}` : ''}${gone ? ` (${gone} approved file${gone === 1 ? '' : 's'} no longer changed)` : ''}`, { changedFiles: changed });
  }

  // Pure sign-off commits (no content change) are not part of the authored change.
  const authors = new Set(commits.filter((c) => !(c.tree === c.parentTree && c.sha === signoff.sha)).map((c) => c.authorEmail.toLowerCase()));
  if (authors.size === 1 && authors.has(reviewer.email.toLowerCase())) {
    return fail('self-approval', `${reviewerText} approved their own change (the range has no other author)`);
  }
  const config = await loadConfig(range.baseCommit, ctx);
  if (config.allowedReviewers.length) {
    const allowed = config.allowedReviewers.map((a) => a.toLowerCase());
    if (!allowed.includes(reviewer.email.toLowerCase()) && !allowed.includes(reviewer.name.toLowerCase())) {
      return fail('not-allowed', `${reviewerText} is not in allowedReviewers of ${config.source}`);
    }
  }
  return { ...base, status: 'valid', ok: true, reason: `approved by ${reviewerText} in ${signoff.sha.slice(0, 12)} for patch ${approved.slice(0, 12)}` };
}
