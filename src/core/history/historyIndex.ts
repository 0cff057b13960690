// The history index: one streaming pass over `git log --raw -M` from the base, reduced to compact
// per-file change records (commit, lines added, lines deleted) keyed by each file's path at the
// base, with renames followed. Extending it with newer commits re-keys renamed paths. Line counts
// are what make `--numstat` six times slower than `--raw` on a long history, and only the files
// a review shows need them: a cold build leaves them NOT_COUNTED and `countChurn` fills them in
// for the files asked for (then cached). An extension walks few commits, so it counts at once.

import { availableParallelism } from 'node:os';
import { runGit, streamGit } from '../git/runGit';
import { RepoContext } from '../git/repository';
import { LOG_FORMAT, LogCommit, LogStreamParser } from './logStreamParser';
import { HistoryOptions, pathMatcher } from './historyOptions';
import { fixMatcher, isRevert } from './fixCommits';
import { detectAiAssistance } from './aiAssistance';
import { maybeMarkedByUs } from './excludedAttributes';
import { Dict, dictFromEntries, newDict } from '../dict';

export const FLAG_FIX = 1;
export const FLAG_REVERT = 2;
export const FLAG_AI = 4;
export const FLAG_MERGE = 8;

/** A record's line counts before `countChurn` filled them in. */
export const NOT_COUNTED = -2;
/** A record whose line counts git cannot give (binary file, or not found when counting). */
export const NO_LINES = -1;

/**
 * A path's flat triples. Records read from the cache stay views of the file's bytes (no copy of
 * millions of numbers); records the current run creates are arrays.
 */
export type FileRecords = number[] | Int32Array;

/** The index's format: the number in its cache file's name and in the file (indexFormat.ts). */
export const INDEX_VERSION = 3;

export interface IndexData {
  version: typeof INDEX_VERSION;
  /** The commit whose history this is. */
  tip: string;
  /** Settings that change the index's content; a different key means a rebuild. */
  optionsKey: string;
  shallow: boolean;
  /** "Name <email>" after .mailmap. */
  authors: string[];
  /** Per author: the time (seconds) of their newest commit. */
  authorLast: number[];
  /**
   * Per commit, flat: time, author index, flags. Typed, as the cache file holds them: copying 80k
   * commits into an array on each load and back on each write cost git's own history about 50 ms
   * of a +10-commit update (issue #15).
   */
  commits: Float64Array;
  /**
   * Per commit, its id as 20 bytes, concatenated (commit i at 20 × i); line counts are filled by id.
   * Bytes, not hex: the cache file holds them so, and converting 80k ids each way on every +10
   * update cost 90 ms of git's own history (issue #15).
   */
  shas: Buffer;
  /**
   * Paths are keys (git/gitPath.ts strings, lossless for names that are not UTF-8): these records
   * have no prototype, so a file named `constructor` is just a key.
   * Per path at tip: flat triples (commit index, added, deleted); NO_LINES or NOT_COUNTED.
   */
  files: Dict<FileRecords>;
  /** Per path at tip that was renamed: its earlier paths, for counting lines by path. */
  aliases: Dict<string[]>;
  /** Paths excluded by the settings that were seen, with their commit counts. */
  excluded: Dict<number>;
}

/** The 40-hex id of the index's commit `ci`. */
export function shaAt(index: Pick<IndexData, 'shas'>, ci: number): string {
  return index.shas.toString('hex', ci * 20, ci * 20 + 20);
}

/**
 * How line counts are read, part of every history cache's key: 'content' since git runs inside the
 * git directory as a bare repository, so binary is decided by content alone and no checkout's
 * .gitattributes (`-diff`) turns a file binary. Caches counted before read such files as binary.
 */
const LINE_COUNTS = 'content';

export function optionsKey(o: HistoryOptions): string {
  return JSON.stringify([o.excludeGlobs, o.fixPatterns, o.aiPatterns, LINE_COUNTS]);
}

/**
 * What an index's records depend on besides its commits: the options, and the .mailmap (blob id)
 * its identities went through. An index built under another .mailmap lists other identities, so
 * extending it would mix the two (on git's own history, 1,500 commits and a changed .mailmap later,
 * nearly every file's owners and people differed from a cold build); it is built again instead.
 */
export function indexKey(o: HistoryOptions, mailmapBlob: string | null): string {
  return JSON.stringify([o.excludeGlobs, o.fixPatterns, o.aiPatterns, mailmapBlob, LINE_COUNTS]);
}

