// Which review an open range's comments belong to: the pull request's head branch when the review was
// opened from a pull request (as `comments --pr` and `publish` name it), else the range's head branch.
import { RepoId } from '../../core/hosting/hostingService';
import { reviewNameFor } from '../../core/loop/commentThreads';
import type { Review } from '../review/reviewController';

/** The pull request a review was opened from, kept with the open request (it survives a reload). */
export interface PullRequestRef {
  number: number;
  remote: string;
  /** Null for a remote that is not a GitHub or GitLab host. */
  repo: RepoId | null;
  /** The branch the pull request comes from, when the host said (needs its token). */
  headBranch: string | null;
}

const names = new WeakMap<Review, Promise<string>>();

/**
 * Without the host's word on the head branch, a pull request's comments go under its private head ref
 * (`senior-review comments --head refs/senior-review/pr/<remote>/<n>/head` reads them).
 */
export function reviewNameOf(review: Review): Promise<string> {
  let name = names.get(review);
  if (!name) {
    const pr = review.request.pr;
    name = pr?.headBranch ? Promise.resolve(pr.headBranch) : reviewNameFor(review.cs.head, review.ctx);
    names.set(review, name);
  }
  return name;
}
