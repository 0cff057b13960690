// The extension entry: activate() builds the host adapter (log channel, review controller) and
// registers each feature; nothing else. Activation time is measured and logged.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { channelLogger } from './vscode/host/vscodeLogger';
import { ReviewController } from './vscode/review/reviewController';
import { registerReviewTree, ReviewTree } from './vscode/review/reviewTree';
import { registerDiffDocuments } from './vscode/diff/diffDocuments';
import { registerRiskDecorations, RiskDecorations } from './vscode/decorations/riskDecorations';
import { registerReviewCommands } from './vscode/commands/reviewCommands';
import { registerNavigationCommands } from './vscode/commands/navigationCommands';
import { registerSignoffCommands } from './vscode/commands/signoffCommands';
import { registerChecklistView, ChecklistView } from './vscode/panel/checklistView';
import { registerStatusBar } from './vscode/status/statusBar';
import { ReviewComments } from './vscode/comments/reviewComments';
import { registerCommentCommands } from './vscode/comments/commentCommands';
import { registerPublishCommand } from './vscode/comments/publishCommand';
import { registerPushCommand } from './vscode/loop/pushCommand';
import { registerHunkSinceReview } from './vscode/loop/hunkSinceReview';

/** What activate() returns: used by the integration tests to look inside. */
export interface SeniorReviewApi {
  controller: ReviewController;
  tree: ReviewTree;
  decorations: RiskDecorations;
  checklist: ChecklistView;
  comments: ReviewComments;
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): SeniorReviewApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('Senior Review', { log: true });
  context.subscriptions.push(log);
  const controller = new ReviewController(context, channelLogger(log));
  context.subscriptions.push(controller);
  registerDiffDocuments(context);
  const tree = registerReviewTree(context, controller);
  const decorations = registerRiskDecorations(context, controller);
  const checklist = registerChecklistView(context, controller);
  registerStatusBar(context, controller);
  registerReviewCommands(context, controller, tree, log);
  registerNavigationCommands(context, controller);
  registerSignoffCommands(context, controller);
  const comments = new ReviewComments(controller, channelLogger(log));
  context.subscriptions.push(comments);
  registerCommentCommands(context, comments);
  registerPublishCommand(context, controller, comments);
  registerPushCommand(context, controller);
  registerHunkSinceReview(context, controller);
  const activationMs = performance.now() - t0;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  const api = { controller, tree, decorations, checklist, comments, activationMs };
  // Integration test runs install a runner next to the extension and name a results file.
  const runner = join(context.extensionPath, 'test-host', 'hostRunner.js');
  if (process.env.SENIOR_REVIEW_TEST_RESULTS && existsSync(runner)) {
    setTimeout(() => void (createRequire(__filename)(runner) as { run: () => Promise<void> }).run(), 0);
    return api;
  }
  // A review open before the window reloaded comes back (after activation, not during it).
  setTimeout(() => {
    if (process.env.SENIOR_REVIEW_AUTO_OPEN === '1') void vscode.commands.executeCommand('seniorReview.openReview', { repo: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, base: process.env.SENIOR_REVIEW_AUTO_BASE || undefined });
    else void controller.reopenLast();
  }, 0);
  return api;
}

export function deactivate(): void {}
