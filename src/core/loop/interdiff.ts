// "Changes since my last review": every hunk of the current diff classified against the hunks the
// reviewer saw at their reviewed head (unchanged, changed, new) and the seen hunks that are gone.

import { GitError } from '../git/gitError';
import { RepoContext, mergeBase as gitMergeBase } from '../git/repository';
import { runGit } from '../git/runGit';
import { ChangeSet, ChangedFile, Hunk } from '../review/changeSetTypes';
import { computeChangeSet, diffCommits } from '../review/changeSet';
import { parseRawZ } from '../review/rawDiff';
import { baselineRound, formerIds, readSession } from './reviewSession';
import { findReviewerSignoff } from './reviewerSignoff';

export type ReviewState = 'unchanged' | 'changed' | 'new';

/** A hunk as the reviewer saw it at the reviewed head, read back from git objects. */
export interface SeenHunk {
  /** Path at the reviewed head. */
  path: string;
  hunk: Hunk;
}

export interface HunkSinceReview {
  state: ReviewState;
  /** unchanged: the same content seen before; changed: the seen hunks at the same place (to diff against). */
  previous: SeenHunk[];
}

export interface SinceReview {
  reviewer: string;
  reviewedHead: string;
  reviewedMergeBase: string;
  /** The reviewer's sign-off in the current history, when it counts as seen (its patch id from the trailers). */
  signoff: { commit: string; approvedPatchId: string } | null;
  /** By current hunk id. */
  hunks: Map<string, HunkSinceReview>;
  /** Seen hunks with no counterpart in the current diff. */
  gone: SeenHunk[];
  counts: { unchanged: number; changed: number; new: number; gone: number };
}

/** Base ranges closer than this (in lines) are "the same place", like git merging hunks 2×3 context lines apart. */
const NEAR = 3;

export interface SinceReviewOptions {
  reviewer: string;
  gitDir: string;
  ctx: RepoContext;
}

/** `old path at the reviewed head → path now`, from git's rename detection between the two heads. */
async function renamesBetween(from: string, to: string, ctx: RepoContext): Promise<Map<string, string>> {
  const out = (await runGit(['diff', '--raw', '-z', '--no-abbrev', '--find-renames', '--no-ext-diff', '--no-textconv', from, to, '--'], { ...ctx, timeoutMs: 0 })).stdout;
  const m = new Map<string, string>();
  for (const e of parseRawZ(out).entries) if (e.status === 'renamed' && e.oldPath) m.set(e.oldPath, e.path);
  return m;
}

/** Base-side line shift when the merge base moved (a rebase): per base path, the hunks old base → new base. */
async function baseMoves(from: string, to: string, paths: readonly string[], ctx: RepoContext, gitDir: string): Promise<Map<string, Hunk[]>> {
  const m = new Map<string, Hunk[]>();
  if (from === to || paths.length === 0) return m;
  const files = await diffCommits(from, to, paths.map((p) => `:(literal)${p}`), { ...ctx, timeoutMs: 0 }, gitDir);
  for (const f of files) m.set(f.oldPath ?? f.path, f.hunks);
  return m;
}

/** Where a base line of the old merge base sits in the new one (a removed line: where its hunk went). */
function shiftLine(moves: readonly Hunk[] | undefined, line: number): number {
  let delta = 0;
  for (const h of moves ?? []) {
    if (line < h.oldStart) break;
    if (line < h.oldStart + h.oldLines) return h.newStart;
    delta += h.newLines - h.oldLines;
  }
  return line + delta;
}

const baseRange = (h: Hunk): [number, number] => [h.oldStart, h.oldStart + Math.max(h.oldLines, 1) - 1];

function samePlace(seen: SeenHunk, seenFile: ChangedFile, moves: Map<string, Hunk[]>, now: Hunk): boolean {
  const shift = moves.get(seenFile.oldPath ?? seenFile.path);
  const [a0, a1] = baseRange(seen.hunk).map((l) => shiftLine(shift, l));
  const [b0, b1] = baseRange(now);
  if (a0 <= b1 + NEAR && b0 <= a1 + NEAR) return true;
  return seen.hunk.section.trim() !== '' && seen.hunk.section === now.section;
}

async function reviewedChangeSet(cs: ChangeSet, head: string, mb: string, ctx: RepoContext, gitDir: string): Promise<ChangeSet> {
  const has = await runGit(['cat-file', '-e', `${head}^{commit}`], { ...ctx, okExitCodes: [1, 128] });
  if (has.exitCode !== 0) throw new GitError(`the reviewed head ${head.slice(0, 12)} is no longer in this repository`, 'BadObject');
  return computeChangeSet(cs.repo, { base: cs.base, head: cs.head, baseCommit: cs.baseCommit, headCommit: head, mergeBase: mb }, ctx, undefined, gitDir);
}

/**
 * Classifies the change set against the reviewer's last review: their session's baseline round and
 * their newest sign-off in this history (an approval saw every hunk of its diff), whichever is newer
 * gives the reviewed head. Null when the reviewer has no earlier review of this range.
 */