export function emptyIndex(tip: string, key: string, shallow: boolean): IndexData {
  return { version: INDEX_VERSION, tip, optionsKey: key, shallow, authors: [], authorLast: [], commits: new Float64Array(0), shas: Buffer.alloc(0), files: newDict(), aliases: newDict(), excluded: newDict() };
}

/** The mailmap that belongs to the base, never the reviewer's (possibly head) work tree. */
export function mailmapArgs(tip: string, hasMailmap: boolean): string[] {
  return ['-c', 'mailmap.file=', '-c', `mailmap.blob=${hasMailmap ? `${tip}:.mailmap` : ''}`];
}

/**
 * The commits of `revArgs`, newest first as git log prints them, to `onCommit` (an indexExtender's
 * `add`). Apart from the index, so an update can read them while the cached index is still being
 * decoded. `countLines` walks with numstat (worth it for a few new commits); otherwise the records
 * are NOT_COUNTED. `globalArgs` may mark excluded files binary (excludedAttributes.ts): their
 * records are not kept anyway.
 */
export async function readCommits(
  revArgs: string[],
  newTip: string,
  opts: HistoryOptions,
  ctx: RepoContext,
  hasMailmap: boolean,
  countLines: boolean,
  globalArgs: string[],
  onCommit: (c: LogCommit) => void,
): Promise<void> {
  const excluded = pathMatcher(opts.excludeGlobs);
  const mailmap = mailmapArgs(newTip, hasMailmap);
  if (countLines && globalArgs.length) {
    // Counted with our attributes: the few commits they may have changed are shown again without them.
    const walked: LogCommit[] = [];
    const again: string[] = [];
    await walkLog(revArgs, [...globalArgs, ...mailmap], ctx, (c) => {
      walked.push(c);
      if (c.files.some((f) => maybeMarkedByUs(f, excluded))) again.push(c.sha);
    }, '--numstat', SEGMENT_MIN, true);
    const plain = new Map<string, LogCommit>();
    if (again.length) await showCommits(again, mailmap, ctx, (c) => plain.set(c.sha, c));
    for (const c of walked) onCommit(plain.get(c.sha) ?? c);
  } else {
    await walkLog(revArgs, mailmap, ctx, onCommit, countLines ? '--numstat' : '--raw', SEGMENT_MIN, countLines);
  }
}

/**
 * Adds commits to `index` as git log lists them (`add`): records of the new commits are keyed by
 * path at the new tip. `finish` then re-keys the existing records through the renames the new
 * commits made, so a moved file keeps its history.
 */
export function indexExtender(index: IndexData, opts: HistoryOptions): { add: (c: LogCommit) => void; finish: (newTip: string) => number } {
  const excluded = pathMatcher(opts.excludeGlobs);
  const isFix = fixMatcher(opts.fixPatterns);
  const authorIdx = new Map(index.authors.map((a, i) => [a, i]));
  const renames = new Map<string, string>();
  const canonical = (p: string): string => renames.get(p) ?? p;
  const fresh = newDict<number[]>();
  const freshAliases = new Map<string, Set<string>>();
  const alias = (key: string, earlier: string) => {
    let set = freshAliases.get(key);
    if (!set) freshAliases.set(key, (set = new Set()));
    set.add(earlier);
  };
  const shas: string[] = [];
  const commits: number[] = [];
  const known = index.commits.length / 3;
  let added = 0;

  const add = (c: LogCommit) => {
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
    const ci = known + commits.length / 3;
    commits.push(c.commitTime, a, flags);
    shas.push(c.sha);
    added++;
    for (const f of c.files) {
      const key = canonical(f.path);
      if (f.path !== key) alias(key, f.path);
      if (f.oldPath !== null && f.oldPath !== f.path) {
        renames.set(f.oldPath, key);
        alias(key, f.oldPath);
      }
      if (excluded(key)) {
        index.excluded[key] = (index.excluded[key] ?? 0) + 1;
        continue;
      }
      const lines = (n: number | null) => (!f.counted ? NOT_COUNTED : n ?? NO_LINES);
      (fresh[key] ??= []).push(ci, lines(f.added), lines(f.deleted));
    }
  };

  const finish = (newTip: string): number => {
    index.shas = Buffer.concat([index.shas, Buffer.from(shas.join(''), 'hex')]);
    const all = new Float64Array(index.commits.length + commits.length);
    all.set(index.commits);
    all.set(commits, index.commits.length);
    index.commits = all;

    // Older records follow renames made by the new commits; new records come first (newest first).
    const old = index.files;
    const merged: Dict<FileRecords> = fresh;
    for (const [path, recs] of Object.entries(old)) {
      const key = canonical(path);
      if (excluded(key)) continue;
      const target = merged[key];
      if (!target) merged[key] = recs;
      else if (Array.isArray(target)) for (const r of recs) target.push(r);
      else merged[key] = [...target, ...recs];
      if (key !== path) alias(key, path);
      for (const earlier of index.aliases[path] ?? []) alias(key, earlier);
    }
    index.files = merged;
    index.aliases = dictFromEntries([...freshAliases].filter(([key]) => merged[key]).map(([key, set]) => [key, [...set].filter((p) => p !== key).sort()]));
    index.tip = newTip;
    return added;
  };
  return { add, finish };
}

