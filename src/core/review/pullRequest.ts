// Opens a pull request by number or URL without checking it out: its head (and its base branch)
// are fetched into private refs under refs/senior-review/pr/N/, never into the reviewer's branches;
// a failed fetch leaves nothing behind, and refs fetched earlier keep working offline.

import { git, runGit } from '../git/runGit';
import { GitError } from '../git/gitError';
import { RepoContext, mergeBase, readRef } from '../git/repository';
import { patchIdentity } from '../signoff/patchIdentity';
import { validateRefName, validateRevision } from '../git/refs';
import { DEFAULT_HOSTING, HostingConfig, RepoId, parsePullRequestUrl, pullRequestHeadRef, repoFromRemote, sameRepo } from '../hosting/hostingService';
import { HostingError, PullRequestInfo, TokenProvider, fetchPullRequestInfo } from '../hosting/restClient';

export interface PullRequestRange {
  number: number;
  service: RepoId['service'];
  repo: RepoId;
  remote: string;
  /** Private refs to review: base...head. */
  baseRef: string;
  headRef: string;
  baseBranch: string;
  headCommit: string;
  info: PullRequestInfo | null;
  notes: string[];
  /** Set when the PR head had been fetched before and moved since. */
  moved: { from: string; to: string } | null;
  offline: boolean;
}

