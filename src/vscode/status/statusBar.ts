// The status bar item: the open review's risk level and progress (checks, and the visits of the
// review's fixed list of hunks to visit); a click focuses the panel.
import * as vscode from 'vscode';
import { ReviewController } from '../review/reviewController';
import { impactPendingWords, riskOf, scoreText } from '../review/viewModel';
import { statusOf } from '../../core/analysis/analysisStatus';
import { applicableItems, factsFromChangeSet } from '../../core/checklist/evaluate';
import { isChecked } from '../../core/checklist/session';

export function registerStatusBar(context: vscode.ExtensionContext, controller: ReviewController): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('seniorReview.status', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Senior Review';
  item.command = 'seniorReview.checklist.focus';
  const update = () => {
    const r = controller.current;
    if (!r) return void item.hide();
    const risk = riskOf(r.cs);
    const items = applicableItems(r.config.items, factsFromChangeSet(r.cs));
    const done = items.filter((i) => isChecked(r.session, i.id)).length;
    const visit = r.required;
    const visited = visit?.filter((h) => r.session.visited.includes(h.id)).length ?? 0;
    // Until history is read, the hunks to visit are not known: say so, never "0".
    const hunks = !visit ? ' · hunks …' : visit.length ? ` · ${visited}/${visit.length} hunks` : '';
    item.text = `$(shield) ${risk ? `${risk.level} ${scoreText(risk)}` : 'risk …'} · ${done}/${items.length} checks${hunks}`;
    const waiting = impactPendingWords(statusOf(r.cs));
    item.tooltip = risk ? [...(waiting ? [`Score pending: ${waiting}`] : []), ...risk.reasons.map((x) => `• ${x.text}`)].join('\n') : 'History is still being read';
    item.backgroundColor = risk && (risk.level === 'critical' || risk.level === 'high') ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
  };
  controller.onDidChange(update);
  context.subscriptions.push(item);
  return item;
}
