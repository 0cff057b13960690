// `publish`: the review's threads and outcome as one review on the pull request's host. Threads on
// diff lines become line comments, the others go in the review's text; what was posted is remembered
// in the comments ref (remote ids), so publishing again posts only what is new.

import { RepoContext } from '../git/repository';
import { RepoId } from '../hosting/hostingService';
import { RequestOptions } from '../hosting/restClient';
import { ChangeSet } from '../review/changeSetTypes';
import { commentsRef, readThreads, updateThreads } from './commentStore';
import { CommentSide, LocatedThread, Publication } from './commentTypes';
import { locateThreads } from './commentAnchor';
import { sortThreads } from './commentThreads';
import { threadsMarkdown } from './commentRender';
import { HostLineComment, HostReply, HostReview, Outcome, postHostReview } from './hostReviews';
import { parseIdentity } from '../signoff/trailers';

export interface PublishRequest {
  repo: RepoId;
  number: number;
  token: string;
  reviewName: string;
  reviewer: string;
  outcome: Outcome;
  /** The reviewer's own words for the review (may be empty). */
  body: string;
  /** The pull request's change set as reviewed (merge base and head of the PR). */
  cs: ChangeSet;
  ctx: RepoContext;
  http?: RequestOptions;
}

export interface PublishReport {
  posted: boolean;
  remoteId: string | null;
  lineComments: number;
  replies: number;
  /** Threads not on a line of the diff (outdated, or outside every hunk): sent in the review's text. */
  inBody: number;
}

/** A line of the diff on one side, as both hosts address it; null when no hunk shows that line. */
export function diffPosition(cs: ChangeSet, path: string, side: CommentSide, line: number): Omit<HostLineComment, 'threadId' | 'commentIds' | 'body'> | null {
  const f = cs.files.find((x) => (side === 'head' ? x.path : x.oldPath ?? x.path) === path);
  if (!f) return null;
  for (const h of f.hunks) {
    let o = h.oldStart;
    let n = h.newStart;
    for (const l of h.lines) {
      const c = l[0];
      if (c === ' ' && (side === 'head' ? n : o) === line) return { path: f.path, oldPath: f.oldPath ?? f.path, side, newLine: n, oldLine: o };
      if (c === '+' && side === 'head' && n === line) return { path: f.path, oldPath: f.oldPath ?? f.path, side, newLine: n, oldLine: null };
      if (c === '-' && side === 'base' && o === line) return { path: f.path, oldPath: f.oldPath ?? f.path, side, newLine: null, oldLine: o };
      if (c === ' ' || c === '-') o++;
      if (c === ' ' || c === '+') n++;
    }
  }
  // Hosts accept line comments only on lines their diff shows.
  return null;
}

function attributed(body: string, author: string, reviewer: string): string {
  const same = parseIdentity(author)?.email.toLowerCase() === parseIdentity(reviewer)?.email.toLowerCase();
  return same ? body : `${body}\n\n— ${parseIdentity(author)?.name ?? author}`;
}

/** What to post: unpublished open threads on diff lines, replies added to published ones, the rest in the text. Null when nothing is new. */
export function planPublication(located: readonly LocatedThread[], publications: readonly Publication[], req: Omit<PublishRequest, 'ctx' | 'token' | 'http'>): { review: HostReview; inBody: LocatedThread[] } | null {
  const lineComments: HostLineComment[] = [];
  const replies: HostReply[] = [];
  const inBody: LocatedThread[] = [];
  for (const l of located) {
    const t = l.thread;
    const remoteThread = t.published.thread;
    if (remoteThread) {
      for (const c of t.comments) if (!t.published[c.id]) replies.push({ threadId: t.id, commentId: c.id, remoteThreadId: remoteThread, body: attributed(c.body, c.author, req.reviewer) });
      continue;
    }
    if (t.resolved) continue;
    const pos = l.outdated ? null : diffPosition(req.cs, l.path, t.anchor.side, l.line);
    const body = t.comments.map((c) => attributed(c.body, c.author, req.reviewer)).join('\n\n') + (t.blocking ? '\n\n(blocking)' : '');
    if (pos) lineComments.push({ ...pos, threadId: t.id, commentIds: t.comments.map((c) => c.id), body });
    else inBody.push(l);
  }
  const body = [req.body.trim(), threadsMarkdown(inBody, 'Comments on lines outside the diff').trim()].filter(Boolean).join('\n\n');
  const repository = `${req.repo.host}/${req.repo.path}`;
  const again = publications.some((p) => p.service === req.repo.service && p.repository === repository && p.number === req.number && p.headCommit === req.cs.headCommit && p.outcome === req.outcome && p.reviewer === req.reviewer);
  if (again && lineComments.length === 0 && replies.length === 0 && inBody.length === 0 && !req.body.trim()) return null;
  return { review: { outcome: req.outcome, body, headCommit: req.cs.headCommit, lineComments, replies }, inBody };
}

export async function publishReview(req: PublishRequest): Promise<PublishReport> {
  const ref = commentsRef(req.reviewName);
  const stored = await readThreads(ref, req.ctx);
  const located = sortThreads(await locateThreads(stored.threads, req.cs, req.ctx));
  const plan = planPublication(located, stored.publications, req);
  if (!plan) return { posted: false, remoteId: null, lineComments: 0, replies: 0, inBody: 0 };
  const result = await postHostReview(req.repo, req.number, req.token, plan.review, req.http);
  const publication: Publication = {
    service: req.repo.service, repository: `${req.repo.host}/${req.repo.path}`, number: req.number, reviewer: req.reviewer,
    headCommit: req.cs.headCommit, outcome: req.outcome, remoteId: result.remoteId, at: new Date().toISOString(),
  };
  const who = parseIdentity(req.reviewer)!;
  // Remembered after the host answered: the ids are what makes the next publish skip these.
  await updateThreads(ref, (now) => {
    const threads = [];
    for (const t of now.threads) {
      const lc = result.lineComments.find((x) => x.threadId === t.id);
      const reps = result.replies.filter((x) => x.threadId === t.id);
      if (!lc && reps.length === 0) continue;
      if (lc) {
        t.published.thread = lc.remoteThreadId;
        for (const id of lc.commentIds) t.published[id] = lc.remoteCommentId;
      }
      for (const r of reps) t.published[r.commentId] = r.remoteId;
      threads.push(t);
    }
    return { threads, publications: [...now.publications, publication] };
  }, req.ctx, { who, message: `published review of #${req.number} (${req.outcome})` });
  return { posted: true, remoteId: result.remoteId, lineComments: result.lineComments.length, replies: result.replies.length, inBody: plan.inBody.length };
}