export interface OpenPrOptions {
  pr: string;
  remote?: string;
  hosting?: HostingConfig;
  token?: TokenProvider;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

async function remotes(ctx: RepoContext): Promise<Array<{ name: string; url: string }>> {
  const out = await git(['config', '--get-regexp', '^remote\\..*\\.url$'], { ...ctx, okExitCodes: [1] });
  return out.split('\n').filter(Boolean).map((l) => {
    const [key, ...url] = l.split(' ');
    return { name: key.replace(/^remote\./, '').replace(/\.url$/, ''), url: url.join(' ') };
  });
}

async function pickRemote(opts: OpenPrOptions, ctx: RepoContext): Promise<{ number: number; remote: string; repo: RepoId }> {
  const hosting = opts.hosting ?? DEFAULT_HOSTING;
  const all = await remotes(ctx);
  const fromUrl = parsePullRequestUrl(opts.pr, hosting);
  if (fromUrl) {
    const match = all.find((r) => {
      const id = repoFromRemote(r.url, hosting);
      return id && sameRepo(id, fromUrl);
    });
    if (!match) throw new GitError(`no remote points at ${fromUrl.host}/${fromUrl.path} (a fork?): add it with git remote add NAME URL`, 'NotFound');
    return { number: fromUrl.number, remote: match.name, repo: fromUrl };
  }
  if (!/^#?!?\d{1,9}$/.test(opts.pr.trim())) throw new GitError(`'${opts.pr}' is neither a pull request number nor a GitHub/GitLab pull request URL`, 'InvalidRef');
  const number = Number(opts.pr.replace(/^[#!]/, ''));
  const name = opts.remote ?? 'origin';
  validateRevision(name, 'remote');
  const r = all.find((x) => x.name === name);
  if (!r) throw new GitError(`no remote named '${name}'`, 'NotFound');
  const repo = repoFromRemote(r.url, hosting);
  if (!repo) throw new GitError(`remote '${name}' (${r.url}) is not a GitHub or GitLab repository (configure its host)`, 'NotFound');
  return { number, remote: name, repo };
}

async function defaultBranchOf(remote: string, ctx: RepoContext): Promise<string | null> {
  const local = await runGit(['symbolic-ref', '--quiet', `refs/remotes/${remote}/HEAD`], { ...ctx, okExitCodes: [1, 128] });
  const ref = local.stdout.toString().trim();
  if (local.exitCode === 0 && ref) return ref.replace(`refs/remotes/${remote}/`, '');
  const ls = await runGit(['ls-remote', '--symref', remote, 'HEAD'], { ...ctx, timeoutMs: 30_000, okExitCodes: [1, 2, 128] });
  const m = /^ref: refs\/heads\/(\S+)\tHEAD/m.exec(ls.stdout.toString());
  return m ? m[1] : null;
}

export async function openPullRequest(opts: OpenPrOptions, ctx: RepoContext): Promise<PullRequestRange> {
  const { number, remote, repo } = await pickRemote(opts, ctx);
  const notes: string[] = [];
  const what = repo.service === 'github' ? `pull request #${number}` : `merge request !${number}`;
  let info: PullRequestInfo | null = null;
  const token = await opts.token?.();
  if (token) {
    try {
      info = await fetchPullRequestInfo(repo, number, token, opts.signal, opts.env);
    } catch (e) {
      if (!(e instanceof HostingError) || e.kind === 'not-found' || e.kind === 'permission' || e.kind === 'rate-limit') throw new GitError((e as Error).message, 'NotFound');
      notes.push(`${(e as Error).message}: metadata unavailable, using git alone`);
    }
  } else {
    notes.push(`no ${repo.service === 'github' ? 'GITHUB_TOKEN' : 'GITLAB_TOKEN'}: title, author and base branch unavailable; base = the remote's default branch`);
  }
  if (info && info.state !== 'open') notes.push(`${what} is ${info.state}`);
  const prefix = validateRefName(`refs/senior-review/pr/${remote}/${number}`);
  const headRef = `${prefix}/head`;
  const baseRef = `${prefix}/base`;
  const before = await readRef(headRef, ctx);
  let baseBranch = info?.baseBranch || (await defaultBranchOf(remote, ctx)) || 'main';
  baseBranch = validateRevision(baseBranch, 'base branch');
  const tmpHead = `refs/senior-review/tmp/${remote}/${number}/head`;
  const tmpBase = `refs/senior-review/tmp/${remote}/${number}/base`;
  let offline = false;
  try {
    await git(['fetch', '--no-tags', '--no-recurse-submodules', '--no-write-fetch-head', '--quiet', remote,
      `+${pullRequestHeadRef(repo.service, number)}:${tmpHead}`, `+refs/heads/${baseBranch}:${tmpBase}`], { ...ctx, timeoutMs: 120_000 });
    const h = (await readRef(tmpHead, ctx))!;
    const b = (await readRef(tmpBase, ctx))!;
    await git(['update-ref', '-m', `senior-review: fetch ${what}`, headRef, h], ctx);
    await git(['update-ref', '-m', `senior-review: fetch base of ${what}`, baseRef, b], ctx);
  } catch (e) {
    const err = e as GitError;
    if (err.code === 'NotFound' || /couldn't find remote ref/.test(err.message)) {
      const missing = err.message.includes(`refs/heads/${baseBranch}`) ? `base branch '${baseBranch}'` : what;
      throw new GitError(`${missing} does not exist on ${remote}`, 'NotFound');
    }
    if (before && (await readRef(baseRef, ctx))) {
      offline = true;
      notes.push(`could not fetch from ${remote} (${err.message}): using the copy fetched earlier`);
    } else {
      throw new GitError(`could not fetch ${what} from ${remote}: ${err.message}`, err.code);
    }
  } finally {
    for (const t of [tmpHead, tmpBase]) await runGit(['update-ref', '-d', t], { ...ctx, okExitCodes: [1, 128] });
  }
  const headCommit = (await readRef(headRef, ctx))!;
  return {
    number, service: repo.service, repo, remote, baseRef, headRef, baseBranch, headCommit, info, notes, offline,
    moved: before && before !== headCommit ? { from: before, to: headCommit } : null,
  };
}

/** Files whose diff changed between two fetches of a pull request (per-file patch ids). */
export async function filesChangedSince(baseRef: string, from: string, to: string, ctx: RepoContext): Promise<string[]> {
  const oldMb = await mergeBase(baseRef, from, ctx);
  const newMb = await mergeBase(baseRef, to, ctx);
  if (!oldMb || !newMb) return [];
  const [before, after] = await Promise.all([patchIdentity(oldMb, from, ctx), patchIdentity(newMb, to, ctx)]);
  const keys = new Set([...before.files.keys(), ...after.files.keys()]);
  return [...keys].filter((k) => before.files.get(k)?.id !== after.files.get(k)?.id).map((k) => (after.files.get(k) ?? before.files.get(k))!.path).sort();
}