export async function sinceLastReview(cs: ChangeSet, opts: SinceReviewOptions): Promise<SinceReview | null> {
  const { ctx } = opts;
  const round = baselineRound(readSession(opts.gitDir, opts.reviewer, cs.base, cs.head), cs.headCommit);
  const signoff = await findReviewerSignoff(opts.reviewer, cs.mergeBase, cs.headCommit, ctx);
  if (!round && !signoff) return null;
  const seenIds = new Set(round?.visited ?? []);
  let signoffCs: ChangeSet | null = null;
  if (signoff) {
    signoffCs = await reviewedChangeSet(cs, signoff.commit, cs.mergeBase, ctx, opts.gitDir);
    for (const f of signoffCs.files) for (const h of f.hunks) seenIds.add(h.id);
  }
  let reviewed: ChangeSet;
  if (signoffCs && (!round || signoff!.at >= Date.parse(round.at))) reviewed = signoffCs;
  else {
    const mb = round!.mergeBase ?? (await gitMergeBase(cs.baseCommit, round!.headCommit, ctx));
    if (!mb) throw new GitError(`the reviewed head ${round!.headCommit.slice(0, 12)} has no merge base with ${cs.base}`, 'NoMergeBase');
    reviewed = await reviewedChangeSet(cs, round!.headCommit, mb, ctx, opts.gitDir);
  }
  return classify(cs, reviewed, seenIds, {
    renames: await renamesBetween(reviewed.headCommit, cs.headCommit, ctx),
    moves: await baseMoves(reviewed.mergeBase, cs.mergeBase, [...new Set(reviewed.files.map((f) => f.oldPath ?? f.path))], ctx, opts.gitDir),
    reviewer: opts.reviewer,
    signoff: signoff ? { commit: signoff.commit, approvedPatchId: signoff.approvedPatchId } : null,
  });
}

interface ClassifyInputs {
  renames: Map<string, string>;
  moves: Map<string, Hunk[]>;
  reviewer: string;
  signoff: SinceReview['signoff'];
}

/** The classification itself, on data: exported for the editor, which may hold both change sets already. */
export function classify(cs: ChangeSet, reviewed: ChangeSet, seenIds: ReadonlySet<string>, inp: ClassifyInputs): SinceReview {
  const seen: Array<SeenHunk & { file: ChangedFile }> = [];
  for (const f of reviewed.files) for (const h of f.hunks) if (seenIds.has(h.id)) seen.push({ path: f.path, hunk: h, file: f });
  const byId = new Map<string, Array<SeenHunk & { file: ChangedFile }>>();
  for (const s of seen) byId.set(s.hunk.id, [...(byId.get(s.hunk.id) ?? []), s]);
  const formerPath = new Map([...inp.renames].map(([from, to]) => [to, from]));
  const hunks = new Map<string, HunkSinceReview>();
  const matched = new Set<SeenHunk>();
  const counts = { unchanged: 0, changed: 0, new: 0, gone: 0 };
  for (const f of cs.files) {
    const pathThen = formerPath.get(f.path) ?? f.path;
    for (const h of f.hunks) {
      const ids = [...formerIds(f.path, f.oldPath, h.lines, h.id), ...formerIds(f.path, pathThen, h.lines, h.id)];
      const same = [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
      const near = same.length ? [] : seen.filter((s) => s.path === pathThen && samePlace(s, s.file, inp.moves, h));
      const state: ReviewState = same.length ? 'unchanged' : near.length ? 'changed' : 'new';
      const previous = same.length ? same : near;
      for (const p of previous) matched.add(p);
      hunks.set(h.id, { state, previous: previous.map(({ path, hunk }) => ({ path, hunk })) });
      counts[state]++;
    }
  }
  const gone = seen.filter((s) => !matched.has(s)).map(({ path, hunk }) => ({ path, hunk }));
  counts.gone = gone.length;
  return { reviewer: inp.reviewer, reviewedHead: reviewed.headCommit, reviewedMergeBase: reviewed.mergeBase, signoff: inp.signoff, hunks, gone, counts };
}

/** The JSON contract of `analyze --since-review`: `reviewState` on every hunk and a top-level `sinceReview`. */
export function attachSinceReview(cs: ChangeSet, since: SinceReview): void {
  for (const f of cs.files) for (const h of f.hunks) h.reviewState = since.hunks.get(h.id)?.state ?? 'new';
  cs.sinceReview = { reviewedHead: since.reviewedHead, ...since.counts };
}

/** Whether the checklist must ask for a hunk again: not when it is unchanged since the last review. */
export function asksAgain(h: Hunk): boolean {
  return h.reviewState !== 'unchanged';
}

/** One side of a hunk as plain text, for a diff editor of the seen hunk against the current one. */
export function hunkSideText(h: Hunk, side: 'base' | 'head'): string {
  const drop = side === 'base' ? '+' : '-';
  return h.lines.filter((l) => l[0] !== drop && l[0] !== '\\').map((l) => l.slice(1)).join('\n') + '\n';
}
