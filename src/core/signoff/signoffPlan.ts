// Plans a sign-off: what is still missing (required items, notes, must-visit hunks), the exact
// trailers, and how they will be written (amend or a sign-off commit) and onto which branch.

import { ChangeSet } from '../review/changeSetTypes';
import { RepoContext, headBranch } from '../git/repository';
import { runGit, git } from '../git/runGit';
import { GitError } from '../git/gitError';
import { ReviewConfig } from '../checklist/checklistTypes';
import { applicableItems, factsFromChangeSet, mustVisitHunks, riskOf } from '../checklist/evaluate';
import { ReviewSession, isChecked, noteOf } from '../checklist/session';
import { PatchIdentity, patchIdentity } from './patchIdentity';
import { TRAILER, Trailer, formatFilesValue, formatIdentity, formatPatchId, parseIdentity, safeValue } from './trailers';
import { CommitObject, identLines, readCommit } from './commitObject';
import { amendedMessage, signoffCommitMessage } from './signoffMessage';
import { allowedRule, authorRule } from './signoffRules';
import { rangeCommits } from './rangeCommits';
import { SigningSetup, signingSetup } from './signingSetup';
import { statusOf } from '../analysis/analysisStatus';

export type WriteMode = 'amend' | 'commit';

export interface SignoffPlan {
  repo: string;
  reviewer: string;
  mode: WriteMode;
  /** Why this mode (the auto rule, or the flag/config that chose it). */
  modeReason: string;
  branchRef: string;
  headCommit: string;
  baseCommit: string;
  mergeBase: string;
  trailers: Trailer[];
  missing: string[];
  override: string | null;
  identity: PatchIdentity;
  /** A refusal that no override lifts (self-approval, signed head for amend, head not a branch tip...). */
  blocked: string | null;
  signing: SigningSetup;
  /** The sign-off commit's exact message (empty when blocked), already read back by git's trailer parser. */
  message: string;
}

export async function gitIdentity(ctx: RepoContext): Promise<{ name: string; email: string }> {
  const get = async (k: string) => (await runGit(['config', '--get', k], { ...ctx, okExitCodes: [1] })).stdout.toString('utf8').trim();
  return { name: await get('user.name'), email: await get('user.email') };
}

/** The local branch whose tip is head: the named one, HEAD's branch, or the only one pointing there. */
export async function branchOfHead(headArg: string, headCommit: string, ctx: RepoContext): Promise<{ ref: string | null; why: string }> {
  const candidates: string[] = [];
  if (headArg === 'HEAD') {
    const b = await headBranch(ctx);
    if (b) candidates.push(b);
  } else if (!headArg.startsWith('refs/')) candidates.push(`refs/heads/${headArg}`);
  else candidates.push(headArg);
  for (const ref of candidates) {
    const r = await runGit(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { ...ctx, okExitCodes: [1] });
    if (r.exitCode === 0 && r.stdout.toString().trim() === headCommit && ref.startsWith('refs/heads/')) return { ref, why: '' };
  }
  const out = await git(['for-each-ref', '--format=%(refname)', '--points-at', headCommit, 'refs/heads/'], ctx);
  const tips = out.split('\n').filter(Boolean);
  if (tips.length === 1) return { ref: tips[0], why: '' };
  if (tips.length > 1) return { ref: null, why: `head is the tip of several branches (${tips.map((t) => t.replace('refs/heads/', '')).join(', ')}): pass --head BRANCH` };
  return { ref: null, why: 'head is not the tip of a local branch: check out or name the branch to sign off' };
}

async function onRemote(commit: string, ctx: RepoContext): Promise<boolean> {
  const out = await git(['for-each-ref', '--format=%(refname)', '--contains', commit, 'refs/remotes/'], ctx);
  return out.split('\n').some((l) => l && !l.endsWith('/HEAD'));
}

export interface PlanInput {
  cs: ChangeSet;
  config: ReviewConfig;
  session: ReviewSession;
  reviewer?: string;
  mode?: WriteMode;
  override?: string;
  /** true for --sign, false for --no-sign, undefined to follow the reviewer's commit.gpgSign. */
  sign?: boolean;
  ctx: RepoContext;
}

interface ModeChoice {
  mode: WriteMode;
  reason: string;
  explicit: boolean;
}

async function chooseMode(input: PlanInput): Promise<ModeChoice> {
  if (input.mode) return { mode: input.mode, reason: 'chosen explicitly', explicit: true };
  if (input.config.writeMode !== 'auto') return { mode: input.config.writeMode, reason: `set by ${input.config.source}`, explicit: true };
  if (await onRemote(input.cs.headCommit, input.ctx)) return { mode: 'commit', reason: 'the head commit is already on a remote-tracking branch, so it is not rewritten', explicit: false };
  return { mode: 'amend', reason: 'the head commit is on no remote-tracking branch', explicit: false };
}

/** The head's new message, or why the head commit cannot be amended with these trailers. */
async function amendability(head: CommitObject, authorAsGitWritesIt: Buffer, trailers: Trailer[], ctx: RepoContext): Promise<{ message: string } | { refused: string }> {
  if (head.signature) return { refused: 'the head commit is signed and amending would drop its signature' };
  if (!authorAsGitWritesIt.equals(head.authorLine)) return { refused: `git would rewrite the head commit's author '${safeValue(head.authorLine.toString('utf8'), 80)}'` };
  return amendedMessage(head, trailers, ctx);
}

