// How a stored comment thread looks in the editor: its comments (author, time, edited), its label
// (blocking, outdated with what the line said, from the host), resolved state and the actions it offers.
import * as vscode from 'vscode';
import { LocatedThread } from '../../core/loop/commentTypes';
import { parseIdentity } from '../../core/signoff/trailers';
import { gitUri } from '../diff/diffDocuments';
import type { Review } from '../review/reviewController';

/** A comment as VS Code shows it, carrying the ids the actions on it write back with. */
export class ReviewCommentItem implements vscode.Comment {
  mode = vscode.CommentMode.Preview;
  body: string | vscode.MarkdownString;
  readonly savedBody: string;

  constructor(
    readonly threadId: string,
    readonly commentId: string,
    text: string,
    readonly author: vscode.CommentAuthorInformation,
    readonly timestamp: Date | undefined,
    readonly label: string | undefined,
    readonly contextValue: string,
  ) {
    this.savedBody = text;
    this.body = markdown(text);
  }
}

/** Comment text is the commenter's Markdown, shown without HTML, commands or theme icons. */
function markdown(text: string): vscode.MarkdownString {
  const m = new vscode.MarkdownString(text);
  m.isTrusted = false;
  m.supportHtml = false;
  m.supportThemeIcons = false;
  return m;
}

const sameEmail = (a: string, b: string) => !!parseIdentity(a) && parseIdentity(a)?.email.toLowerCase() === parseIdentity(b)?.email.toLowerCase();

/** The document a thread sits in: the head or the base side of the review's diff, as the diff editors open them. */
export function threadUri(review: Review, l: LocatedThread): vscode.Uri {
  return gitUri(review.cs.repo, l.thread.anchor.side === 'head' ? review.cs.headCommit : review.cs.mergeBase, l.path);
}

export function threadRange(l: LocatedThread): vscode.Range {
  const line = Math.max(0, l.line - 1);
  return new vscode.Range(line, 0, line, 0);
}

export function threadLabel(l: LocatedThread): string | undefined {
  const parts = [
    ...(l.readOnly ? [vscode.l10n.t('from the pull request (read-only)')] : []),
    ...(l.thread.blocking ? [vscode.l10n.t('Blocking')] : []),
    ...(l.outdated ? [l.readOnly ? vscode.l10n.t('Outdated') : vscode.l10n.t('Outdated: the line was “{0}”', l.thread.anchor.text.trim().slice(0, 120))] : []),
  ];
  return parts.length ? parts.join(' · ') : undefined;
}

/** `local-open`, `local-resolved` or `host`: what the thread's title actions are offered for. */
export function threadContext(l: LocatedThread): string {
  return l.readOnly ? 'host' : `local-${l.thread.resolved ? 'resolved' : 'open'}${l.thread.blocking ? '-blocking' : ''}`;
}

export function threadComments(l: LocatedThread, reviewer: string): ReviewCommentItem[] {
  return l.thread.comments.map((c) => {
    const name = parseIdentity(c.author)?.name ?? c.author;
    const at = Date.parse(c.createdAt);
    return new ReviewCommentItem(
      l.thread.id, c.id, c.body, { name }, Number.isFinite(at) ? new Date(at) : undefined,
      c.editedAt ? vscode.l10n.t('edited') : undefined,
      !l.readOnly && sameEmail(c.author, reviewer) ? 'editable' : 'readonly',
    );
  });
}

/** Brings a VS Code thread up to date with the stored one (the range moves with the anchored line). */
export function applyThread(t: vscode.CommentThread, l: LocatedThread, reviewer: string): void {
  t.range = threadRange(l);
  t.comments = threadComments(l, reviewer);
  t.label = threadLabel(l);
  t.contextValue = threadContext(l);
  t.canReply = !l.readOnly;
  t.state = l.thread.resolved ? vscode.CommentThreadState.Resolved : vscode.CommentThreadState.Unresolved;
}
