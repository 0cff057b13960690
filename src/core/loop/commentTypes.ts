// Review comment threads as stored in git (one JSON document per thread) and as shown once located
// in the current diff: anchored to a line's content, never to its number alone.

export type CommentSide = 'base' | 'head';

/** Where a thread was opened: the line's text and its neighbours, on one side of the diff, in one commit. */
export interface CommentAnchor {
  path: string;
  side: CommentSide;
  /** 1-based line number in `commit`'s version of `path`. */
  line: number;
  /** The merge base (base side) or the head (head side) the line was read from. */
  commit: string;
  text: string;
  /** Up to three lines before and after, nearest first, to tell equal lines apart. */
  before: string[];
  after: string[];
}

export interface ReviewComment {
  id: string;
  /** "Name <email>". */
  author: string;
  body: string;
  createdAt: string;
  editedAt: string | null;
}

export interface CommentThread {
  version: 1;
  id: string;
  anchor: CommentAnchor;
  comments: ReviewComment[];
  blocking: boolean;
  resolved: boolean;
  resolvedBy: string | null;
  resolvedAt: string | null;
  updatedAt: string;
  /** Ids the host gave this thread's comments when they were published (comment id → remote id). */
  published: Record<string, string>;
}

/** A thread placed in the diff under review now. */
export interface LocatedThread {
  thread: CommentThread;
  path: string;
  /** The line now, or the anchor's line when outdated. */
  line: number;
  /** The anchored line is gone from this side of the current diff; the thread is kept as it was. */
  outdated: boolean;
  /** Threads read from a host's pull request: shown, never written. */
  readOnly: boolean;
}

/** A review posted to a host, remembered so that publishing again posts only what is new. */
export interface Publication {
  service: 'github' | 'gitlab';
  /** host/path of the repository. */
  repository: string;
  number: number;
  reviewer: string;
  headCommit: string;
  outcome: 'approve' | 'request-changes' | 'comment';
  /** The host's id of the review (GitHub) or of the note / approval (GitLab). */
  remoteId: string;
  at: string;
}
