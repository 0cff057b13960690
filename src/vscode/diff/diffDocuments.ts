// Read-only documents for the base and head versions of a file, straight from git objects (no
// checkout needed), and the commands that open a file's or the whole PR's diff at a hunk.
import * as vscode from 'vscode';
import { readBlobAt } from '../../core/git/repository';
import { ChangedFile, Hunk } from '../../core/review/changeSetTypes';
import { firstChangedLine } from '../../core/review/lineMap';
import { ReviewController } from '../review/reviewController';

export const SCHEME = 'senior-review';

/**
 * senior-review:/<path>?{"repo","commit","path"} — the query carries where the content comes from.
 * A name that is not UTF-8 (lone surrogates, core/git/gitPath.ts) cannot be a URI path: the
 * path shown has U+FFFD there, and the exact path travels in the query's JSON.
 */
export function gitUri(repo: string, commit: string, path: string): vscode.Uri {
  const shown = path.replace(/[\ud800-\udfff]/gu, '\ufffd');
  return vscode.Uri.from({ scheme: SCHEME, path: `/${shown}`, query: JSON.stringify(shown === path ? { repo, commit } : { repo, commit, path }) });
}

export function parseGitUri(uri: vscode.Uri): { repo: string; commit: string; path: string } | null {
  try {
    const q = JSON.parse(uri.query) as { repo: string; commit: string; path?: string };
    return { repo: q.repo, commit: q.commit, path: q.path ?? uri.path.replace(/^\//, '') };
  } catch {
    return null;
  }
}

class GitContentProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const p = parseGitUri(uri);
    if (!p) return '';
    const blob = await readBlobAt(p.commit, p.path, { cwd: p.repo });
    return blob ? blob.toString('utf8') : '';
  }
}

export function sides(repo: string, mergeBase: string, head: string, f: ChangedFile): { left: vscode.Uri; right: vscode.Uri } {
  return {
    left: gitUri(repo, mergeBase, f.status === 'added' ? f.path : (f.oldPath ?? f.path)),
    right: gitUri(repo, head, f.path),
  };
}

/** Opens the file's diff in the open review; `options` say where (a hunk's line, a group, preview). */
export async function openFileDiff(controller: ReviewController, f: ChangedFile, options: vscode.TextDocumentShowOptions): Promise<void> {
  const r = controller.current;
  if (!r) return;
  const { left, right } = sides(r.cs.repo, r.cs.mergeBase, r.cs.headCommit, f);
  await vscode.commands.executeCommand('vscode.diff', left, right, `${f.path} (${r.cs.base} ↔ ${r.cs.head})`, options);
}

export async function openHunkDiff(controller: ReviewController, f: ChangedFile, h: Hunk): Promise<void> {
  const line = firstChangedLine(h) - 1;
  await openFileDiff(controller, f, { preview: true, selection: new vscode.Range(line, 0, line, 0) });
}

/** The title of the multi-file diff of a review: how its tab is recognised (the API gives no input for it). */
export const ALL_CHANGES_TITLE = 'Senior Review: ';

export async function openAllChanges(controller: ReviewController): Promise<void> {
  const r = controller.current;
  if (!r) return;
  const resources = r.cs.files.filter((f) => f.kind === 'text').map((f) => {
    const { left, right } = sides(r.cs.repo, r.cs.mergeBase, r.cs.headCommit, f);
    return [right, left, right];
  });
  await vscode.commands.executeCommand('vscode.changes', `${ALL_CHANGES_TITLE}${r.cs.base}...${r.cs.head}`, resources);
}

export function registerDiffDocuments(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(SCHEME, new GitContentProvider()));
}
