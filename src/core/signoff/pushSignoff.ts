// Pushes a signed-off head to the branch it came from: a plain push for a sign-off commit on top of
// the reviewed head, a push with a lease on the exact head it replaced for an amended one; refused in
// one line when the remote moved. Only refs are sent: the work tree, index and local branches stay.

import { git, runGit } from '../git/runGit';
import { GitError, firstErrorLine } from '../git/gitError';
import { RepoContext, headBranch, readRef } from '../git/repository';
import { OID_RE, validateRefName, validateRevision } from '../git/refs';
import { maskUrlCredentials } from '../hosting/maskCredentials';
import { commentsRef } from '../loop/commentStore';
import { reviewNameFor } from '../loop/commentThreads';
import { TRAILER, lastTrailer, parseTrailerLines } from './trailers';

export interface PushRequest {
  /** The local branch holding the sign-off (default: the checked-out one). */
  branch?: string;
  /** A configured remote (default: the branch's push remote, else its upstream's). */
  remote?: string;
  /** The remote branch (default: the upstream branch when pushing to the upstream's remote, else the same name). */
  to?: string;
  /** Push the review's comment threads too (default true). */
  comments?: boolean;
}

export interface PushPlan {
  branchRef: string;
  tip: string;
  reviewer: string;
  remote: string;
  /** refs/heads/… on the remote. */
  dest: string;
  /** commit: a sign-off commit on the reviewed head (plain push); amend: the head rewritten (lease on the head it replaced). */
  mode: 'commit' | 'amend';
  /** What the remote branch must be for the push to go ahead: the reviewed head(s), or null when the branch is not there. */
  expected: string[];
  /** The remote branch as ls-remote saw it (null: it does not exist). */
  remoteNow: string | null;
  /** The push's arguments after `git push`, exactly (empty when there is nothing to send). */
  args: string[];
  /** Local comments ref → remote comments ref, when there are comments to push. */
  comments: { from: string; to: string } | null;
  /** Nothing to do for the branch: the remote already has the sign-off. */
  upToDate: boolean;
}

/** A push refused before anything was sent; `badRequest` when what was asked cannot be done (no such branch or remote). */
export class PushRefused extends Error {
  constructor(message: string, readonly badRequest = false) {
    super(message);
  }
}

async function config(key: string, ctx: RepoContext): Promise<string | null> {
  const r = await runGit(['config', '--get', key], { ...ctx, okExitCodes: [1] });
  const v = r.stdout.toString('utf8').trim();
  return r.exitCode === 0 && v ? v : null;
}

const short = (oid: string | null) => (oid ? oid.slice(0, 12) : 'nothing');

/** The sign-off's reviewer when `tip` carries sign-off trailers (as git reads them), else null. */
async function signoffReviewer(tip: string, ctx: RepoContext): Promise<string | null> {
  const trailers = parseTrailerLines(await git(['log', '-1', '--no-show-signature', '--format=%(trailers:only,unfold)', tip, '--'], ctx));
  return lastTrailer(trailers, TRAILER.patchId) ? lastTrailer(trailers, TRAILER.reviewedBy) ?? '' : null;
}

/** Tree and parents of a commit, to recognise the head an amend replaced (same tree, same parents). */
async function shape(oid: string, ctx: RepoContext): Promise<string> {
  return (await git(['show', '-s', '--no-show-signature', '--format=%T %P', oid, '--'], ctx)).trim();
}

/**
 * The heads approve's amend replaced on this branch: backups under refs/senior-review/backup/<branch>/
 * with the tip's tree and parents (an amend changes only the message and committer).
 */
async function replacedHeads(branch: string, tip: string, ctx: RepoContext): Promise<string[]> {
  const out = await git(['for-each-ref', '--format=%(objectname)', validateRefName(`refs/senior-review/backup/${branch}`) + '/'], ctx);
  const tipShape = await shape(tip, ctx);
  const found: string[] = [];
  for (const oid of out.split('\n').filter((l) => OID_RE.test(l))) if (oid !== tip && (await shape(oid, ctx)) === tipShape) found.push(oid);
  return found;
}

/** The remote branch's commit as the remote says it now (ls-remote), or null when it does not exist. */
async function remoteValue(remote: string, dest: string, ctx: RepoContext): Promise<string | null> {
  let out: string;
  try {
    out = (await runGit(['ls-remote', '--refs', remote, dest], { ...ctx, timeoutMs: 60_000 })).stdout.toString('utf8');
  } catch (e) {
    const err = e as GitError;
    if (err.code === 'Cancelled') throw err;
    throw new GitError(`could not reach remote '${remote}' (${maskUrlCredentials(err.message)}): nothing pushed`, 'RemoteUnreachable');
  }
  for (const line of out.split('\n')) {
    const [oid, ref] = line.split('\t');
    if (ref === dest && OID_RE.test(oid)) return oid;
  }
  return null;
}

async function destination(branch: string, req: PushRequest, ctx: RepoContext): Promise<{ remote: string; dest: string }> {
  const upstreamRemote = await config(`branch.${branch}.remote`, ctx);
  const remote = req.remote ?? (await config(`branch.${branch}.pushRemote`, ctx)) ?? (await config('remote.pushDefault', ctx)) ?? upstreamRemote;
  if (!remote || remote === '.') throw new PushRefused(`${branch} has no upstream on a remote: pass --remote NAME (and --to BRANCH when the remote branch has another name)`, true);
  validateRevision(remote, 'remote');
  if (!(await config(`remote.${remote}.url`, ctx))) throw new PushRefused(`no remote named '${remote}'`, true);
  const merge = await config(`branch.${branch}.merge`, ctx);
  const name = req.to ?? (remote === upstreamRemote && merge?.startsWith('refs/heads/') ? merge.slice('refs/heads/'.length) : branch);
  validateRevision(name, 'remote branch');
  return { remote, dest: validateRefName(`refs/heads/${name.replace(/^refs\/heads\//, '')}`) };
}

