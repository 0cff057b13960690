// The comment actions VS Code's comment widgets offer (menus in package.json): add (plain or
// blocking), reply, resolve and reopen, mark blocking, edit / save / cancel one's own comment.
import * as vscode from 'vscode';
import { ReviewComments } from './reviewComments';
import { ReviewCommentItem } from './threadView';

export function registerCommentCommands(context: vscode.ExtensionContext, comments: ReviewComments): void {
  const item = (c: vscode.Comment) => (c instanceof ReviewCommentItem ? c : null);
  context.subscriptions.push(
    vscode.commands.registerCommand('seniorReview.comments.create', (reply: vscode.CommentReply) => comments.create(reply, false)),
    vscode.commands.registerCommand('seniorReview.comments.createBlocking', (reply: vscode.CommentReply) => comments.create(reply, true)),
    vscode.commands.registerCommand('seniorReview.comments.reply', (reply: vscode.CommentReply) => comments.reply(reply)),
    // From the thread's title the thread comes; from its reply box, the reply (its text goes in first).
    vscode.commands.registerCommand('seniorReview.comments.resolve', (arg: vscode.CommentThread | vscode.CommentReply) => ('thread' in arg ? comments.setResolved(arg.thread, true, arg.text) : comments.setResolved(arg, true))),
    vscode.commands.registerCommand('seniorReview.comments.unresolve', (thread: vscode.CommentThread) => comments.setResolved(thread, false)),
    vscode.commands.registerCommand('seniorReview.comments.markBlocking', (thread: vscode.CommentThread) => comments.setBlocking(thread, true)),
    vscode.commands.registerCommand('seniorReview.comments.unmarkBlocking', (thread: vscode.CommentThread) => comments.setBlocking(thread, false)),
    vscode.commands.registerCommand('seniorReview.comments.edit', (c: vscode.Comment) => item(c) && comments.startEdit(item(c)!)),
    vscode.commands.registerCommand('seniorReview.comments.saveEdit', (c: vscode.Comment) => (item(c) ? comments.saveEdit(item(c)!) : false)),
    vscode.commands.registerCommand('seniorReview.comments.cancelEdit', (c: vscode.Comment) => item(c) && comments.cancelEdit(item(c)!)),
  );
}
