// Writes a planned sign-off into git without touching the work tree or the index: a new commit made
// with commit-tree (amend: head's tree, parents and author with the new message; commit: an empty
// sign-off commit on top), signed by git when the reviewer's setup says so, kept by an attempt ref of
// its own, judged by verify's rules, then the branch moved by compare-and-swap.

import { git, runGit } from '../git/runGit';
import { GitError, firstErrorLine } from '../git/gitError';
import { RepoContext, readRef } from '../git/repository';
import { validateRefName } from '../git/refs';
import { loadConfig } from '../checklist/loadConfig';
import { SignoffPlan } from './signoffPlan';
import { TRAILER, lastTrailer, parseIdentity } from './trailers';
import { Ident, identEnv, readCommit } from './commitObject';
import { rangeCommits } from './rangeCommits';
import { judgeSignoff } from './verifySignoff';

export type SignoffStep = 'backup-ref' | 'message' | 'create-commit' | 'check-commit' | 'move-branch' | 'drop-attempt-ref';

export const SIGNOFF_STEPS: readonly SignoffStep[] = ['backup-ref', 'message', 'create-commit', 'check-commit', 'move-branch', 'drop-attempt-ref'];

export interface WriteResult {
  commit: string;
  branchRef: string;
  previous: string;
  mode: 'amend' | 'commit';
  backupRef: string | null;
  signed: boolean;
}

const ZERO = '0'.repeat(40);
/** A concurrent approve holds a ref lock for milliseconds: wait for it rather than fail. */
const LOCK_WAIT = ['-c', 'core.filesRefLockTimeout=5000'];

function branchName(branchRef: string): string {
  return branchRef.replace(/^refs\/heads\//, '');
}

export function backupRefFor(branchRef: string, oid: string): string {
  return validateRefName(`refs/senior-review/backup/${branchName(branchRef)}/${oid}`);
}

/** One ref per attempt (named by its commit), so two approves of one branch never share a ref. */
export function attemptRefFor(branchRef: string, oid: string): string {
  return validateRefName(`refs/senior-review/attempt/${branchName(branchRef)}/${oid}`);
}

function abandonedRefFor(branchRef: string, oid: string): string {
  return validateRefName(`refs/senior-review/abandoned/${branchName(branchRef)}/${oid}`);
}

/**
 * A ref that must exist with exactly `oid`: created if absent, accepted if already there with that
 * value (a retry after a crash, or a concurrent approve that made the identical commit in the same
 * second), created again if that other approve dropped it meanwhile.
 */
async function ensureRef(ref: string, oid: string, message: string, ctx: RepoContext): Promise<void> {
  let stderr = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await runGit([...LOCK_WAIT, 'update-ref', '-m', message, ref, oid, ZERO], { ...ctx, okExitCodes: [1, 128] });
    if (r.exitCode === 0) return;
    stderr = r.stderr;
    const now = await readRef(ref, ctx);
    if (now === oid) return;
    if (now) break;
  }
  throw new GitError(`could not create ${ref}: ${firstErrorLine(stderr)}`, 'RefLocked');
}

async function createCommit(plan: SignoffPlan, tree: string, parents: string[], author: Ident, committer: Ident, ctx: RepoContext): Promise<string> {
  const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), plan.signing.sign ? '-S' : '--no-gpg-sign'];
  try {
    return (await git(args, { ...ctx, input: plan.message, env: identEnv(author, committer) })).trim();
  } catch (e) {
    if (plan.signing.sign && e instanceof GitError) throw new GitError(`could not sign the sign-off commit (${e.message}): check user.signingKey and gpg.format, load the key into your agent, or pass --no-sign`, e.code);
    throw e;
  }
}

/** Keeps an unused attempt reachable under "abandoned" (unless the branch already holds it), then drops the attempt ref. */
async function abandon(branchRef: string, attempt: string, created: string, tip: string, ctx: RepoContext): Promise<void> {
  if (tip !== created) await git(['update-ref', '-m', 'senior-review: abandoned sign-off', abandonedRefFor(branchRef, created), created], ctx);
  await runGit([...LOCK_WAIT, 'update-ref', '-d', attempt, created], { ...ctx, okExitCodes: [1, 128] });
}


