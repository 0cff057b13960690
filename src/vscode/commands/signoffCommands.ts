// Approve (shows the trailers, whether the commit will be signed and the write mode before writing;
// refuses with the missing steps, or records an override with its reason), Request Changes (a
// Markdown summary of open concerns and unresolved comment threads in a new editor and on the
// clipboard) and Verify Sign-off.
import * as vscode from 'vscode';
import { planSignoff } from '../../core/signoff/signoffPlan';
import { writeSignoff } from '../../core/signoff/writeSignoff';
import { verifySignoff } from '../../core/signoff/verifySignoff';
import { displayTrailers } from '../../core/signoff/trailers';
import { describeSigning } from '../../core/signoff/signingSetup';
import { applicableItems, factsFromChangeSet } from '../../core/checklist/evaluate';
import { isChecked, noteOf, notesOf } from '../../core/checklist/session';
import { ReviewController } from '../review/reviewController';
import { HunkLabels } from '../review/hunkLabels';
import { orderedHunks, riskOf } from '../review/viewModel';
import { readSettings } from '../host/settings';
import { askCancelFirst } from '../host/dialogs';
import { LocatedThread } from '../../core/loop/commentTypes';
import { requestChangesThreadsMarkdown } from '../../core/loop/commentRender';
import { storedThreads } from '../comments/reviewComments';
import { pushSignoffFromEditor } from '../loop/pushCommand';

/** Escape on a sign-off question goes back to where the missing steps and the Approve button are. */
const showChecklist = { title: vscode.l10n.t('Show the checklist'), run: () => vscode.commands.executeCommand('seniorReview.checklist.focus') };

/** `threads`: the review's comment threads placed in its diff; the unresolved ones are listed with file and line. */
export function requestChangesMarkdown(controller: ReviewController, labels: HunkLabels, threads: readonly LocatedThread[] = []): string {
  const r = controller.current!;
  const items = applicableItems(r.config.items, factsFromChangeSet(r.cs));
  const open = items.filter((i) => !isChecked(r.session, i.id));
  const lines = [`## Changes requested — ${r.cs.base}...${r.cs.head}`, '', `Reviewer: ${r.reviewer}`, ''];
  const pr = riskOf(r.cs);
  if (pr) lines.push(`Overall risk **${pr.score} (${pr.level})**: ${pr.reasons.slice(0, 3).map((x) => x.text).join('; ')}`, '');
  if (open.length) {
    lines.push('### Open checklist items', '');
    for (const i of open) lines.push(`- [ ] **${i.title}**${noteOf(r.session, i.id) ? ` — ${noteOf(r.session, i.id)}` : ''}`);
    lines.push('');
  }
  const risky = orderedHunks(r.cs, true).filter((x) => ['high', 'critical'].includes(riskOf(x.hunk)?.level ?? ''));
  if (risky.length) {
    lines.push('### Risky hunks', '');
    for (const { file, hunk } of risky) lines.push(`- \`${file.path}\` ${labels.name(file, hunk).text} (${hunk.header.replace(/^@@ ([^@]*) @@.*$/, '$1')}): risk ${riskOf(hunk)!.score} — ${riskOf(hunk)!.reasons[0]?.text ?? ''}${r.session.visited.includes(hunk.id) ? '' : ' (not yet reviewed)'}`);
    lines.push('');
  }
  for (const [id, note] of notesOf(r.session)) if (!open.some((i) => i.id === id)) lines.push(`- Note on ${id}: ${note}`);
  const unresolved = requestChangesThreadsMarkdown(threads);
  if (unresolved) lines.push('', unresolved.trimEnd());
  return lines.join('\n') + '\n';
}

