// The hosts' review APIs: post one review with line comments and its outcome (GitHub: one review
// request; GitLab: a discussion per line, then approve or a note) and read their existing review
// comments as read-only threads. Field names follow GitHub REST v3 and GitLab REST v4 exactly.

import { HostingError } from '../hosting/hostingError';
import { RepoId } from '../hosting/hostingService';
import { RequestOptions, apiRequest } from '../hosting/restClient';
import { CommentSide, CommentThread, LocatedThread } from './commentTypes';

export type Outcome = 'approve' | 'request-changes' | 'comment';

export interface HostLineComment {
  threadId: string;
  commentIds: string[];
  /** The file's path in the pull request (head side) and at the base. */
  path: string;
  oldPath: string;
  side: CommentSide;
  /** Lines on each side: a context line has both, an added line only newLine, a removed one only oldLine. */
  newLine: number | null;
  oldLine: number | null;
  body: string;
}

export interface HostReply {
  threadId: string;
  commentId: string;
  /** GitHub: the id of the thread's first comment; GitLab: the discussion id. */
  remoteThreadId: string;
  body: string;
}

export interface HostReview {
  outcome: Outcome;
  body: string;
  headCommit: string;
  lineComments: HostLineComment[];
  replies: HostReply[];
}

export interface HostReviewResult {
  remoteId: string;
  /** Per thread: the remote thread id and the remote id of its first comment. */
  lineComments: Array<{ threadId: string; commentIds: string[]; remoteThreadId: string; remoteCommentId: string }>;
  replies: Array<{ threadId: string; commentId: string; remoteId: string }>;
}

type Json = Record<string, any>;
const obj = (v: unknown, what: string): Json => {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new HostingError(`${what}: unexpected answer`, 'bad-response');
  return v as Json;
};
const list = (v: unknown, what: string): Json[] => {
  if (!Array.isArray(v)) throw new HostingError(`${what}: the answer is not a list`, 'bad-response');
  return v.map((x) => obj(x, what));
};
const idOf = (v: unknown, what: string): string => {
  if (typeof v !== 'number' && typeof v !== 'string') throw new HostingError(`${what}: the answer has no id`, 'bad-response');
  return String(v);
};

function moved(what: string, theirs: unknown, ours: string): HostingError {
  return new HostingError(`${what} moved: its head is ${String(theirs).slice(0, 12)}, the review is of ${ours.slice(0, 12)}; fetch it and review again`, 'bad-response');
}

const GITHUB_EVENT: Record<Outcome, string> = { approve: 'APPROVE', 'request-changes': 'REQUEST_CHANGES', comment: 'COMMENT' };

async function postGithub(repo: RepoId, n: number, token: string, r: HostReview, opts: RequestOptions): Promise<HostReviewResult> {
  const base = `/repos/${repo.path}/pulls/${n}`;
  const what = `pull request #${n}`;
  const pr = obj(await apiRequest(repo, 'GET', base, token, what, opts), what);
  if (pr.head?.sha !== r.headCommit) throw moved(what, pr.head?.sha, r.headCommit);
  const replies: HostReviewResult['replies'] = [];
  for (const rep of r.replies) {
    const c = obj(await apiRequest(repo, 'POST', `${base}/comments/${encodeURIComponent(rep.remoteThreadId)}/replies`, token, `reply on ${what}`, opts, { body: rep.body }), what);
    replies.push({ threadId: rep.threadId, commentId: rep.commentId, remoteId: idOf(c.id, what) });
  }
  const comments = r.lineComments.map((c) => ({ path: c.path, line: c.side === 'head' ? c.newLine : c.oldLine, side: c.side === 'head' ? 'RIGHT' : 'LEFT', body: c.body }));
  // GitHub refuses a COMMENT review without text or comments; replies alone need no review.
  if (r.outcome === 'comment' && comments.length === 0 && !r.body.trim()) return { remoteId: `replies@${r.headCommit}`, lineComments: [], replies };
  const review = obj(await apiRequest(repo, 'POST', `${base}/reviews`, token, `review of ${what}`, opts, { commit_id: r.headCommit, body: r.body, event: GITHUB_EVENT[r.outcome], comments }), what);
  const reviewId = idOf(review.id, what);
  const lineComments: HostReviewResult['lineComments'] = [];
  if (comments.length) {
    // The review's answer has no comment ids: they are read back and matched by place and text.
    const posted = list(await apiRequest(repo, 'GET', `${base}/reviews/${reviewId}/comments?per_page=100`, token, `comments of review ${reviewId}`, opts), what);
    const taken = new Set<string>();
    r.lineComments.forEach((c, i) => {
      const m = posted.find((p) => !taken.has(String(p.id)) && p.path === comments[i].path && p.body === c.body);
      if (!m) return;
      taken.add(String(m.id));
      lineComments.push({ threadId: c.threadId, commentIds: c.commentIds, remoteThreadId: String(m.id), remoteCommentId: String(m.id) });
    });
  }
  return { remoteId: reviewId, lineComments, replies };
}