export async function planSignoff(input: PlanInput): Promise<SignoffPlan> {
  const { cs, config, session, ctx } = input;
  const reviewer = input.reviewer ? normaliseReviewer(input.reviewer) : await defaultReviewer(ctx);
  const who = parseIdentity(reviewer)!;
  const facts = factsFromChangeSet(cs);
  const items = applicableItems(config.items, facts);
  const missing: string[] = [];
  for (const i of items) {
    if (i.required && !isChecked(session, i.id)) missing.push(`check "${i.title}" (${i.id})`);
    if (i.requiresNote && (i.required || isChecked(session, i.id)) && noteOf(session, i.id) === null) missing.push(`write a note for "${i.title}" (${i.id})`);
  }
  for (const h of mustVisitHunks(cs, config.mustVisitRiskAtLeast)) {
    if (!session.visited.includes(h.id)) missing.push(`visit the ${h.level}-risk hunk ${h.path} ${h.header}`);
  }
  const { ref, why } = await branchOfHead(cs.head, cs.headCommit, ctx);
  const identity = await patchIdentity(cs.mergeBase, cs.headCommit, ctx);
  const override = input.override?.trim() ? safeValue(input.override) : null;
  const risk = riskOf(cs);
  const checked = items.filter((i) => isChecked(session, i.id)).map((i) => i.id);
  const human: Trailer[] = [
    [TRAILER.reviewedBy, reviewer],
    [TRAILER.outcome, missing.length && override ? 'approved-with-override' : 'approved'],
    [TRAILER.checks, checked.length ? checked.join(',') : 'none'],
  ];
  if (risk.level) human.push([TRAILER.risk, `${risk.level} ${risk.score ?? ''}`.trim()]);
  const trailers: Trailer[] = [...human.map(([k, v]): Trailer => [k, safeValue(v)]), [TRAILER.patchId, formatPatchId(identity)], [TRAILER.files, formatFilesValue(identity)]];
  for (const i of items) {
    const note = noteOf(session, i.id);
    if (note !== null) trailers.push([TRAILER.note, safeValue(`${i.id}: ${note}`)]);
  }
  if (missing.length && override) trailers.push([TRAILER.override, safeValue(`${override} (skipped: ${missing.length} step${missing.length === 1 ? '' : 's'})`)]);

  let blocked: string | null = ref ? null : why;
  // The hunks to visit, the checklist items and the risk trailer are final only once the analysis is.
  if (!blocked) blocked = unfinishedAnalysis(cs);
  if (!blocked && cs.files.length === 0) blocked = 'there is nothing to approve: base and head have the same content';
  // The rules verify applies, applied before anything is written (approve never writes what verify rejects).
  const rule = authorRule({ text: reviewer, ...who }, await rangeCommits(cs.mergeBase, cs.headCommit, ctx), null) ?? allowedRule(config, { text: reviewer, ...who });
  if (!blocked && rule) blocked = rule.reason;
  const head = await readCommit(cs.headCommit, ctx);
  const lines = await identLines(head.author, { ...who, date: head.author.date }, ctx);
  const committer = lines.committer.toString('utf8');
  if (!blocked && committer !== `${who.name} <${who.email}> ${head.author.date}`) blocked = `git would record the committer as '${safeValue(committer, 120)}', not as the reviewer ${reviewer}`;

  const choice = await chooseMode(input);
  let { mode, reason: modeReason } = choice;
  let message = '';
  if (!blocked && mode === 'amend') {
    const amended = await amendability(head, lines.author, trailers, ctx);
    if ('message' in amended) message = amended.message;
    else if (choice.explicit) blocked = `cannot amend: ${amended.refused}: use --mode commit`;
    else [mode, modeReason] = ['commit', amended.refused];
  }
  if (!blocked && mode === 'commit') {
    const own = await signoffCommitMessage(ref!.replace(/^refs\/heads\//, ''), identity.patchId, cs.mergeBase, cs.headCommit, trailers, ctx);
    if ('message' in own) message = own.message;
    else blocked = own.refused;
  }
  return {
    repo: cs.repo, reviewer, mode, modeReason, branchRef: ref ?? '', headCommit: cs.headCommit, baseCommit: cs.baseCommit, mergeBase: cs.mergeBase,
    trailers, missing, override, identity, blocked, signing: await signingSetup(ctx, input.sign), message: blocked ? '' : message,
  };
}

function normaliseReviewer(s: string): string {
  const m = /^\s*(.*?)\s*<([^<>]*)>\s*$/.exec(s);
  if (!m) throw new GitError(`--reviewer must look like "Name <email>" (got '${safeValue(s)}')`, 'InvalidRef');
  return formatIdentity(m[1], m[2]);
}

async function defaultReviewer(ctx: RepoContext): Promise<string> {
  const id = await gitIdentity(ctx);
  return formatIdentity(id.name, id.email);
}

/** Why a change set still being analysed cannot be approved, or null when every pass is done (or off). */
function unfinishedAnalysis(cs: ChangeSet): string | null {
  const status = statusOf(cs);
  if (!status) return null;
  if (status.history === 'pending') return 'the analysis is still reading history: the hunks to visit are not known yet';
  if (status.impact.state === 'pending') return `call-graph impact is still being computed (${status.impact.analysed} of ${status.impact.total} hunks): the risk and the checklist items on callers are not final yet`;
  return null;
}