export function registerSignoffCommands(context: vscode.ExtensionContext, controller: ReviewController, labels: HunkLabels): void {
  context.subscriptions.push(
    // `push: true` pushes the sign-off right after writing it (the Push… button of the message does it otherwise).
    vscode.commands.registerCommand('seniorReview.approve', async (opts?: { confirm?: boolean; override?: string; push?: boolean }) => {
      const r = controller.current;
      if (!r) return void vscode.window.showWarningMessage(vscode.l10n.t('Senior Review: open a review first.'));
      const settings = readSettings();
      let plan = await planSignoff({ cs: r.cs, config: { ...r.config, writeMode: settings.writeMode === 'auto' ? r.config.writeMode : settings.writeMode }, session: r.session, reviewer: settings.reviewer ?? r.reviewer, override: opts?.override, ctx: r.ctx });
      if (plan.blocked) return void vscode.window.showErrorMessage(vscode.l10n.t('Cannot approve: {0}', plan.blocked), { modal: true });
      if (plan.missing.length && !plan.override) {
        const override = await askCancelFirst({
          message: vscode.l10n.t('Cannot approve yet: {0} step(s) missing', plan.missing.length),
          detail: plan.missing.map((m) => `• ${m}`).join('\n'),
          action: vscode.l10n.t('Override with a reason…'),
          back: showChecklist,
        });
        if (!override) return;
        const reason = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Why approve without these steps? The reason is recorded in the trailers.'), validateInput: (v) => (v.trim().length >= 5 ? null : vscode.l10n.t('Give a reason')) });
        if (!reason) return;
        plan = await planSignoff({ cs: r.cs, config: r.config, session: r.session, reviewer: settings.reviewer ?? r.reviewer, override: reason, ctx: r.ctx });
      }
      const branch = plan.branchRef.replace(/^refs\/heads\//, '');
      const ok = opts?.confirm === false || await askCancelFirst({
        message: plan.mode === 'amend' ? vscode.l10n.t('Amend the head commit of {0} with these trailers?', branch) : vscode.l10n.t('Add a sign-off commit on {0} with these trailers?', branch),
        detail: `${displayTrailers(plan.trailers)}\nSignature: ${describeSigning(plan.signing)}\nMode: ${plan.mode} (${plan.modeReason}). Your working tree and index are not touched.`,
        action: vscode.l10n.t('Write sign-off'),
        back: showChecklist,
        severity: 'info',
      });
      if (!ok) return;
      try {
        const w = await writeSignoff(plan, r.ctx);
        const done = vscode.l10n.t('Approved: {0} {1} on {2}{3}', w.mode === 'amend' ? 'amended' : 'committed', w.commit.slice(0, 10), branch, w.signed ? ' (signed)' : '');
        await controller.refresh();
        if (opts?.push === true) return { commit: w.commit, pushed: await pushSignoffFromEditor(controller, { branch, confirm: opts.confirm }) };
        const push = vscode.l10n.t('Push…');
        void vscode.window.showInformationMessage(done, push).then((c) => (c === push ? pushSignoffFromEditor(controller, { branch }) : undefined));
        return { commit: w.commit, pushed: false };
      } catch (e) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Senior Review: {0}', (e as Error).message.split('\n')[0]), { modal: true });
      }
    }),
    vscode.commands.registerCommand('seniorReview.requestChanges', async () => {
      const r = controller.current;
      if (!r) return;
      const threads = await storedThreads(r).catch((e: Error) => {
        void vscode.window.showWarningMessage(vscode.l10n.t('Senior Review: the comment threads could not be read, the summary leaves them out: {0}', e.message.split('\n')[0]));
        return [];
      });
      const md = requestChangesMarkdown(controller, labels, threads);
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: md });
      await vscode.window.showTextDocument(doc, { preview: false });
      // The summary is open in an editor either way; a clipboard the browser refuses costs only the copy.
      void vscode.env.clipboard.writeText(md).then(
        () => vscode.window.showInformationMessage(vscode.l10n.t('Summary of requested changes copied to the clipboard.')),
        () => vscode.window.showInformationMessage(vscode.l10n.t('Summary of requested changes opened (the clipboard was not available).')),
      );
      return md;
    }),
    vscode.commands.registerCommand('seniorReview.verify', async () => {
      const r = controller.current;
      if (!r) return;
      const v = await verifySignoff(r.cs, r.ctx);
      if (v.ok) void vscode.window.showInformationMessage(vscode.l10n.t('Sign-off valid: {0}', v.reason));
      else void vscode.window.showWarningMessage(vscode.l10n.t('Sign-off {0}: {1}', v.status, v.reason));
      return v;
    }),
  );
}