/** Why the compare-and-swap lost: another approve of the same diff, or anything else. */
async function lostRace(plan: SignoffPlan, tip: string, ctx: RepoContext): Promise<GitError> {
  const name = branchName(plan.branchRef);
  if (tip) {
    const [winner] = await rangeCommits(`${tip}~1`, tip, ctx).catch(() => []);
    const ours = lastTrailer(plan.trailers, TRAILER.patchId);
    if (winner && lastTrailer(winner.trailers, TRAILER.patchId) === ours) {
      return new GitError(`another approve won: ${name} is now ${tip.slice(0, 12)}, a sign-off by ${lastTrailer(winner.trailers, TRAILER.reviewedBy) ?? 'someone'}; nothing was changed`, 'RefChanged');
    }
  }
  return new GitError(`${name} moved during approve (now ${tip.slice(0, 12) || 'deleted'}, expected ${plan.headCommit.slice(0, 12)}): nothing was changed; review again`, 'RefChanged');
}

export async function writeSignoff(plan: SignoffPlan, ctx: RepoContext, onStep: (s: SignoffStep) => void = () => {}): Promise<WriteResult> {
  if (plan.blocked) throw new GitError(plan.blocked, 'Unknown');
  if (plan.missing.length && !plan.override) throw new GitError(`cannot approve yet: ${plan.missing.length} step(s) missing`, 'Unknown');
  const branchRef = validateRefName(plan.branchRef);
  const old = plan.headCommit;
  const reviewer = parseIdentity(plan.reviewer)!;
  let backupRef: string | null = null;

  onStep('backup-ref');
  if (plan.mode === 'amend') {
    backupRef = backupRefFor(branchRef, old);
    // Create-only; a retry after a crash (or a concurrent approve) finds it already there, which is fine.
    await ensureRef(backupRef, old, 'senior-review: backup before sign-off', ctx);
  }

  onStep('message');
  const head = await readCommit(old, ctx);
  const now: Ident = { ...reviewer, date: `${Math.floor(Date.now() / 1000)} +0000` };

  onStep('create-commit');
  // commit-tree writes the object, the attempt ref keeps it: nothing of ours runs between the two.
  const created = plan.mode === 'amend'
    ? await createCommit(plan, head.tree, head.parents, head.author, now, ctx)
    : await createCommit(plan, head.tree, [old], now, now, ctx);
  const attempt = attemptRefFor(branchRef, created);
  await ensureRef(attempt, created, `senior-review: sign-off attempt by ${plan.reviewer}`, ctx);

  onStep('check-commit');
  // verify's own judgement of what was just written, before the branch sees it.
  const commits = await rangeCommits(plan.mergeBase, created, ctx);
  const config = await loadConfig(plan.baseCommit, ctx);
  const judged = await judgeSignoff({ signoff: commits[0], commits, current: plan.identity, config, baseCommit: plan.baseCommit, requireSignature: false, ctx });
  if (!judged.ok) {
    await abandon(branchRef, attempt, created, (await readRef(branchRef, ctx)) ?? '', ctx);
    throw new GitError(`the sign-off would not verify (${judged.status}: ${judged.reason}): nothing was changed`, 'Unknown');
  }

  onStep('move-branch');
  const moved = await runGit([...LOCK_WAIT, 'update-ref', '-m', `senior-review: sign-off by ${plan.reviewer}`, branchRef, created, old], { ...ctx, okExitCodes: [1, 128] });
  if (moved.exitCode !== 0) {
    const tip = (await readRef(branchRef, ctx)) ?? '';
    await abandon(branchRef, attempt, created, tip, ctx);
    throw await lostRace(plan, tip, ctx);
  }

  onStep('drop-attempt-ref');
  // The sign-off is on the branch now; a failed clean-up leaves a ref, never a failed approve.
  await runGit(['update-ref', '-d', attempt, created], { ...ctx, okExitCodes: [1, 128] });
  return { commit: created, branchRef, previous: old, mode: plan.mode, backupRef, signed: plan.signing.sign };
}
