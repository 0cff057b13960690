// Comment threads on both sides of every diff the extension opens, through VS Code's Comments API:
// add, reply, edit, resolve, mark blocking, each one write to the review's comments ref in git
// (core/loop); threads follow their line after a push and show as outdated when it is gone; a pull
// request's threads on the host are shown read-only.
import * as vscode from 'vscode';
import { AnchorError, locateThreads, makeAnchor } from '../../core/loop/commentAnchor';
import { commentsRef, readThreads } from '../../core/loop/commentStore';
import { LocatedThread } from '../../core/loop/commentTypes';
import { ThreadChange, ThreadError, allOf, editComment, newId, openThread, replyTo, setBlocking, setResolved, sortThreads, writeThreadChange } from '../../core/loop/commentThreads';
import { fetchHostThreads } from '../../core/loop/hostReviews';
import { Logger } from '../../core/logger';
import { githubToken } from '../host/editorTokens';
import { maskForDisplay } from '../host/vscodeLogger';
import { SCHEME, parseGitUri } from '../diff/diffDocuments';
import { reviewNameOf } from '../loop/reviewName';
import { Review, ReviewController } from '../review/reviewController';
import { ReviewCommentItem, applyThread, threadUri } from './threadView';

/** The review's stored threads, placed in its current diff (outdated where their line is gone). */
export async function storedThreads(review: Review): Promise<LocatedThread[]> {
  const { threads } = await readThreads(commentsRef(await reviewNameOf(review)), review.ctx);
  return sortThreads(await locateThreads(threads, review.cs, review.ctx));
}

