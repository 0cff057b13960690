// Publish Review: the review's threads and outcome posted to the pull request's host as one review
// (core/loop/publishReview), with the editor's token rules: VS Code's GitHub sign-in, for github.com only.
import * as vscode from 'vscode';
import { envTokenHint } from '../../core/hosting/hostTokens';
import { Outcome } from '../../core/loop/hostReviews';
import { publishReview } from '../../core/loop/publishReview';
import { plural } from '../../core/words';
import { editorTokens } from '../host/editorTokens';
import { maskForDisplay } from '../host/vscodeLogger';
import { reviewNameOf } from '../loop/reviewName';
import { ReviewController } from '../review/reviewController';
import { ReviewComments } from './reviewComments';

/** Why the open review cannot be published from the editor, or null when it can. */
export function publishBlocker(controller: ReviewController): string | null {
  const pr = controller.current?.request.pr;
  if (!pr) return vscode.l10n.t('publishing needs a review opened from a pull request (Open Pull Request…)');
  if (!pr.repo) return vscode.l10n.t('#{0} is not on a GitHub or GitLab host: there is no API to publish to', pr.number);
  if (pr.repo.host !== 'github.com') return vscode.l10n.t('the editor has a token for github.com only: run senior-review publish --pr {0} ({1})', pr.number, envTokenHint(pr.repo.host));
  return null;
}

export async function publishFromEditor(controller: ReviewController, comments: ReviewComments, given?: { outcome?: Outcome; body?: string }): Promise<boolean> {
  const r = controller.current;
  const blocker = publishBlocker(controller);
  if (!r || blocker) {
    if (blocker) void vscode.window.showErrorMessage(vscode.l10n.t('Senior Review: {0}', blocker));
    return false;
  }
  const pr = r.request.pr!;
  const outcome = given?.outcome ?? (await vscode.window.showQuickPick([
    { label: vscode.l10n.t('Comment'), outcome: 'comment' as Outcome },
    { label: vscode.l10n.t('Approve'), outcome: 'approve' as Outcome },
    { label: vscode.l10n.t('Request changes'), outcome: 'request-changes' as Outcome },
  ], { placeHolder: vscode.l10n.t('Publish the review of #{0} as…', pr.number) }))?.outcome;
  if (!outcome) return false;
  const body = given?.body ?? (await vscode.window.showInputBox({ prompt: vscode.l10n.t('The review\'s text (optional): comments on lines outside the diff are added to it') }));
  if (body === undefined) return false;
  const token = await editorTokens(true).token(pr.repo!);
  if (!token) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Senior Review: publishing to github.com needs a GitHub sign-in'));
    return false;
  }
  const name = await reviewNameOf(r);
  try {
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Senior Review: publishing to #{0}', pr.number) }, () =>
      publishReview({ repo: pr.repo!, number: pr.number, token, reviewName: name, reviewer: r.reviewer, outcome, body, cs: r.cs, ctx: r.ctx }),
    );
    void vscode.window.showInformationMessage(report.posted
      ? vscode.l10n.t('Published {0} on #{1}: {2}, {3}, {4} in the text.', outcome, pr.number, plural(report.lineComments, 'line comment'), plural(report.replies, 'reply', 'replies'), plural(report.inBody, 'thread'))
      : vscode.l10n.t('Nothing new to publish on #{0}.', pr.number));
    await comments.refresh();
    return report.posted;
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Senior Review: {0}', maskForDisplay((e as Error).message.split('\n')[0])));
    return false;
  }
}

export function registerPublishCommand(context: vscode.ExtensionContext, controller: ReviewController, comments: ReviewComments): void {
  context.subscriptions.push(vscode.commands.registerCommand('seniorReview.publishReview', (given?: { outcome?: Outcome; body?: string }) => publishFromEditor(controller, comments, given)));
}
