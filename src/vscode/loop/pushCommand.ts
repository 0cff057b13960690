// Push Sign-off: sends the signed-off head to its branch on the remote (core/signoff/pushSignoff) after
// showing exactly what will be pushed and how: a plain push, or a lease on the head an amend replaced.
import * as vscode from 'vscode';
import { PushRefused, executePush, planPush } from '../../core/signoff/pushSignoff';
import { branchOfHead } from '../../core/signoff/signoffPlan';
import { maskForDisplay } from '../host/vscodeLogger';
import { ReviewController } from '../review/reviewController';

/** `branch`: the signed-off branch (default: the open review's head branch); `confirm: false` skips the question. */
export async function pushSignoffFromEditor(controller: ReviewController, opts: { branch?: string; confirm?: boolean } = {}): Promise<boolean> {
  const r = controller.current;
  if (!r) return false;
  const fail = (e: unknown) => {
    void vscode.window.showErrorMessage(vscode.l10n.t('Senior Review: {0}', maskForDisplay((e as Error).message.split('\n')[0])), { modal: e instanceof PushRefused && !e.badRequest });
    return false;
  };
  try {
    const branch = opts.branch ?? (await branchOfHead(r.cs.head, r.cs.headCommit, r.ctx)).ref ?? undefined;
    const plan = await planPush({ branch }, r.ctx);
    const where = `${plan.remote}/${plan.dest.replace('refs/heads/', '')}`;
    if (plan.args.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} already has the sign-off {1}.', where, plan.tip.slice(0, 10)));
      return true;
    }
    const how = plan.upToDate ? vscode.l10n.t('only the comments')
      : plan.mode === 'amend' ? vscode.l10n.t('the amended head replaces {0} (--force-with-lease on exactly that commit)', plan.remoteNow?.slice(0, 10) ?? vscode.l10n.t('no branch yet'))
        : vscode.l10n.t('a plain push of the sign-off commit on {0}', plan.expected[0]?.slice(0, 10) ?? '');
    const push = vscode.l10n.t('Push');
    if (opts.confirm !== false) {
      const ok = await vscode.window.showInformationMessage(vscode.l10n.t('Push the sign-off {0} to {1}?', plan.tip.slice(0, 10), where), {
        modal: true,
        detail: `${how}${plan.comments ? `\n${vscode.l10n.t('The review\'s comments go along ({0}).', plan.comments.to)}` : ''}\n${vscode.l10n.t('Your working tree and local branches are not touched.')}`,
      }, push);
      if (ok !== push) return false;
    }
    await executePush(plan, r.ctx);
    void vscode.window.showInformationMessage(vscode.l10n.t('Pushed the sign-off {0} to {1}{2}.', plan.tip.slice(0, 10), where, plan.comments ? vscode.l10n.t(' with the comments') : ''));
    return true;
  } catch (e) {
    return fail(e);
  }
}

export function registerPushCommand(context: vscode.ExtensionContext, controller: ReviewController): void {
  context.subscriptions.push(vscode.commands.registerCommand('seniorReview.pushSignoff', (opts?: { branch?: string; confirm?: boolean }) => pushSignoffFromEditor(controller, opts)));
}
