// What can be done to threads (open, reply, edit, resolve, mark blocking) as pure changes on the stored
// set, which review a range's threads belong to, and the queries verify and Request Changes need.

import { randomBytes } from 'node:crypto';
import { git } from '../git/runGit';
import { RepoContext, headBranch } from '../git/repository';
import { OID_RE } from '../git/refs';
import { parseIdentity } from '../signoff/trailers';
import { CommentAnchor, CommentThread, LocatedThread, ReviewComment } from './commentTypes';
import { commentsRef, readThreads, updateThreads, UpdateOptions, CommentStep } from './commentStore';
import { locateThreads } from './commentAnchor';

export class ThreadError extends Error {}

export function newId(): string {
  return randomBytes(5).toString('hex');
}

/**
 * The review a range's comments belong to: its head branch without a remote's prefix, so the author's
 * `feature` and the reviewer's `origin/feature` meet on one ref.
 */
export async function reviewNameFor(head: string, ctx: RepoContext): Promise<string> {
  let name = head;
  if (name === 'HEAD' || OID_RE.test(name)) {
    // A detached head (CI checks out a commit): the one branch name, local or remote, that points at it.
    const b = (name === 'HEAD' ? await headBranch(ctx) : null) ?? (await onlyBranchAt(name, ctx));
    if (!b) throw new ThreadError('comments belong to a branch: check out the branch under review or pass --head BRANCH');
    name = b;
  }
  name = name.replace(/^refs\/heads\//, '').replace(/^refs\/remotes\/[^/]+\//, '');
  const remotes = (await git(['remote'], ctx)).split('\n').filter(Boolean);
  const slash = name.indexOf('/');
  if (slash > 0 && remotes.includes(name.slice(0, slash))) name = name.slice(slash + 1);
  return name.replace(/([~^]\d*)+$/, '');
}

/** The single branch name (without a remote's prefix) whose local or remote ref points at `rev`, else null. */
async function onlyBranchAt(rev: string, ctx: RepoContext): Promise<string | null> {
  const refs = (await git(['for-each-ref', '--format=%(refname)', '--points-at', rev, 'refs/heads/', 'refs/remotes/'], ctx)).split('\n').filter((r) => r && !r.endsWith('/HEAD'));
  const names = new Set(refs.map((r) => r.replace(/^refs\/heads\//, '').replace(/^refs\/remotes\/[^/]+\//, '')));
  return names.size === 1 ? [...names][0] : null;
}

function findThread(threads: CommentThread[], id: string): CommentThread {
  const t = threads.find((x) => x.id === id);
  if (!t) throw new ThreadError(`no comment thread '${id.slice(0, 40)}' in this review`);
  return t;
}

const sameAuthor = (a: string, b: string) => parseIdentity(a)?.email.toLowerCase() === parseIdentity(b)?.email.toLowerCase();

/** One change to the threads: a function of the stored threads returning those it changed (ids fixed beforehand, so a retry repeats it exactly). */
export type ThreadChange = (threads: CommentThread[]) => CommentThread[];

export function openThread(anchor: CommentAnchor, author: string, body: string, blocking: boolean, now: string, ids = { thread: newId(), comment: newId() }): ThreadChange {
  return (threads) => {
    if (threads.some((t) => t.id === ids.thread)) return [];
    const comment: ReviewComment = { id: ids.comment, author, body, createdAt: now, editedAt: null };
    return [{ version: 1, id: ids.thread, anchor, comments: [comment], blocking, resolved: false, resolvedBy: null, resolvedAt: null, updatedAt: now, published: {} }];
  };
}

export function replyTo(threadId: string, author: string, body: string, now: string, commentId = newId()): ThreadChange {
  return (threads) => {
    const t = findThread(threads, threadId);
    if (t.comments.some((c) => c.id === commentId)) return [];
    t.comments.push({ id: commentId, author, body, createdAt: now, editedAt: null });
    t.updatedAt = now;
    return [t];
  };
}

/** Only a comment's author edits it. */
export function editComment(commentId: string, author: string, body: string, now: string): ThreadChange {
  return (threads) => {
    const t = threads.find((x) => x.comments.some((c) => c.id === commentId));
    if (!t) throw new ThreadError(`no comment '${commentId.slice(0, 40)}' in this review`);
    const c = t.comments.find((x) => x.id === commentId)!;
    if (!sameAuthor(c.author, author)) throw new ThreadError(`comment ${commentId} is by ${c.author}; only its author edits it`);
    c.body = body;
    c.editedAt = now;
    t.updatedAt = now;
    return [t];
  };
}

export function setResolved(threadId: string, by: string, resolved: boolean, now: string): ThreadChange {
  return (threads) => {
    const t = findThread(threads, threadId);
    if (t.resolved === resolved) return [];
    Object.assign(t, { resolved, resolvedBy: resolved ? by : null, resolvedAt: resolved ? now : null, updatedAt: now });
    return [t];
  };
}

export function setBlocking(threadId: string, blocking: boolean, now: string): ThreadChange {
  return (threads) => {
    const t = findThread(threads, threadId);
    if (t.blocking === blocking) return [];
    Object.assign(t, { blocking, updatedAt: now });
    return [t];
  };
}

/** Several changes in one write (a reply and a resolve: one commit, one compare-and-swap). */
export function allOf(...changes: ThreadChange[]): ThreadChange {
  return (threads) => {
    const out = new Map<string, CommentThread>();
    for (const c of changes) for (const t of c(threads)) out.set(t.id, t);
    return [...out.values()];
  };
}

export async function writeThreadChange(reviewName: string, change: ThreadChange, author: string, message: string, ctx: RepoContext, onStep?: (s: CommentStep) => void): Promise<CommentThread[]> {
  const who = parseIdentity(author);
  if (!who) throw new ThreadError(`the comment author must be "Name <email>" (got '${author.slice(0, 80)}')`);
  const opts: UpdateOptions = { who, message, onStep };
  return (await updateThreads(commentsRef(reviewName), (now) => ({ threads: change(now.threads) }), ctx, opts)).threads;
}

/** Unresolved first, then by file and line. */
export function sortThreads(located: LocatedThread[]): LocatedThread[] {
  return [...located].sort((a, b) => Number(a.thread.resolved) - Number(b.thread.resolved) || a.path.localeCompare(b.path) || a.line - b.line || a.thread.id.localeCompare(b.thread.id));
}

/** The review's threads placed in the range's current diff (outdated where their line is gone). */
export async function listThreads(range: { head: string; mergeBase: string; headCommit: string }, ctx: RepoContext): Promise<LocatedThread[]> {
  const { threads } = await readThreads(commentsRef(await reviewNameFor(range.head, ctx)), ctx);
  return sortThreads(await locateThreads(threads, range, ctx));
}

/** For verify: the threads marked blocking that nobody resolved yet (outdated ones included). */
export async function unresolvedBlockingThreads(range: { head: string }, ctx: RepoContext): Promise<CommentThread[]> {
  const { threads } = await readThreads(commentsRef(await reviewNameFor(range.head, ctx)), ctx);
  return threads.filter((t) => t.blocking && !t.resolved);
}
