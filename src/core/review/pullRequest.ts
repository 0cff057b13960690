// Opens a pull request by number or URL without checking it out: its head (and its base branch)
// are fetched into private refs under refs/senior-review/pr/N/, never into the reviewer's branches;
// a failed fetch leaves nothing behind, and refs fetched earlier keep working offline.

import { git, runGit } from '../git/runGit';
import { GitError } from '../git/gitError';
import { RepoContext, mergeBase, readRef } from '../git/repository';
import { patchIdentity } from '../signoff/patchIdentity';
import { validatePullNumber, validateRefName, validateRevision } from '../git/refs';
import { DEFAULT_HOSTING, HostingConfig, RepoId, ServiceKind, parsePullRequestUrl, pullRequestHeadRef, repoFromRemote, sameRepo } from '../hosting/hostingService';
import { HostingError } from '../hosting/hostingError';
import { TokenSource } from '../hosting/hostTokens';
import { maskUrlCredentials } from '../hosting/maskCredentials';
import { PullRequestInfo, fetchPullRequestInfo } from '../hosting/restClient';
import { findPullRequestRef } from './pullRequestRefs';

export interface PullRequestRange {
  number: number;
  /** 'git' for a remote that is not a known service: opened from its refs alone. */
  service: ServiceKind | 'git';
  /** Null for a remote that is not a known service. */
  repo: RepoId | null;
  remote: string;
  /** The remote ref the head was fetched from (refs/pull/N/head, refs/merge-requests/N/head, …); null offline without a service. */
  headSource: string | null;
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
  /** Asked for a token only for a known service's repository, with that repository (its host). */
  tokens?: TokenSource;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** Deadline of each hosting API request, headers and body together. */
  httpTimeoutMs?: number;
}

async function remotes(ctx: RepoContext): Promise<Array<{ name: string; url: string }>> {
  const out = await git(['config', '--get-regexp', '^remote\\..*\\.url$'], { ...ctx, okExitCodes: [1] });
  return out.split('\n').filter(Boolean).map((l) => {
    const [key, ...url] = l.split(' ');
    return { name: key.replace(/^remote\./, '').replace(/\.url$/, ''), url: url.join(' ') };
  });
}

async function pickRemote(opts: OpenPrOptions, ctx: RepoContext): Promise<{ number: number; remote: string; repo: RepoId | null }> {
  const hosting = opts.hosting ?? DEFAULT_HOSTING;
  const all = await remotes(ctx);
  const fromUrl = parsePullRequestUrl(opts.pr, hosting);
  if (fromUrl) {
    const match = all.find((r) => {
      const id = repoFromRemote(r.url, hosting);
      return id && sameRepo(id, fromUrl);
    });
    if (!match) throw new GitError(`no remote points at ${fromUrl.host}/${fromUrl.path} (a fork?): add it with git remote add NAME URL`, 'NotFound');
    return { number: fromUrl.number, remote: validateRevision(match.name, 'remote'), repo: fromUrl };
  }
  const digits = /^[#!]?(\d+)$/.exec(opts.pr.trim());
  if (!digits) throw new GitError(`'${opts.pr}' is neither a pull request number nor the URL of a pull request on a GitHub or GitLab host`, 'InvalidRef');
  const number = validatePullNumber(digits[1]);
  const name = validateRevision(opts.remote ?? 'origin', 'remote');
  const r = all.find((x) => x.name === name);
  if (!r) throw new GitError(`no remote named '${name}'`, 'NotFound');
  return { number, remote: name, repo: repoFromRemote(r.url, hosting) };
}

/** Metadata from the service when it is one and a token is bound to its host; otherwise a note says why not. */
async function metadata(repo: RepoId, number: number, opts: OpenPrOptions, notes: string[]): Promise<PullRequestInfo | null> {
  const token = await opts.tokens?.token(repo);
  if (!token) {
    notes.push(`no token for ${repo.host}${opts.tokens ? ` (${opts.tokens.hint(repo)})` : ''}: title, author and base branch unavailable; base = the remote's default branch`);
    return null;
  }
  try {
    return await fetchPullRequestInfo(repo, number, token, { signal: opts.signal, env: opts.env, timeoutMs: opts.httpTimeoutMs });
  } catch (e) {
    if (!(e instanceof HostingError)) throw e;
    if (e.kind === 'cancelled') throw new GitError(e.message, 'Cancelled');
    if (e.kind === 'not-found' || e.kind === 'permission' || e.kind === 'rate-limit') throw new GitError(e.message, 'NotFound');
    notes.push(`${e.message}: metadata unavailable, using git alone`);
    return null;
  }
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
  const what = repo?.service === 'gitlab' ? `merge request !${number}` : `pull request #${number}`;
  const prefix = validateRefName(`refs/senior-review/pr/${remote}/${number}`);
  const headRef = `${prefix}/head`;
  const baseRef = `${prefix}/base`;
  const before = await readRef(headRef, ctx);
  const fetchedEarlier = async () => !!before && !!(await readRef(baseRef, ctx));
  let info: PullRequestInfo | null = null;
  let headSource: string | null = null;
  let offline = false;
  if (repo) {
    info = await metadata(repo, number, opts, notes);
    headSource = pullRequestHeadRef(repo.service, number);
  } else {
    try {
      headSource = await findPullRequestRef(remote, number, ctx);
    } catch (e) {
      if ((e as GitError).code !== 'RemoteUnreachable' || !(await fetchedEarlier())) throw e;
      offline = true;
      notes.push(`${(e as Error).message}: using the copy fetched earlier`);
    }
    notes.push(`${remote} is not a GitHub or GitLab host: opened ${headSource ?? 'the copy fetched earlier'} with git alone; title, author and base branch unavailable, base = the remote's default branch`);
  }
  if (info && info.state !== 'open') notes.push(`${what} is ${info.state}`);
  let baseBranch = info?.baseBranch || (await defaultBranchOf(remote, ctx)) || 'main';
  baseBranch = validateRevision(baseBranch, 'base branch');
  const tmpHead = `refs/senior-review/tmp/${remote}/${number}/head`;
  const tmpBase = `refs/senior-review/tmp/${remote}/${number}/base`;
  if (headSource) {
    try {
      await git(['fetch', '--no-tags', '--no-recurse-submodules', '--no-write-fetch-head', '--quiet', remote,
        `+${headSource}:${tmpHead}`, `+refs/heads/${baseBranch}:${tmpBase}`], { ...ctx, timeoutMs: 120_000 });
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
      if (await fetchedEarlier()) {
        offline = true;
        notes.push(`could not fetch from ${remote} (${maskUrlCredentials(err.message)}): using the copy fetched earlier`);
      } else {
        throw new GitError(`could not fetch ${what} from ${remote}: ${maskUrlCredentials(err.message)}`, err.code);
      }
    } finally {
      for (const t of [tmpHead, tmpBase]) await runGit(['update-ref', '-d', t], { ...ctx, okExitCodes: [1, 128] });
    }
  }
  const headCommit = (await readRef(headRef, ctx))!;
  return {
    number, service: repo?.service ?? 'git', repo, remote, headSource, baseRef, headRef, baseBranch, headCommit, info, notes, offline,
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
