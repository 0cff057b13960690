// Loads the history index for a base commit: warm from the cache when it is for that commit,
// extended when the base moved forward, rebuilt when the cached tip is no longer an ancestor
// (history rewritten) or the settings changed. Complexity and line churn are computed only for
// what the caller asks for once the index is there (`prepare`), and kept in the caches.

import { join } from 'node:path';
import { RepoContext, gitDirFacts, isAncestor } from '../git/repository';
import { GitError } from '../git/gitError';
import { validateRevision } from '../git/refs';
import { readObjects } from '../git/treeObjects';
import { silentLogger } from '../logger';
import { dictFromEntries, newDict, toDict } from '../dict';
import { HistoryOptions, pathMatcher } from './historyOptions';
import { INDEX_VERSION, IndexData, emptyIndex, indexExtender, indexKey, readCommits } from './historyIndex';
import { LogCommit } from './logStreamParser';
import { decodeIndex, decodeIndexHeader, encodeIndex } from './indexFormat';
import { countChurn } from './churnCounter';
import { cachePath, readBinaryCache, readCache, removeCache, writeCache } from './indexCache';
import { ComplexityCache, TreeEntry, complexityOfBlobs, isComplexityCache, listTree } from './treeComplexity';
import { excludedAsBinaryArgs } from './excludedAttributes';

export type CacheOutcome = 'warm' | 'extended' | 'cold';

/** The index at the base with the base's tree, its date and its .mailmap. */
export interface HistoryState {
  index: IndexData;
  tree: TreeEntry[];
  /** Complexity per blob id: complete for what `prepare` asked for (and whatever the cache held). */
  complexity: ComplexityCache;
  baseTime: number;
  /** The base's .mailmap (text and blob id), null when it has none. */
  mailmap: { text: string; blob: string } | null;
}

export interface LoadedHistory extends HistoryState {
  outcome: CacheOutcome;
  commitsAdded: number;
  /** Records whose line counts were counted in this load. */
  churnCounted: number;
  ms: number;
}

/** What a caller may ask for once the index is loaded, before the caches are written. */
export interface HistoryNeeds {
  /** Fills `complexity` for these entries (one `cat-file --batch` for the blobs not cached). */
  complexity(entries: Iterable<TreeEntry>): Promise<void>;
  /** Counts line churn for these paths at the base (keys of the index); returns the records counted. */
  churn(paths: Iterable<string>): Promise<number>;
}

const INDEX_FILE = `history-index-v${INDEX_VERSION}.bin`;
/** Earlier formats (numstat for every commit; JSON numbers): superseded, they would only take space. */
const OLD_INDEX_FILES = ['history-index-v1.json', 'history-index-v2.json'];
const COMPLEXITY_FILE = 'complexity-v1.json';

/** A commit's id, its commit time and its .mailmap (text and blob id). */
export interface CommitFacts {
  commit: string;
  time: number;
  mailmap: { text: string; blob: string } | null;
}

/**
 * The commit a revision names, with its time and .mailmap, from one `cat-file --batch`: a
 * `hotspots` run needs all three before anything else, and a separate `rev-parse` first cost it a
 * process and a round trip. The name is validated as `resolveCommit` does; `what` names it in errors.
 */
export async function commitFacts(rev: string, ctx: RepoContext, what = 'revision'): Promise<CommitFacts> {
  validateRevision(rev, what);
  let commit = '';
  let time = NaN;
  let mailmap: { text: string; blob: string } | null = null;
  await readObjects([`${rev}^{commit}`, `${rev}^{commit}:.mailmap`], ctx, (i, type, data, oid) => {
    if (i === 0 && type === 'commit' && data && oid) {
      commit = oid;
      time = Number(/^committer .* (\d+) [-+]\d{4}$/m.exec(data.toString('latin1'))?.[1]);
    }
    if (i === 1 && type === 'blob' && data && oid) mailmap = { text: data.toString('utf8'), blob: oid };
  });
  if (!commit) throw new GitError(`unknown ${what} '${rev}'`, 'UnknownRevision');
  if (!Number.isFinite(time)) throw new Error(`cannot read the date of commit ${commit}`);
  return { commit, time, mailmap };
}

