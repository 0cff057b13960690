// A reviewer's own sign-off as a record of what they saw: the newest commit in merge-base..head whose
// trailers name them as reviewer; it approved the whole diff up to it, with the patch id it carries.

import { git } from '../git/runGit';
import { RepoContext } from '../git/repository';
import { TRAILER, parseIdentity, parseTrailerLines } from '../signoff/trailers';

export interface ReviewerSignoff {
  commit: string;
  /** Senior-Review-Patch-Id as written at approve (read, never recomputed). */
  approvedPatchId: string;
  /** Committer time of the sign-off, when approve wrote it (ms since the epoch). */
  at: number;
}

function sameReviewer(a: string, b: string): boolean {
  const x = parseIdentity(a);
  const y = parseIdentity(b);
  return !!x && !!y && x.email.toLowerCase() === y.email.toLowerCase();
}

export async function findReviewerSignoff(reviewer: string, mergeBase: string, headCommit: string, ctx: RepoContext): Promise<ReviewerSignoff | null> {
  const out = await git(['log', '--no-color', '--format=%H%x1f%ct%x1f%(trailers:only,unfold)%x1e', `${mergeBase}..${headCommit}`, '--'], ctx);
  for (const rec of out.split('\x1e')) {
    const [sha, ct, trailers] = rec.replace(/^\n/, '').split('\x1f');
    if (!sha || trailers === undefined) continue;
    const pairs = parseTrailerLines(trailers);
    const value = (key: string) => pairs.filter(([k]) => k.toLowerCase() === key.toLowerCase()).map(([, v]) => v);
    const patchId = value(TRAILER.patchId).pop();
    if (patchId && value(TRAILER.reviewedBy).some((r) => sameReviewer(r, reviewer))) return { commit: sha, approvedPatchId: patchId, at: Number(ct) * 1000 };
  }
  return null;
}
