// The editor's tokens for hosting APIs: VS Code's GitHub sign-in, a github.com token that goes to
// github.com and to no other host; other hosts get none here (the CLI reads theirs from the environment).
import * as vscode from 'vscode';
import { TokenSource } from '../../core/hosting/hostTokens';

/**
 * Set only by the in-host tests, through the extension's API: VS Code's sign-in needs github.com and a
 * person to consent, so a test stands a token in for it (and a loopback server for the API).
 */
let standIn: string | null = null;

export function setGithubTokenStandIn(token: string | null): void {
  standIn = token;
}

/** A GitHub token from VS Code's own sign-in; `ask` first asks the reviewer (once per call), otherwise only an existing session is used. */
export async function githubToken(ask = true): Promise<string | undefined> {
  if (standIn) return standIn;
  const existing = await vscode.authentication.getSession('github', ['repo'], { silent: true });
  if (existing || !ask) return existing?.accessToken;
  const ok = await vscode.window.showInformationMessage(vscode.l10n.t('Sign in to GitHub to read pull request titles and list open pull requests? Without it, Senior Review uses git alone.'), vscode.l10n.t('Sign in'), vscode.l10n.t('Use git only'));
  if (ok !== vscode.l10n.t('Sign in')) return undefined;
  return (await vscode.authentication.getSession('github', ['repo'], { createIfNone: true })).accessToken;
}

/** VS Code's GitHub sign-in is a github.com token: it goes to github.com and to no other host. */
export function editorTokens(ask = true): TokenSource {
  return {
    token: async (repo) => (repo.host === 'github.com' ? githubToken(ask) : undefined),
    hint: (repo) => (repo.host === 'github.com' ? 'sign in to GitHub' : 'the editor has no token for this host; the CLI reads one from the environment'),
  };
}
