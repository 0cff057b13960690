// Open Review… (this branch against its base, a pull request by number or URL, two refs),
// Refresh, Close Review, Show Log, Toggle Sort, Open All Changes.
import * as vscode from 'vscode';
import { openPullRequest } from '../../core/review/pullRequest';
import { listOpenPullRequests, plainText } from '../../core/hosting/restClient';
import { repoFromRemote, DEFAULT_HOSTING } from '../../core/hosting/hostingService';
import { editorTokens } from '../host/editorTokens';
import { maskForDisplay } from '../host/vscodeLogger';
import { git } from '../../core/git/runGit';
import { ReviewController } from '../review/reviewController';
import { ReviewTree } from '../review/reviewTree';
import { openAllChanges } from '../diff/diffDocuments';

function workspaceRepo(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

const editor = editorTokens();

async function openPr(controller: ReviewController, repo: string, pr: string): Promise<void> {
  try {
    const range = await openPullRequest({ pr, tokens: editor }, { cwd: repo });
    for (const n of range.notes) void vscode.window.showInformationMessage(maskForDisplay(plainText(n)));
    await controller.open({ repo, base: range.baseRef, head: range.headRef, pr: { number: range.number, remote: range.remote, repo: range.repo, headBranch: range.info?.headBranch || null }, label: `#${range.number}${range.info ? ` ${plainText(range.info.title, 80)}` : ''}` });
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Senior Review: {0}', maskForDisplay((e as Error).message.split('\n')[0])));
  }
}

async function pickPr(repo: string): Promise<string | undefined> {
  const url = (await git(['config', '--get', 'remote.origin.url'], { cwd: repo, okExitCodes: [1] })).trim();
  const id = repoFromRemote(url, DEFAULT_HOSTING);
  const token = id ? await editor.token(id).catch(() => undefined) : undefined;
  if (id && token) {
    try {
      const prs = await listOpenPullRequests(id, token);
      const pick = await vscode.window.showQuickPick(prs.map((p) => ({ label: `#${p.number}`, description: plainText(p.title, 100), detail: `${plainText(p.author, 40)} → ${p.baseBranch}` })), { placeHolder: vscode.l10n.t('Open pull requests') });
      return pick?.label;
    } catch {
      /* fall back to typing the number */
    }
  }
  return vscode.window.showInputBox({ prompt: vscode.l10n.t('Pull request number or URL'), validateInput: (v) => (/^#?\d+$|^https?:\/\//.test(v.trim()) ? null : vscode.l10n.t('A number like 42, or a GitHub/GitLab URL')) });
}

export function registerReviewCommands(context: vscode.ExtensionContext, controller: ReviewController, tree: ReviewTree, log: vscode.LogOutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('seniorReview.openReview', async (args?: { repo?: string; base?: string; head?: string }) => {
      const repo = args?.repo ?? workspaceRepo();
      if (!repo) return void vscode.window.showErrorMessage(vscode.l10n.t('Senior Review: open a folder with a git repository first.'));
      if (args?.base || args?.head) return void (await controller.open({ repo, base: args.base, head: args.head }));
      const choice = await vscode.window.showQuickPick([
        { label: vscode.l10n.t('This branch against its base'), id: 'branch' },
        { label: vscode.l10n.t('A pull request (number or URL)…'), id: 'pr' },
        { label: vscode.l10n.t('Two refs…'), id: 'refs' },
      ], { placeHolder: vscode.l10n.t('What to review') });
      if (!choice) return;
      if (choice.id === 'branch') await controller.open({ repo });
      else if (choice.id === 'pr') {
        const pr = await pickPr(repo);
        if (pr) await openPr(controller, repo, pr.trim());
      } else {
        const base = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Base ref (e.g. main)') });
        if (!base) return;
        const head = await vscode.window.showInputBox({ prompt: vscode.l10n.t('Head ref'), value: 'HEAD' });
        if (head) await controller.open({ repo, base, head });
      }
    }),
    vscode.commands.registerCommand('seniorReview.openPullRequest', async (pr?: string) => {
      const repo = workspaceRepo();
      if (!repo) return;
      const chosen = pr ?? (await pickPr(repo));
      if (chosen) await openPr(controller, repo, chosen.trim());
    }),
    vscode.commands.registerCommand('seniorReview.refresh', () => controller.refresh()),
    vscode.commands.registerCommand('seniorReview.closeReview', () => controller.close()),
    vscode.commands.registerCommand('seniorReview.showLog', () => log.show()),
    vscode.commands.registerCommand('seniorReview.toggleSort', () => {
      tree.byRisk = !tree.byRisk;
      tree.refresh();
    }),
    vscode.commands.registerCommand('seniorReview.openAllChanges', () => openAllChanges(controller)),
  );
}