async function postGitlab(repo: RepoId, n: number, token: string, r: HostReview, opts: RequestOptions): Promise<HostReviewResult> {
  const base = `/projects/${encodeURIComponent(repo.path)}/merge_requests/${n}`;
  const what = `merge request !${n}`;
  const mr = obj(await apiRequest(repo, 'GET', base, token, what, opts), what);
  const refs = obj(mr.diff_refs, `${what} diff_refs`);
  if (refs.head_sha !== r.headCommit) throw moved(what, refs.head_sha, r.headCommit);
  const lineComments: HostReviewResult['lineComments'] = [];
  for (const c of r.lineComments) {
    const position: Json = { position_type: 'text', base_sha: refs.base_sha, start_sha: refs.start_sha, head_sha: refs.head_sha, old_path: c.oldPath, new_path: c.path };
    if (c.newLine !== null) position.new_line = c.newLine;
    if (c.oldLine !== null) position.old_line = c.oldLine;
    const d = obj(await apiRequest(repo, 'POST', `${base}/discussions`, token, `discussion on ${what}`, opts, { body: c.body, position }), what);
    const note = list(d.notes, what)[0];
    lineComments.push({ threadId: c.threadId, commentIds: c.commentIds, remoteThreadId: idOf(d.id, what), remoteCommentId: idOf(note?.id, what) });
  }
  const replies: HostReviewResult['replies'] = [];
  for (const rep of r.replies) {
    const note = obj(await apiRequest(repo, 'POST', `${base}/discussions/${encodeURIComponent(rep.remoteThreadId)}/notes`, token, `reply on ${what}`, opts, { body: rep.body }), what);
    replies.push({ threadId: rep.threadId, commentId: rep.commentId, remoteId: idOf(note.id, what) });
  }
  let remoteId = `approval@${r.headCommit}`;
  // GitLab has no review object: a note carries the summary (and the request for changes), approve is its own call.
  if (r.body.trim() || r.outcome === 'request-changes') {
    const note = obj(await apiRequest(repo, 'POST', `${base}/notes`, token, `note on ${what}`, opts, { body: r.body.trim() || 'Changes requested.' }), what);
    remoteId = `note:${idOf(note.id, what)}`;
  }
  if (r.outcome === 'approve') {
    await apiRequest(repo, 'POST', `${base}/approve`, token, `approval of ${what}`, opts, { sha: r.headCommit });
    remoteId = `approval@${r.headCommit}`;
  }
  return { remoteId, lineComments, replies };
}

export function postHostReview(repo: RepoId, n: number, token: string, r: HostReview, opts: RequestOptions = {}): Promise<HostReviewResult> {
  return repo.service === 'github' ? postGithub(repo, n, token, r, opts) : postGitlab(repo, n, token, r, opts);
}

function hostThread(id: string, path: string, side: CommentSide, line: number | null, commit: string, comments: Json[], resolved: boolean, who: (c: Json) => string): LocatedThread {
  const thread: CommentThread = {
    version: 1, id, blocking: false, resolved, resolvedBy: null, resolvedAt: null, published: {},
    anchor: { path, side, line: line ?? 0, commit, text: '', before: [], after: [] },
    comments: comments.map((c) => ({ id: String(c.id), author: who(c), body: typeof c.body === 'string' ? c.body : '', createdAt: String(c.created_at ?? ''), editedAt: null })),
    updatedAt: String(comments[comments.length - 1]?.created_at ?? ''),
  };
  return { thread, path, line: line ?? 0, outdated: line === null, readOnly: true };
}

/** The pull request's existing review comments, as read-only threads (the host's ids, prefixed by service). */
export async function fetchHostThreads(repo: RepoId, n: number, token: string, opts: RequestOptions = {}): Promise<LocatedThread[]> {
  if (repo.service === 'github') {
    const what = `review comments of pull request #${n}`;
    const all = list(await apiRequest(repo, 'GET', `/repos/${repo.path}/pulls/${n}/comments?per_page=100`, token, what, opts), what);
    const roots = all.filter((c) => c.in_reply_to_id === undefined || c.in_reply_to_id === null);
    return roots.map((root) => hostThread(
      `github:${root.id}`, String(root.path ?? ''), root.side === 'LEFT' ? 'base' : 'head', typeof root.line === 'number' ? root.line : null, String(root.commit_id ?? ''),
      [root, ...all.filter((c) => c.in_reply_to_id === root.id)], false, (c) => String(c.user?.login ?? ''),
    ));
  }
  const what = `discussions of merge request !${n}`;
  const discussions = list(await apiRequest(repo, 'GET', `/projects/${encodeURIComponent(repo.path)}/merge_requests/${n}/discussions?per_page=100`, token, what, opts), what);
  const out: LocatedThread[] = [];
  for (const d of discussions) {
    const notes = list(d.notes ?? [], what).filter((x) => !x.system);
    const first = notes[0];
    const pos = first?.position;
    if (!first || first.type !== 'DiffNote' || !pos) continue;
    const head = typeof pos.new_line === 'number';
    out.push(hostThread(
      `gitlab:${d.id}`, String(head ? pos.new_path : pos.old_path), head ? 'head' : 'base', head ? pos.new_line : typeof pos.old_line === 'number' ? pos.old_line : null,
      String(pos.head_sha ?? ''), notes, first.resolved === true, (c) => String(c.author?.username ?? ''),
    ));
  }
  return out;
}
