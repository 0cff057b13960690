// The extension entry: activate() builds the host adapter (log channel, review controller) and
// registers each feature; nothing else. Activation time is measured and logged.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { channelLogger } from './vscode/host/vscodeLogger';
import { setGithubTokenStandIn } from './vscode/host/editorTokens';
import { ReviewController } from './vscode/review/reviewController';
import { registerReviewTree, ReviewTree } from './vscode/review/reviewTree';
import { HunkLabels } from './vscode/review/hunkLabels';
import { registerDiffDocuments } from './vscode/diff/diffDocuments';
import { registerReviewTabs, ReviewTabs } from './vscode/diff/reviewTabs';
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
  status: vscode.StatusBarItem;
  tabs: ReviewTabs;
  comments: ReviewComments;
  /** For the in-host tests only: a github.com token standing in for VS Code's sign-in (null: the sign-in again). */
  setGithubTokenStandIn: (token: string | null) => void;
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): SeniorReviewApi {
  const t0 = performance.now();
  const log = vscode.window.createOutputChannel('Senior Review', { log: true });
  context.subscriptions.push(log);
  const controller = new ReviewController(context, channelLogger(log));
  context.subscriptions.push(controller);
  registerDiffDocuments(context);
  const tabs = registerReviewTabs(context, controller);
  const labels = new HunkLabels(controller);
  context.subscriptions.push(labels);
  const tree = registerReviewTree(context, controller, labels);
  const decorations = registerRiskDecorations(context, controller);
  const checklist = registerChecklistView(context, controller, labels);
  const status = registerStatusBar(context, controller);
  registerReviewCommands(context, controller, tree, log);
  registerNavigationCommands(context, controller);
  registerSignoffCommands(context, controller, labels);
  const comments = new ReviewComments(controller, channelLogger(log));
  context.subscriptions.push(comments);
  registerCommentCommands(context, comments);
  registerPublishCommand(context, controller, comments);
  registerPushCommand(context, controller);
  registerHunkSinceReview(context, controller);
  const activationMs = performance.now() - t0;
  log.info(`activated in ${activationMs.toFixed(1)} ms`);
  // Integration test runs install a runner next to the extension and name a results file.
  const runner = join(context.extensionPath, 'test-host', 'hostRunner.js');
  const inHostTests = !!process.env.SENIOR_REVIEW_TEST_RESULTS && existsSync(runner);
  // Any extension can read this API: outside the host tests the token stand-in refuses, so no other
  // extension can make the reviewer's publish go out under an account of its choosing.
  const standIn = (token: string | null): void => {
    if (!inHostTests) throw new Error('Senior Review: the GitHub token stand-in exists for the in-host tests only');
    setGithubTokenStandIn(token);
  };
  const api = { controller, tree, decorations, checklist, status, tabs, comments, setGithubTokenStandIn: standIn, activationMs };
  if (inHostTests) {
    setTimeout(() => void (createRequire(__filename)(runner) as { run: () => Promise<void> }).run(), 0);
    return api;
  }
  setTimeout(() => void startUp(controller), 0);
  return api;
}

/**
 * After activation, not during it: the review open before the window reloaded comes back; with
 * SENIOR_REVIEW_AUTO_OPEN (`npm start`, the end-to-end suite) the Senior Review view is revealed
 * and, when there is no review to bring back, the workspace's review opens without a click.
 */
async function startUp(controller: ReviewController): Promise<void> {
  const auto = process.env.SENIOR_REVIEW_AUTO_OPEN === '1';
  if (auto) await vscode.commands.executeCommand('workbench.view.extension.seniorReview');
  if ((await controller.reopenLast()) || !auto) return;
  await vscode.commands.executeCommand('seniorReview.openReview', { repo: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, base: process.env.SENIOR_REVIEW_AUTO_BASE || undefined });
}

export function deactivate(): void {}
