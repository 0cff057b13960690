// `verify --commit`: one commit on the target branch after a squash or rebase merge. Its message must
// carry a sign-off (anywhere in a squash message) whose patch id is the commit's own diff against its
// first parent (or against --from for a rebase merge), judged by verify's rules that apply to it.

import { RepoContext, isAncestor, resolveCommit } from '../git/repository';
import { git } from '../git/runGit';
import { loadConfig } from '../checklist/loadConfig';
import { readCommit } from './commitObject';
import { signoffBlocks } from './mergedMessage';
import { patchIdentity } from './patchIdentity';
import { rangeCommits } from './rangeCommits';
import { TRAILER, Trailer, formatPatchId, lastTrailer, parseIdentity, parseTrailerLines } from './trailers';
import { VerifyResult, judgeSignoff } from './verifySignoff';

export type NotChecked = { rule: 'committer' | 'signature' | 'blocking-threads'; why: string };

export interface MergedVerifyResult extends VerifyResult {
  commit: string;
  /** The diff is from..commit: the first parent (squash merge) or --from (rebase merge). */
  from: string;
  committer: string;
  /** Rules of the pull request's verify that a commit made when merging cannot satisfy, and why. */
  notChecked: NotChecked[];
}

/** A commit given to --commit that cannot be judged this way (a merge commit, no parent, --from not below it). */
export class MergedCommitError extends Error {}

/** Why a squash message may lack the trailers: the hosts' settings that keep or drop the commits' messages. */
const MISSING_HINT = "GitHub's default squash message keeps every commit's message, its \"pull request title\" default drops them; GitLab's default squash template %{title} drops them: include %{all_commits}";

const BLOCKING_THREADS: NotChecked = { rule: 'blocking-threads', why: "threads belong to the pull request's branch: verify checks them on the pull request before merging" };

async function candidates(sha: string, ctx: RepoContext): Promise<Trailer[][]> {
  // git's own reading first (a sign-off commit kept as written), then every block of a squash message.
  const own = parseTrailerLines(await git(['log', '-1', '--no-show-signature', '--format=%(trailers:only,unfold)', sha, '--'], ctx));
  const blocks = signoffBlocks((await readCommit(sha, ctx)).message.toString('utf8'));
  const all = lastTrailer(own, TRAILER.patchId) !== null ? [...blocks, own] : blocks;
  const seen = new Set<string>();
  return all.filter((b) => {
    const k = JSON.stringify(b);
    return !seen.has(k) && !!seen.add(k);
  });
}

/** A failure that got past the patch id says more than one that did not (stale or malformed). */
const rank = (r: VerifyResult) => (r.ok ? 2 : r.status === 'stale' || r.status === 'malformed' || r.status === 'outdated' ? 0 : 1);

export async function verifyMergedCommit(commitArg: string, ctx: RepoContext, opts: { from?: string; requireSignature?: boolean } = {}): Promise<MergedVerifyResult> {
  const sha = await resolveCommit(commitArg, ctx, 'commit');
  const parents = (await git(['show', '-s', '--no-show-signature', '--format=%P', sha, '--'], ctx)).trim().split(' ').filter(Boolean);
  const short = sha.slice(0, 12);
  let from: string;
  if (opts.from !== undefined) {
    from = await resolveCommit(opts.from, ctx, '--from');
    if (from === sha || !(await isAncestor(from, sha, ctx))) throw new MergedCommitError(`--from ${opts.from} is not an ancestor of ${short}`);
  } else if (parents.length === 1) from = parents[0];
  else if (parents.length === 0) throw new MergedCommitError(`${short} has no parent: there is no diff to compare with an approval`);
  else throw new MergedCommitError(`${short} is a merge commit: verify the merged branch with --base ${short}^1 --head ${short}^2`);

  const current = await patchIdentity(from, sha, ctx);
  const commits = await rangeCommits(from, sha, ctx);
  const self = commits.find((c) => c.sha === sha)!;
  const committer = `${self.committerName} <${self.committerEmail}>`;
  const base: Omit<MergedVerifyResult, keyof VerifyResult> = { commit: sha, from, committer, notChecked: [BLOCKING_THREADS] };
  const blocks = await candidates(sha, ctx);
  if (blocks.length === 0) {
    return {
      ...base, status: 'missing', ok: false, reason: `no sign-off in the message of ${short} (${MISSING_HINT})`, reviewer: null, signoffCommit: null,
      approvedPatchId: null, currentPatchId: formatPatchId(current), changedFiles: [], signer: null, trailers: [],
    };
  }
  const config = await loadConfig(from, ctx);
  let best: MergedVerifyResult | null = null;
  // Newest last in GitHub's list and first in GitLab's: every block is judged, a valid one wins.
  for (const trailers of blocks.reverse()) {
    const reviewer = parseIdentity(lastTrailer(trailers, TRAILER.reviewedBy) ?? '');
    // A commit the reviewer committed (a fast-forward kept it) is theirs; any other was made by the host.
    const own = !!reviewer && reviewer.email.toLowerCase() === self.committerEmail.toLowerCase();
    const notChecked: NotChecked[] = own ? [BLOCKING_THREADS] : [
      { rule: 'committer', why: `${committer} made the commit when merging, not the reviewer` },
      { rule: 'signature', why: "a commit the host made carries the host's signature, if any, never the reviewer's: check --require-signature on the pull request before merging" },
      BLOCKING_THREADS,
    ];
    const judged = await judgeSignoff({
      signoff: { ...self, trailers }, commits, current, config, baseCommit: from,
      requireSignature: opts.requireSignature === true && own, committerIsReviewer: false, ctx,
    });
    let r: MergedVerifyResult = { ...judged, ...base, notChecked };
    if (r.ok && opts.requireSignature === true && !own) {
      r = { ...r, ok: false, status: 'unsigned', reason: `${short} was made by ${committer} when merging: the reviewer's signature cannot be on it (check --require-signature on the pull request before merging)` };
    }
    if (r.ok) r.reason = `${r.reason}; committed by ${committer}`;
    if (!best || rank(r) > rank(best)) best = r;
    if (r.ok) break;
  }
  return best!;
}