/** `git log --numstat` of exactly these commits, in the order given. */
export async function showCommits(shas: readonly string[], globalArgs: string[], ctx: RepoContext, onCommit: (c: LogCommit) => void): Promise<void> {
  const parser = new LogStreamParser(onCommit);
  const args = [...globalArgs, 'log', '--no-walk=unsorted', '--stdin', '-z', '--numstat', '-M', '--no-color', '--no-ext-diff', `--format=${LOG_FORMAT}`];
  await streamGit(args, { ...ctx, input: shas.join('\n') + '\n', timeoutMs: 0 }, (chunk) => parser.push(chunk));
  parser.end();
}

const SEGMENT_MIN = 2000;
const SEGMENTS_MAX = 8;

/**
 * Streams `git log --raw` or `--numstat` over `revArgs` to `onCommit`, newest first. With more
 * than one core, the newest `segmentMin` commits stream straight from a `git log --max-count`
 * while `rev-list` lists the rest, which is cut into segments each shown by a
 * `git log --no-walk=unsorted --stdin` of its own, as many at once as there are cores. Segments
 * are handed over strictly in order, so the result is that of a single walk. `fewExpected` (an
 * update): the rest is listed only once the first segment turned out full.
 */
export async function walkLog(
  revArgs: string[],
  globalArgs: string[],
  ctx: RepoContext,
  onCommit: (c: LogCommit) => void,
  diff: '--raw' | '--numstat' = '--numstat',
  segmentMin = SEGMENT_MIN,
  fewExpected = false,
): Promise<void> {
  const logArgs = [...globalArgs, 'log', '-z', diff, '-M', '--no-color', '--no-ext-diff', `--format=${LOG_FORMAT}`];
  const cores = Math.max(1, availableParallelism());
  const show = async (args: string[], input: string | undefined, sink: (c: LogCommit) => void) => {
    const parser = new LogStreamParser(sink);
    await streamGit([...logArgs, ...args], { ...ctx, input, timeoutMs: 0 }, (chunk) => parser.push(chunk));
    parser.end();
  };
  if (cores === 1) return show([...revArgs, '--'], undefined, onCommit);

  // The first segment needs no list: it starts at once and is handed over as it arrives.
  let firstCount = 0;
  const first = show([`--max-count=${segmentMin}`, ...revArgs, '--'], undefined, (c) => {
    firstCount++;
    onCommit(c);
  });
  first.catch(() => undefined);
  // An update of a few commits is all in the first segment: listing the range would cost a process for nothing.
  if (fewExpected) {
    await first;
    if (firstCount < segmentMin) return;
  }
  const rest = (await runGit(['rev-list', ...revArgs, '--'], { ...ctx, timeoutMs: 0 })).stdout.toString('latin1').split('\n').filter(Boolean).slice(segmentMin);
  // Two segments per core balance the load (old commits cost more than new ones) without many spawns.
  const size = Math.ceil(rest.length / Math.max(1, Math.min(SEGMENTS_MAX, cores * 2, Math.ceil(rest.length / segmentMin))));
  // Never an empty segment: `git log --stdin` with no input would show HEAD.
  const segments = size ? Math.ceil(rest.length / size) : 0;
  const done: Array<LogCommit[] | null> = new Array(segments).fill(null);
  let firstDone = false;
  let handed = 0;
  const handOver = () => {
    while (firstDone && handed < segments && done[handed]) {
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
      await show(['--no-walk=unsorted', '--stdin'], rest.slice(i * size, (i + 1) * size).join('\n') + '\n', (c) => got.push(c));
      done[i] = got;
      handOver();
    }
  };
  const workers = Promise.all(Array.from({ length: Math.min(cores, segments) }, worker));
  workers.catch(() => undefined);
  await first;
  firstDone = true;
  handOver();
  await workers;
  handOver();
}
