// Modal questions whose default button (focused, taken by Enter) is Cancel. VS Code focuses the
// first item it is given and always puts the close affordance (Escape, the X) apart as the cancel
// button, so Cancel is given first and the close affordance is a harmless way back instead.
import * as vscode from 'vscode';

export interface CancelFirstQuestion {
  message: string;
  detail: string;
  /** The button that does something: never the default. */
  action: string;
  /** What Escape and the X do (besides not doing `action`): a way back, e.g. showing the checklist. */
  back: { title: string; run: () => unknown };
  severity?: 'warning' | 'info';
}

/** True only when the reviewer chose `action`; Enter chooses Cancel. */
export async function askCancelFirst(q: CancelFirstQuestion): Promise<boolean> {
  const cancel: vscode.MessageItem = { title: vscode.l10n.t('Cancel') };
  const action: vscode.MessageItem = { title: q.action };
  const back: vscode.MessageItem = { title: q.back.title, isCloseAffordance: true };
  const show = q.severity === 'info' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  const choice = await show<vscode.MessageItem>(q.message, { modal: true, detail: q.detail }, cancel, action, back);
  if (choice === back) await q.back.run();
  return choice === action;
}
