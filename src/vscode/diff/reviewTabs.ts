// The editors a review opened follow the review: when another review (or the same one at new
// commits) opens, each of the old review's tabs shows the file in the new review where it still
// is under review, and closes where it is not; Close Review closes them. Only tabs of our own
// read-only git documents are touched, never the reviewer's files.
import * as vscode from 'vscode';
import { ReviewController, Review } from '../review/reviewController';
import { ALL_CHANGES_TITLE, SCHEME, gitUri, openAllChanges, openFileDiff, parseGitUri } from './diffDocuments';

/** The review's git documents a tab shows: the head side for a diff (the side named by path), or the one document. */
function ourDocument(tab: vscode.Tab): { repo: string; commit: string; path: string } | null {
  const input = tab.input;
  if (input instanceof vscode.TabInputTextDiff) {
    if (input.modified.scheme !== SCHEME && input.original.scheme !== SCHEME) return null;
    return parseGitUri(input.modified.scheme === SCHEME ? input.modified : input.original);
  }
  if (input instanceof vscode.TabInputText && input.uri.scheme === SCHEME) return parseGitUri(input.uri);
  return null;
}

/**
 * The multi-file diff ("Open All Changes"): the stable API of VS Code 1.96 has no class for its
 * input, so it is known by our title and, where the input shows them, by its documents' scheme.
 */
function isAllChanges(tab: vscode.Tab): boolean {
  if (!tab.label.startsWith(ALL_CHANGES_TITLE) || tab.input instanceof vscode.TabInputText || tab.input instanceof vscode.TabInputTextDiff) return false;
  const diffs = (tab.input as { textDiffs?: Array<{ modified?: vscode.Uri }> } | undefined)?.textDiffs;
  return !diffs || diffs.some((d) => d.modified?.scheme === SCHEME);
}

export class ReviewTabs {
  /** The commits the tabs were last brought in line with ("" when no review). */
  private shown = '';
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly controller: ReviewController) {}

  /** Called on every change of the review; acts only when the review's commits changed. */
  follow(review: Review | null): Promise<void> {
    const key = review ? `${review.cs.repo}\n${review.cs.mergeBase}\n${review.cs.headCommit}` : '';
    if (key === this.shown) return this.queue;
    this.shown = key;
    // One pass at a time: a pass reads the tabs the previous one left.
    this.queue = this.queue.then(() => this.align(review)).catch(() => undefined);
    return this.queue;
  }

  private async align(review: Review | null): Promise<void> {
    const current = (doc: { repo: string; commit: string }) => !!review && doc.repo === review.cs.repo && (doc.commit === review.cs.headCommit || doc.commit === review.cs.mergeBase);
    // The multi-file diff shows every file at once: it is closed, and opened again for the new review.
    const allChanges = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(isAllChanges);
    if (allChanges.length) {
      await vscode.window.tabGroups.close(allChanges, true);
      if (review) await openAllChanges(this.controller);
    }
    const isStale = (tab: vscode.Tab) => {
      const doc = ourDocument(tab);
      return !!doc && !current(doc);
    };
    const reopen: Array<() => Thenable<unknown>> = [];
    for (const group of vscode.window.tabGroups.all) {
      for (const tab of group.tabs.filter(isStale)) {
        const doc = ourDocument(tab)!;
        const file = review && doc.repo === review.cs.repo ? review.cs.files.find((f) => f.path === doc.path) : undefined;
        if (!file) continue;
        const options: vscode.TextDocumentShowOptions = { viewColumn: group.viewColumn, preview: tab.isPreview, preserveFocus: true };
        reopen.push(tab.input instanceof vscode.TabInputTextDiff
          ? () => openFileDiff(this.controller, file, options)
          : () => vscode.window.showTextDocument(gitUri(review!.cs.repo, review!.cs.headCommit, file.path), options));
      }
    }
    // The new editors first, so a group with only old tabs does not collapse before they arrive;
    // then whatever old tabs are left (a new preview editor may already have replaced an old one).
    for (const open of reopen) await open();
    const stale = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(isStale);
    if (stale.length) await vscode.window.tabGroups.close(stale, true);
  }
}

export function registerReviewTabs(context: vscode.ExtensionContext, controller: ReviewController): ReviewTabs {
  const tabs = new ReviewTabs(controller);
  context.subscriptions.push(controller.onDidChange((r) => void tabs.follow(r)));
  return tabs;
}
