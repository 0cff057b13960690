// Open Review… (this branch against its base, a pull request by number or URL, two refs),
// Refresh, Close Review, Show Log, Toggle Sort, Open All Changes.
import * as vscode from 'vscode';
import { openPullRequest } from '../../core/review/pullRequest';
import { listOpenPullRequests, plainText } from '../../core/hosting/restClient';
import { repoFromRemote, DEFAULT_HOSTING } from '../../core/hosting/hostingService';
import { TokenSource } from '../../core/hosting/hostTokens';
import { maskForDisplay } from '../host/vscodeLogger';
import { git } from '../../core/git/runGit';
import { ReviewController } from '../review/reviewController';
import { ReviewTree } from '../review/reviewTree';
import { openAllChanges } from '../diff/diffDocuments';

function workspaceRepo(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

/** A GitHub token from VS Code's own sign-in, asked for only after the user agreed. */
async function githubToken(): Promise<string | undefined> {
  const existing = await vscode.authentication.getSession('github', ['repo'], { silent: true });
  if (existing) return existing.accessToken;
  const ok = await vscode.window.showInformationMessage(vscode.l10n.t('Sign in to GitHub to read pull request titles and list open pull requests? Without it, Senior Review uses git alone.'), vscode.l10n.t('Sign in'), vscode.l10n.t('Use git only'));
  if (ok !== vscode.l10n.t('Sign in')) return undefined;
  return (await vscode.authentication.getSession('github', ['repo'], { createIfNone: true })).accessToken;
}

/** VS Code's GitHub sign-in is a github.com token: it goes to github.com and to no other host. */
const editorTokens: TokenSource = {
  token: async (repo) => (repo.host === 'github.com' ? githubToken() : undefined),
  hint: (repo) => (repo.host === 'github.com' ? 'sign in to GitHub' : 'the editor has no token for this host; the CLI reads one from the environment'),
};

async function openPr(controller: ReviewController, repo: string, pr: string): Promise<void> {
  try {
    const range = await openPullRequest({ pr, tokens: editorTokens }, { cwd: repo });
    for (const n of range.notes) void vscode.window.showInformationMessage(maskForDisplay(plainText(n)));
    await controller.open({ repo, base: range.baseRef, head: range.headRef, label: `#${range.number}${range.info ? ` ${plainText(range.info.title, 80)}` : ''}` });
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Senior Review: {0}', maskForDisplay((e as Error).message.split('\n')[0])));
  }
}

async function pickPr(repo: string): Promise<string | undefined> {
  const url = (await git(['config', '--get', 'remote.origin.url'], { cwd: repo, okExitCodes: [1] })).trim();
  const id = repoFromRemote(url, DEFAULT_HOSTING);
  const token = id ? await editorTokens.token(id).catch(() => undefined) : undefined;
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
