// Open Hunk, Next / Previous Risky Hunk (in risk order, medium and above) and Mark Hunk Reviewed.
import * as vscode from 'vscode';
import { ReviewController } from '../review/reviewController';
import { orderedHunks, riskOf, levelRank } from '../review/viewModel';
import { openHunkDiff } from '../diff/diffDocuments';
import { visit } from '../../core/checklist/session';

export function registerNavigationCommands(context: vscode.ExtensionContext, controller: ReviewController): void {
  let cursor = -1;
  const risky = () => (controller.current ? orderedHunks(controller.current.cs, true).filter((x) => levelRank(riskOf(x.hunk)?.level) >= 1) : []);
  const go = async (step: number) => {
    const list = risky();
    if (!list.length) return void vscode.window.showInformationMessage(vscode.l10n.t('Senior Review: no risky hunks in this review.'));
    cursor = (cursor + step + list.length) % list.length;
    const { file, hunk } = list[cursor];
    await openHunkDiff(controller, file, hunk);
    visit(controller.current!.session, hunk.id);
    controller.touch();
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('seniorReview.openHunk', async (id: string) => {
      const at = controller.findHunk(id);
      if (!at) return;
      await openHunkDiff(controller, at.file, at.hunk);
      visit(controller.current!.session, id);
      controller.touch();
    }),
    vscode.commands.registerCommand('seniorReview.nextRiskyHunk', () => go(1)),
    vscode.commands.registerCommand('seniorReview.previousRiskyHunk', () => go(-1)),
    // From a CodeLens or the tree the hunk is given and its state toggles; from the palette the
    // hunk last reached with Next/Previous Risky Hunk is marked.
    vscode.commands.registerCommand('seniorReview.markHunkReviewed', (arg?: string | { hunk?: { id: string } }) => {
      const r = controller.current;
      if (!r) return;
      const given = typeof arg === 'string' ? arg : arg?.hunk?.id;
      const id = given ?? risky()[Math.max(0, cursor)]?.hunk.id;
      if (!id) return;
      visit(r.session, id, given ? !r.session.visited.includes(id) : true);
      controller.touch();
    }),
  );
}
