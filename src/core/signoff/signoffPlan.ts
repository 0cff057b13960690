// Plans a sign-off: what is still missing (required items, notes, must-visit hunks), the exact
// trailers, and how they will be written (amend or a sign-off commit) and onto which branch.

import { ChangeSet } from '../review/changeSetTypes';
import { RepoContext, headBranch } from '../git/repository';
import { runGit, git } from '../git/runGit';
import { GitError } from '../git/gitError';
import { ReviewConfig } from '../checklist/checklistTypes';
import { applicableItems, factsFromChangeSet, mustVisitHunks, riskOf } from '../checklist/evaluate';
import { ReviewSession } from '../checklist/session';
import { PatchIdentity, patchIdentity } from './patchIdentity';
import { TRAILER, Trailer, formatIdentity, safeValue } from './trailers';

export type WriteMode = 'amend' | 'commit';

export interface SignoffPlan {
  repo: string;
  reviewer: string;
  mode: WriteMode;
  /** Why this mode (the auto rule, or the flag/config that chose it). */
  modeReason: string;
  branchRef: string;
  headCommit: string;
  mergeBase: string;
  trailers: Trailer[];
  missing: string[];
  override: string | null;
  identity: PatchIdentity;
  /** A refusal that no override lifts (signed head for amend, head not a branch tip...). */
  blocked: string | null;
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

export async function isSigned(commit: string, ctx: RepoContext): Promise<boolean> {
  const raw = await git(['cat-file', 'commit', commit], ctx);
  const header = raw.slice(0, raw.indexOf('\n\n'));
  return /^gpgsig(-sha256)? /m.test(header);
}

export interface PlanInput {
  cs: ChangeSet;
  config: ReviewConfig;
  session: ReviewSession;
  reviewer?: string;
  mode?: WriteMode;
  override?: string;
  ctx: RepoContext;
}

export async function planSignoff(input: PlanInput): Promise<SignoffPlan> {
  const { cs, config, session, ctx } = input;
  const reviewer = input.reviewer ? normaliseReviewer(input.reviewer) : await defaultReviewer(ctx);
  const facts = factsFromChangeSet(cs);
  const items = applicableItems(config.items, facts);
  const missing: string[] = [];
  for (const i of items) {
    if (i.required && !session.checked[i.id]) missing.push(`check "${i.title}" (${i.id})`);
    if (i.requiresNote && (i.required || session.checked[i.id]) && !session.notes[i.id]?.trim()) missing.push(`write a note for "${i.title}" (${i.id})`);
  }
  for (const h of mustVisitHunks(cs, config.mustVisitRiskAtLeast)) {
    if (!session.visited.includes(h.id)) missing.push(`visit the ${h.level}-risk hunk ${h.path} ${h.header}`);
  }
  const { ref, why } = await branchOfHead(cs.head, cs.headCommit, ctx);
  let mode: WriteMode;
  let modeReason: string;
  if (input.mode) {
    mode = input.mode;
    modeReason = 'chosen explicitly';
  } else if (config.writeMode !== 'auto') {
    mode = config.writeMode;
    modeReason = `set by ${config.source}`;
  } else if (await onRemote(cs.headCommit, ctx)) {
    mode = 'commit';
    modeReason = 'the head commit is already on a remote-tracking branch, so it is not rewritten';
  } else {
    mode = 'amend';
    modeReason = 'the head commit is on no remote-tracking branch';
  }
  let blocked: string | null = ref ? null : why;
  if (!blocked && mode === 'amend' && (await isSigned(cs.headCommit, ctx))) {
    blocked = 'the head commit is signed and amending would drop its signature: use --mode commit';
  }
  if (!blocked && cs.files.length === 0) blocked = 'there is nothing to approve: base and head have the same content';
  const identity = await patchIdentity(cs.mergeBase, cs.headCommit, ctx);
  const override = input.override?.trim() ? safeValue(input.override) : null;
  const risk = riskOf(cs);
  const checked = items.filter((i) => session.checked[i.id]).map((i) => i.id);
  const trailers: Trailer[] = [
    [TRAILER.reviewedBy, reviewer],
    [TRAILER.outcome, missing.length && override ? 'approved-with-override' : 'approved'],
    [TRAILER.checks, checked.length ? checked.join(',') : 'none'],
  ];
  if (risk.level) trailers.push([TRAILER.risk, `${risk.level} ${risk.score ?? ''}`.trim()]);
  trailers.push([TRAILER.patchId, identity.patchId]);
  trailers.push([TRAILER.files, Object.entries(identity.files).map(([k, v]) => `${k}:${v}`).join(',')]);
  for (const i of items) if (session.notes[i.id]?.trim()) trailers.push([TRAILER.note, `${i.id}: ${session.notes[i.id]}`]);
  if (missing.length && override) trailers.push([TRAILER.override, `${override} (skipped: ${missing.length} step${missing.length === 1 ? '' : 's'})`]);
  return {
    repo: cs.repo, reviewer, mode, modeReason, branchRef: ref ?? '', headCommit: cs.headCommit, mergeBase: cs.mergeBase,
    trailers: trailers.map(([k, v]) => [k, safeValue(v)]), missing, override, identity, blocked,
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