export class ReviewComments implements vscode.Disposable {
  readonly controller: vscode.CommentController;
  /** Stored thread id (or the host's, prefixed) → the thread VS Code shows. */
  private readonly shown = new Map<string, vscode.CommentThread>();
  private readonly located = new WeakMap<vscode.CommentThread, LocatedThread>();
  private readonly hostThreads = new WeakMap<Review, Promise<LocatedThread[]>>();
  private rendered: Review | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly reviews: ReviewController, private readonly logger: Logger) {
    this.controller = vscode.comments.createCommentController('seniorReview.comments', 'Senior Review');
    this.controller.options = { prompt: vscode.l10n.t('Comment on this line (stored in git with the review)'), placeHolder: vscode.l10n.t('Write a comment (Markdown)') };
    this.controller.commentingRangeProvider = { provideCommentingRanges: (doc) => this.commentingRanges(doc) };
    // A new review (opened, refreshed, the head moved) places every thread again; visits do not.
    reviews.onDidChange((r) => {
      if (r !== this.rendered) void this.refresh();
    });
  }

  /** Every line of either side of the open review's diff takes a comment. */
  private commentingRanges(doc: vscode.TextDocument): vscode.Range[] {
    const r = this.reviews.current;
    const p = doc.uri.scheme === SCHEME ? parseGitUri(doc.uri) : null;
    if (!r || !p || p.repo !== r.cs.repo || (p.commit !== r.cs.headCommit && p.commit !== r.cs.mergeBase)) return [];
    return [new vscode.Range(0, 0, Math.max(0, doc.lineCount - 1), 0)];
  }

  /** The threads VS Code shows now, with the stored thread each stands for (for the tests and the commands). */
  threads(): Array<{ thread: vscode.CommentThread; located: LocatedThread }> {
    return [...this.shown.values()].map((thread) => ({ thread, located: this.located.get(thread)! }));
  }

  /** Re-reads the threads from git and brings the editor's threads up to date (one refresh at a time). */
  refresh(): Promise<void> {
    this.queue = this.queue.then(() => this.render()).catch((e: Error) => this.logger.warn(`comments: ${e.message}`));
    return this.queue;
  }

  private async render(): Promise<void> {
    const review = this.reviews.current;
    const all = review ? [...(await storedThreads(review)), ...(await this.fromHost(review))] : [];
    if (review !== this.reviews.current) return;
    this.rendered = review;
    const keep = new Set<string>();
    for (const l of all) {
      const uri = threadUri(review!, l);
      let t = this.shown.get(l.thread.id);
      if (t && t.uri.toString() !== uri.toString()) {
        t.dispose();
        t = undefined;
      }
      if (!t) {
        t = this.controller.createCommentThread(uri, new vscode.Range(0, 0, 0, 0), []);
        // Open threads open with their document; resolved ones stay folded.
        t.collapsibleState = l.thread.resolved ? vscode.CommentThreadCollapsibleState.Collapsed : vscode.CommentThreadCollapsibleState.Expanded;
        this.shown.set(l.thread.id, t);
      }
      applyThread(t, l, review!.reviewer);
      this.located.set(t, l);
      keep.add(l.thread.id);
    }
    for (const [id, t] of this.shown) {
      if (keep.has(id)) continue;
      t.dispose();
      this.shown.delete(id);
    }
  }

  /**
   * A pull request's review comments on GitHub, read with an existing github.com sign-in only (never
   * a prompt while rendering, never another host); comments we published ourselves are not shown twice.
   */
  private fromHost(review: Review): Promise<LocatedThread[]> {
    let p = this.hostThreads.get(review);
    if (!p) {
      const pr = review.request.pr;
      p = (async () => {
        if (!pr?.repo || pr.repo.host !== 'github.com') return [];
        const token = await githubToken(false);
        if (!token) return [];
        const { threads } = await readThreads(commentsRef(await reviewNameOf(review)), review.ctx);
        const ours = new Set(threads.flatMap((t) => Object.values(t.published)));
        return (await fetchHostThreads(pr.repo, pr.number, token)).filter((l) => !l.thread.comments.some((c) => ours.has(c.id)));
      })().catch((e: Error) => {
        this.logger.warn(`the pull request's comments on the host: ${maskForDisplay(e.message)}`);
        return [];
      });
      this.hostThreads.set(review, p);
    }
    return p;
  }

  /** Writes one change as the reviewer, then shows the threads as stored; a mistake is one message, nothing written. */
  private async write(change: ThreadChange, what: string): Promise<boolean> {
    const r = this.reviews.current;
    if (!r) return false;
    const name = await reviewNameOf(r);
    try {
      await writeThreadChange(name, change, r.reviewer, `${what} (${name})`, r.ctx);
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Senior Review: {0}', maskForDisplay((e as Error).message.split('\n')[0])));
      if (!(e instanceof ThreadError)) this.logger.warn(`comment: ${(e as Error).message}`);
      return false;
    }
    await this.refresh();
    return true;
  }

  /** "Add Comment" on a new thread VS Code opened at a line: the thread is replaced by the stored one. Returns its id. */
  async create(reply: vscode.CommentReply, blocking = false): Promise<string | null> {
    const r = this.reviews.current;
    const p = parseGitUri(reply.thread.uri);
    const text = reply.text.trim();
    if (!r || !p || !text) return null;
    const side = p.commit === r.cs.headCommit ? 'head' : p.commit === r.cs.mergeBase ? 'base' : null;
    if (!side || p.repo !== r.cs.repo) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Senior Review: this document is not a side of the open review: reopen the diff from the review.'));
      return null;
    }
    let anchor;
    try {
      anchor = await makeAnchor(p.path, side, reply.thread.range.end.line + 1, p.commit, r.ctx);
    } catch (e) {
      if (!(e instanceof AnchorError)) throw e;
      void vscode.window.showErrorMessage(vscode.l10n.t('Senior Review: {0}', e.message));
      return null;
    }
    const ids = { thread: newId(), comment: newId() };
    if (!(await this.write(openThread(anchor, r.reviewer, reply.text, blocking, new Date().toISOString(), ids), `opened thread ${ids.thread} on ${p.path}:${anchor.line} (${side})`))) return null;
    reply.thread.dispose();
    return ids.thread;
  }

  private idOf(thread: vscode.CommentThread): string | null {
    const l = this.located.get(thread);
    return l && !l.readOnly ? l.thread.id : null;
  }

  async reply(reply: vscode.CommentReply): Promise<boolean> {
    const id = this.idOf(reply.thread);
    const r = this.reviews.current;
    if (!id || !r || !reply.text.trim()) return false;
    return this.write(replyTo(id, r.reviewer, reply.text, new Date().toISOString()), `replied to ${id}`);
  }

  async setResolved(thread: vscode.CommentThread, resolved: boolean, text?: string): Promise<boolean> {
    const id = this.idOf(thread);
    const r = this.reviews.current;
    if (!id || !r) return false;
    const now = new Date().toISOString();
    const change: ThreadChange = text?.trim() ? allOf(replyTo(id, r.reviewer, text, now, newId()), setResolved(id, r.reviewer, resolved, now)) : setResolved(id, r.reviewer, resolved, now);
    return this.write(change, `${resolved ? 'resolved' : 'unresolved'} ${id}`);
  }

  async setBlocking(thread: vscode.CommentThread, blocking: boolean): Promise<boolean> {
    const id = this.idOf(thread);
    return id ? this.write(setBlocking(id, blocking, new Date().toISOString()), `${blocking ? 'marked' : 'unmarked'} ${id} blocking`) : false;
  }

  /** Shows a comment's editor (only the reviewer's own comments offer Edit). */
  startEdit(comment: ReviewCommentItem): void {
    this.setMode(comment, vscode.CommentMode.Editing);
  }

  cancelEdit(comment: ReviewCommentItem): void {
    comment.body = comment.savedBody;
    this.setMode(comment, vscode.CommentMode.Preview);
  }

  async saveEdit(comment: ReviewCommentItem): Promise<boolean> {
    const r = this.reviews.current;
    const text = typeof comment.body === 'string' ? comment.body : comment.body.value;
    if (!r || !text.trim()) return false;
    return this.write(editComment(comment.commentId, r.reviewer, text, new Date().toISOString()), `edited ${comment.commentId}`);
  }

  private setMode(comment: ReviewCommentItem, mode: vscode.CommentMode): void {
    const t = this.shown.get(comment.threadId);
    if (!t) return;
    t.comments = t.comments.map((c) => {
      if (!(c instanceof ReviewCommentItem) || c.commentId !== comment.commentId) return c;
      c.mode = mode;
      return c;
    });
  }

  dispose(): void {
    for (const t of this.shown.values()) t.dispose();
    this.shown.clear();
    this.controller.dispose();
  }
}