/** What would be pushed and why, after asking the remote where its branch is; nothing is written. */
export async function planPush(req: PushRequest, ctx: RepoContext): Promise<PushPlan> {
  let branch = req.branch?.replace(/^refs\/heads\//, '');
  if (!branch) {
    const checkedOut = await headBranch(ctx);
    if (!checkedOut) throw new PushRefused('HEAD is detached: name the signed-off branch with --branch BRANCH', true);
    branch = checkedOut.replace(/^refs\/heads\//, '');
  }
  validateRevision(branch, 'branch');
  const branchRef = validateRefName(`refs/heads/${branch}`);
  const tip = await readRef(branchRef, ctx);
  if (!tip) throw new PushRefused(`no local branch '${branch}'`, true);
  const reviewer = await signoffReviewer(tip, ctx);
  if (reviewer === null) throw new PushRefused(`the tip of ${branch} (${short(tip)}) carries no sign-off: approve first`);
  const { remote, dest } = await destination(branch, req, ctx);

  const replaced = await replacedHeads(branch, tip, ctx);
  const mode = replaced.length ? 'amend' : 'commit';
  const parent = (await git(['rev-parse', '--verify', '--quiet', `${tip}^1`], { ...ctx, okExitCodes: [1] })).trim();
  const expected = mode === 'amend' ? replaced : parent ? [parent] : [];
  const remoteNow = await remoteValue(remote, dest, ctx);
  const upToDate = remoteNow === tip;
  if (!upToDate && remoteNow !== null && !expected.includes(remoteNow)) {
    throw new PushRefused(`${remote} moved: ${dest.replace('refs/heads/', '')} there is ${short(remoteNow)}, the sign-off is on ${expected.map(short).join(' or ') || 'a root commit'} (the reviewed head): nothing pushed; fetch, review again and approve`);
  }
  // An amended head replaces the commit the remote has: only with a lease on exactly that commit
  // (or on there being no such branch yet). A sign-off commit sits on the reviewed head: a plain push.
  const lease = mode === 'amend' && !upToDate ? [`--force-with-lease=${dest}:${remoteNow ?? ''}`] : [];

  let comments: PushPlan['comments'] = null;
  if (req.comments !== false) {
    const from = commentsRef(await reviewNameFor(branch, ctx));
    if (await readRef(from, ctx)) comments = { from, to: commentsRef(dest.replace('refs/heads/', '')) };
  }
  const refspecs = [...(upToDate ? [] : [`${tip}:${dest}`]), ...(comments ? [`${comments.from}:${comments.to}`] : [])];
  // No tags, submodules or push certificates from the reviewer's configuration ride along; both refs land or neither.
  const args = refspecs.length ? ['--porcelain', '--no-follow-tags', '--recurse-submodules=no', '--no-signed', ...(refspecs.length > 1 ? ['--atomic'] : []), ...lease, remote, ...refspecs] : [];
  return { branchRef, tip, reviewer, remote, dest, mode, expected, remoteNow, args, comments, upToDate };
}

export interface PushResult {
  plan: PushPlan;
  /** Per ref pushed: `git push --porcelain`'s summary ("[new branch]", "abc..def", "+ abc...def (forced update)", "[up to date]"). */
  updated: Array<{ ref: string; summary: string }>;
}

interface PorcelainLine {
  flag: string;
  to: string;
  summary: string;
}

function porcelain(out: string): PorcelainLine[] {
  return out.split('\n').map((l) => /^([ +\-*=!])\t[^\t]*:([^\t]+)\t(.*)$/.exec(l)).filter((m): m is RegExpExecArray => !!m).map((m) => ({ flag: m[1], to: m[2], summary: m[3] }));
}

/** Why a ref was rejected, in the reviewer's terms. */
function rejection(l: PorcelainLine, plan: PushPlan): string {
  const what = l.to === plan.dest ? `${plan.dest.replace('refs/heads/', '')} on ${plan.remote}` : `the comments (${l.to})`;
  if (/stale info|fetch first|non-fast-forward/.test(l.summary)) {
    return l.to === plan.dest
      ? `${what} moved while pushing (${l.summary}): nothing pushed; fetch, review again and approve`
      : `${what} on ${plan.remote} have threads you have not fetched (${l.summary}): nothing pushed; fetch them (git fetch ${plan.remote} '${l.to}') or push with --no-comments`;
  }
  if (/atomic push failed/.test(l.summary)) return '';
  return `${what} was refused (${l.summary}): nothing pushed`;
}

/** Runs the planned push (after planPush checked the remote): one `git push`, atomic when it carries two refs. */
export async function executePush(plan: PushPlan, ctx: RepoContext): Promise<PushResult> {
  if (plan.args.length === 0) return { plan, updated: [] };
  const r = await runGit(['push', ...plan.args], { ...ctx, timeoutMs: 300_000, okExitCodes: [1, 128] });
  const lines = porcelain(r.stdout.toString('utf8'));
  if (r.exitCode !== 0) {
    const reasons = lines.filter((l) => l.flag === '!').map((l) => rejection(l, plan)).filter(Boolean);
    const why = reasons[0] ?? `git push failed: ${maskUrlCredentials(firstErrorLine(r.stderr)) || `exit ${r.exitCode}`}; nothing pushed`;
    throw new PushRefused(why);
  }
  return { plan, updated: lines.map((l) => ({ ref: l.to, summary: l.summary })) };
}

export async function pushSignoff(req: PushRequest, ctx: RepoContext): Promise<PushResult> {
  return executePush(await planPush(req, ctx), ctx);
}