/**
 * `prepare` runs once the index and the base's tree are loaded: the caller asks there for the
 * complexity and line churn it will show (see fileSignals.ts `rankingEntries` for the ranking's).
 * `dirFacts`, `baseFacts`: the git directory's and the base's facts when the caller already asked git for them.
 */
export async function loadHistory(
  base: string,
  opts: HistoryOptions,
  ctx: RepoContext,
  useCache = true,
  prepare?: (h: HistoryState, need: HistoryNeeds) => Promise<void>,
  dirFacts?: { commonDir: string; shallow: boolean },
  baseFacts?: CommitFacts,
): Promise<LoadedHistory> {
  const t0 = performance.now();
  // Independent git questions at once: a warm load is mostly their start-up time.
  const listing = listTree(base, ctx);
  // Awaited below; marked handled now so a failure elsewhere first is not an unhandled rejection.
  listing.catch(() => undefined);
  const [{ commonDir: gitDir, shallow }, facts] = await Promise.all([dirFacts ?? gitDirFacts(ctx), baseFacts ?? commitFacts(base, ctx)]);
  const baseTime = facts.time;
  const hasMailmap = facts.mailmap !== null;
  const logger = ctx.logger ?? silentLogger;
  // Nothing is created under the git directory unless the cache is in use.
  const dir = cachePath(gitDir, 'history');
  const indexFile = join(dir, INDEX_FILE);
  const complexityFile = join(dir, COMPLEXITY_FILE);
  const binaryExcluded = excludedAsBinaryArgs(opts.excludeGlobs, gitDir, useCache);
  const key = indexKey(opts, facts.mailmap?.blob ?? null);
  // An update's git work starts as soon as the cached tip is known, while the bulk is decoded.
  let ahead: ReadAhead | null = null;
  const cached = useCache
    ? readBinaryCache(indexFile, (bytes) => {
      const header = decodeIndexHeader(bytes);
      if (typeof header !== 'string' && header.optionsKey === key && header.shallow === shallow && header.tip !== base) {
        ahead = readAhead(header.tip, base, opts, ctx, hasMailmap, binaryExcluded);
      }
      return decodeIndex(bytes, header);
    }, logger)
    : null;
  const storedComplexity = useCache ? readCache<ComplexityCache>(complexityFile, isComplexityCache, logger) : null;
  const complexity: ComplexityCache = storedComplexity ? toDict(storedComplexity) : newDict();
  const complexityBefore = Object.keys(complexity).length;

  let index: IndexData;
  let outcome: CacheOutcome;
  let commitsAdded = 0;
  const usable = cached && cached.optionsKey === key && cached.shallow === shallow;
  const early = ahead as ReadAhead | null;
  if (usable && cached.tip === base) {
    index = cached;
    outcome = 'warm';
  } else if (usable && early && (await early.ancestor)) {
    index = cached;
    await early.read;
    const extender = indexExtender(index, opts);
    for (const c of early.commits) extender.add(c);
    commitsAdded = extender.finish(base);
    outcome = 'extended';
  } else {
    if (early) await early.cancel();
    index = emptyIndex(base, key, shallow);
    // A whole history streams into the index as git lists it, never held as a list of commits.
    const extender = indexExtender(index, opts);
    await readCommits([base], base, opts, ctx, hasMailmap, false, [], extender.add);
    commitsAdded = extender.finish(base);
    outcome = 'cold';
  }
  const tree = await listing;
  let churnCounted = 0;
  const state: HistoryState = { index, tree, complexity, baseTime, mailmap: facts.mailmap };
  if (prepare) {
    await prepare(state, {
      complexity: (entries) => complexityOfBlobs([...entries], complexity, ctx),
      churn: async (paths) => {
        const n = await countChurn(index, paths, ctx, binaryExcluded, pathMatcher(opts.excludeGlobs));
        churnCounted += n;
        return n;
      },
    });
  }
  if (useCache) {
    if (outcome !== 'warm' || churnCounted > 0) {
      writeCache(indexFile, encodeIndex(index), logger);
      for (const old of OLD_INDEX_FILES) removeCache(join(dir, old));
    }
    if (Object.keys(complexity).length !== complexityBefore) writeCache(complexityFile, pruneComplexity(complexity, tree), logger);
  }
  return { ...state, outcome, commitsAdded, churnCounted, ms: performance.now() - t0 };
}

