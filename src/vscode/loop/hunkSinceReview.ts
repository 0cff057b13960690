// "What changed in this hunk since I looked": a diff editor of the hunk as the reviewer saw it against
// the hunk now. Both sides are read from git objects (the diff of each head's range, found by hunk id),
// so the editor can reopen them after a reload without any state of ours.
import * as vscode from 'vscode';
import { commonGitDir } from '../../core/git/repository';
import { diffCommits } from '../../core/review/changeSet';
import { Hunk } from '../../core/review/changeSetTypes';
import { hunkSideText } from '../../core/loop/interdiff';
import { ReviewController } from '../review/reviewController';

export const HUNK_SCHEME = 'senior-review-hunk';

interface HunkSource {
  repo: string;
  mergeBase: string;
  head: string;
  path: string;
  ids: string[];
  side: 'base' | 'head';
}

function hunkUri(src: HunkSource, label: string): vscode.Uri {
  return vscode.Uri.from({ scheme: HUNK_SCHEME, path: `/${src.path.replace(/[\ud800-\udfff]/gu, '\ufffd')}`, query: JSON.stringify(src), fragment: label });
}

async function hunksOf(src: HunkSource): Promise<Hunk[]> {
  // As the change set is made, so the hunks and their ids are the ones the review recorded.
  const ctx = { cwd: src.repo };
  const gitDir = await commonGitDir(ctx);
  const diff = (paths: string[]) => diffCommits(src.mergeBase, src.head, paths, ctx, gitDir);
  const find = (files: Awaited<ReturnType<typeof diff>>) => src.ids.map((id) => files.flatMap((f) => f.hunks).find((h) => h.id === id)).filter((h): h is Hunk => !!h);
  // The file's own diff first; a renamed file is only paired with its old name in the whole diff.
  const own = find(await diff([`:(literal)${src.path}`]));
  return own.length === src.ids.length ? own : find(await diff([]));
}

class HunkContentProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    let src: HunkSource;
    try {
      src = JSON.parse(uri.query) as HunkSource;
    } catch {
      return '';
    }
    const hunks = await hunksOf(src);
    if (hunks.length === 0) return `(this hunk is not in ${src.mergeBase.slice(0, 7)}..${src.head.slice(0, 7)} any more)\n`;
    return hunks.map((h) => hunkSideText(h, src.side)).join('\n');
  }
}

/** Opens the diff of the hunk as last reviewed against the hunk now; false when the hunk has no earlier version. */
export async function showHunkSinceReview(controller: ReviewController, hunkId: string): Promise<boolean> {
  const r = controller.current;
  const at = controller.findHunk(hunkId);
  const seen = r?.since?.hunks.get(hunkId);
  if (!r || !at || !seen || seen.previous.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Senior Review: this hunk is new since your last review: there is no earlier version to compare.'));
    return false;
  }
  // Code then and now: the head side, unless neither version adds a line (a deletion), then the base side.
  const adds = (h: Hunk) => h.lines.some((l) => l[0] === '+');
  const side = adds(at.hunk) || seen.previous.some((p) => adds(p.hunk)) ? 'head' : 'base';
  const then: HunkSource = { repo: r.cs.repo, mergeBase: r.since!.reviewedMergeBase, head: r.since!.reviewedHead, path: seen.previous[0].path, ids: seen.previous.map((p) => p.hunk.id), side };
  const now: HunkSource = { repo: r.cs.repo, mergeBase: r.cs.mergeBase, head: r.cs.headCommit, path: at.file.path, ids: [hunkId], side };
  const title = vscode.l10n.t('{0}: since your review ({1} ↔ {2})', at.file.path, then.head.slice(0, 7), now.head.slice(0, 7));
  await vscode.commands.executeCommand('vscode.diff', hunkUri(then, 'then'), hunkUri(now, 'now'), title, { preview: true } satisfies vscode.TextDocumentShowOptions);
  return true;
}

export function registerHunkSinceReview(context: vscode.ExtensionContext, controller: ReviewController): void {
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(HUNK_SCHEME, new HunkContentProvider()),
    vscode.commands.registerCommand('seniorReview.showHunkSinceReview', (arg?: string | { hunk?: { id: string } }) => {
      const id = typeof arg === 'string' ? arg : arg?.hunk?.id;
      return id ? showHunkSinceReview(controller, id) : false;
    }),
  );
}
