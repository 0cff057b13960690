// The history index: one streaming pass over `git log --numstat` from the base, reduced to
// compact per-file change records (commit, lines added, lines deleted) keyed by each file's path at
// the base, with renames followed. Extending it with newer commits re-keys renamed paths.

import { availableParallelism } from 'node:os';
import { runGit, streamGit } from '../git/runGit';
import { RepoContext } from '../git/repository';
import { LOG_FORMAT, LogCommit, LogStreamParser } from './logStreamParser';
import { HistoryOptions, pathMatcher } from './historyOptions';
import { fixMatcher, isRevert } from './fixCommits';
import { detectAiAssistance } from './aiAssistance';

export const FLAG_FIX = 1;
export const FLAG_REVERT = 2;
export const FLAG_AI = 4;
export const FLAG_MERGE = 8;

export interface IndexData {
  version: 1;
  /** The commit whose history this is. */
  tip: string;
  /** Settings that change the index's content; a different key means a rebuild. */
  optionsKey: string;
  shallow: boolean;
  /** "Name <email>" after .mailmap. */
  authors: string[];
  /** Per author: the time (seconds) of their newest commit. */
  authorLast: number[];
  /** Per commit, flat: time, author index, flags. */
  commits: number[];
  /** Per path at tip: flat triples (commit index, added, deleted); -1 for binary line counts. */
  files: Record<string, number[]>;
  /** Paths excluded by the settings that were seen, with their commit counts. */
  excluded: Record<string, number>;
}

export function optionsKey(o: HistoryOptions): string {
  return JSON.stringify([o.excludeGlobs, o.fixPatterns, o.aiPatterns]);
}

export function emptyIndex(tip: string, o: HistoryOptions, shallow: boolean): IndexData {
  return { version: 1, tip, optionsKey: optionsKey(o), shallow, authors: [], authorLast: [], commits: [], files: {}, excluded: {} };
}

/** The mailmap that belongs to the base, never the reviewer's (possibly head) work tree. */
export function mailmapArgs(tip: string, hasMailmap: boolean): string[] {
  return ['-c', 'mailmap.file=', '-c', `mailmap.blob=${hasMailmap ? `${tip}:.mailmap` : ''}`];
}

/**
 * Adds the commits of `revRange` (newest first, as git log prints them) to `index`. Records of
 * the new commits are keyed by path at the new tip; existing records are re-keyed through the
 * renames the new commits made, so a moved file keeps its history.
 */
export async function extendIndex(
  index: IndexData,
  revArgs: string[],
  newTip: string,
  opts: HistoryOptions,
  ctx: RepoContext,
  hasMailmap: boolean,
): Promise<number> {
  const excluded = pathMatcher(opts.excludeGlobs);
  const isFix = fixMatcher(opts.fixPatterns);
  const authorIdx = new Map(index.authors.map((a, i) => [a, i]));
  const renames = new Map<string, string>();
  const canonical = (p: string): string => renames.get(p) ?? p;
  const fresh: Record<string, number[]> = {};
  let added = 0;

  const onCommit = (c: LogCommit) => {
    const who = `${c.authorName} <${c.authorEmail}>`;
    let a = authorIdx.get(who);
    if (a === undefined) {
      a = index.authors.length;
      index.authors.push(who);
      index.authorLast.push(0);
      authorIdx.set(who, a);
    }
    if (c.authorTime > index.authorLast[a]) index.authorLast[a] = c.authorTime;
    let flags = 0;
    if (c.parents.length > 1) flags |= FLAG_MERGE;
    if (isFix(c.message)) flags |= FLAG_FIX;
    if (isRevert(c.message)) flags |= FLAG_REVERT | FLAG_FIX;
    if (detectAiAssistance(c.message, c.authorName, c.authorEmail, opts.aiPatterns).assisted) flags |= FLAG_AI;
    const ci = index.commits.length / 3;
    index.commits.push(c.commitTime, a, flags);
    added++;
    for (const f of c.files) {
      const key = canonical(f.path);
      if (f.oldPath !== null && f.oldPath !== f.path) renames.set(f.oldPath, key);
      if (excluded(key)) {
        index.excluded[key] = (index.excluded[key] ?? 0) + 1;
        continue;
      }
      (fresh[key] ??= []).push(ci, f.added ?? -1, f.deleted ?? -1);
    }
  };

  await walkLog(revArgs, [...mailmapArgs(newTip, hasMailmap)], ctx, onCommit);

  // Older records follow renames made by the new commits; new records come first (newest first).
  const old = index.files;
  const merged: Record<string, number[]> = fresh;
  for (const [path, recs] of Object.entries(old)) {
    const key = canonical(path);
    if (excluded(key)) continue;
    const target = merged[key];
    if (target) for (const r of recs) target.push(r);
    else merged[key] = recs;
  }
  index.files = merged;
  index.tip = newTip;
  return added;
}

const SEGMENT_MIN = 1500;
const SEGMENTS_MAX = 8;

/**
 * Streams `git log --numstat` over `revArgs` to `onCommit`, newest first. A long history is cut
 * into segments (--skip/--max-count of the same walk) that git computes in parallel, one per core;
 * segments are handed over strictly in order, so the result is that of a single walk.
 */
export async function walkLog(
  revArgs: string[],
  globalArgs: string[],
  ctx: RepoContext,
  onCommit: (c: LogCommit) => void,
  segmentMin = SEGMENT_MIN,
): Promise<void> {
  const logArgs = [...globalArgs, 'log', '-z', '--numstat', '-M', '--no-color', '--no-ext-diff', `--format=${LOG_FORMAT}`];
  const cores = Math.max(1, availableParallelism());
  const count = cores > 1 ? Number((await runGit(['rev-list', '--count', ...revArgs, '--'], ctx)).stdout.toString().trim()) : 0;
  if (count < 2 * segmentMin) {
    const parser = new LogStreamParser(onCommit);
    await streamGit([...logArgs, ...revArgs, '--'], { ...ctx, timeoutMs: 0 }, (chunk) => parser.push(chunk));
    parser.end();
    return;
  }
  const segments = Math.min(SEGMENTS_MAX, Math.ceil(count / segmentMin));
  const size = Math.ceil(count / segments);
  const done: Array<LogCommit[] | null> = new Array(segments).fill(null);
  let handed = 0;
  const handOver = () => {
    while (handed < segments && done[handed]) {
      for (const c of done[handed]!) onCommit(c);
      done[handed] = null;
      handed++;
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < segments) {
      const i = next++;
      const got: LogCommit[] = [];
      const parser = new LogStreamParser((c) => got.push(c));
      await streamGit([...logArgs, `--skip=${i * size}`, `--max-count=${size}`, ...revArgs, '--'], { ...ctx, timeoutMs: 0 }, (chunk) => parser.push(chunk));
      parser.end();
      done[i] = got;
      handOver();
    }
  };
  await Promise.all(Array.from({ length: Math.min(cores, segments) }, worker));
  handOver();
}