/** Commits after which an update's log is long enough to ask git whether the cached tip is an ancestor. */
const LONG_UPDATE = 1000;

/** The git side of an update, started before the cached index is decoded. */
interface ReadAhead {
  /** Whether the cached tip is an ancestor of the base; false also when git does not know the tip (pruned after a rewrite). */
  ancestor: Promise<boolean>;
  /** The commits from the cached tip to the base, in log order, complete once `read` settles. */
  commits: LogCommit[];
  read: Promise<void>;
  /** Stops the reading (the tip was no ancestor, or the file turned out damaged). */
  cancel(): Promise<void>;
}

function readAhead(tip: string, base: string, opts: HistoryOptions, ctx: RepoContext, hasMailmap: boolean, globalArgs: string[]): ReadAhead {
  // A controller of our own that the caller's signal also stops (AbortSignal.any needs Node 20.3).
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (ctx.signal?.aborted) stop.abort();
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  const own = { ...ctx, signal: stop.signal };
  const commits: LogCommit[] = [];
  // The tip is an ancestor of the base exactly when one of the commits from it to the base has it as
  // a parent (the one after it on any path from the base down to it), so the log answers the
  // question itself and an update spares a git process. A range longer than an update's asks git
  // too: a tip that is no ancestor (a rewritten history) would otherwise have the whole history
  // read before that is known. An unknown tip (pruned after a rewrite) fails the log: no ancestor.
  let parentOf = false;
  let settle: (yes: boolean) => void = () => undefined;
  let fail: (e: unknown) => void = () => undefined;
  const ancestor = new Promise<boolean>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const askGit = () => isAncestor(tip, base, own).then((yes) => {
    if (!yes) settle(false);
  }, (e: unknown) => (ctx.signal?.aborted ? fail(e) : settle(false)));
  const read = readCommits([`${tip}..${base}`], base, opts, own, hasMailmap, true, globalArgs, (c) => {
    commits.push(c);
    if (c.parents.includes(tip)) parentOf = true;
    else if (commits.length === LONG_UPDATE && !parentOf) void askGit();
  });
  read.then(() => settle(parentOf), (e: unknown) => (ctx.signal?.aborted ? fail(e) : settle(false)));
  // Not awaited when the cached index turns out damaged: a cancelled run must not leave it unhandled.
  ancestor.catch(() => undefined);
  // Awaited only when the tip is an ancestor; marked handled so a cancelled read is no unhandled rejection.
  read.catch(() => undefined).finally(() => ctx.signal?.removeEventListener('abort', onAbort));
  return {
    ancestor, commits, read,
    cancel: async () => {
      stop.abort();
      await read.catch(() => undefined);
    },
  };
}

/** Keeps the cache to the blobs of the current tree (plus a margin) so it cannot grow forever. */
function pruneComplexity(cache: ComplexityCache, tree: readonly TreeEntry[]): ComplexityCache {
  const keys = Object.keys(cache);
  if (keys.length <= tree.length * 3) return cache;
  const live = new Set(tree.map((e) => e.oid));
  return dictFromEntries(keys.filter((k) => live.has(k)).map((k) => [k, cache[k]]));
}
