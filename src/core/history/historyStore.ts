// Loads the history index for a base commit: warm from the cache when it is for that commit,
// extended when the base moved forward, rebuilt when the cached tip is no longer an ancestor
// (history rewritten) or the settings changed. Line churn is counted for the files the caller
// will show (`churnFor`), and kept in the cache with the rest.

import { join } from 'node:path';
import { RepoContext, commonGitDir, isAncestor, isShallow, readBlobAt } from '../git/repository';
import { runGit } from '../git/runGit';
import { silentLogger } from '../logger';
import { dictFromEntries, newDict, toDict } from '../dict';
import { HistoryOptions } from './historyOptions';
import { IndexData, emptyIndex, extendIndex, isIndexData, optionsKey, reviveIndex } from './historyIndex';
import { countChurn } from './churnCounter';
import { cachePath, readCache, removeCache, writeCache } from './indexCache';
import { ComplexityCache, TreeEntry, complexityOfBlobs, isComplexityCache, listTree } from './treeComplexity';

export type CacheOutcome = 'warm' | 'extended' | 'cold';

export interface LoadedHistory {
  index: IndexData;
  tree: TreeEntry[];
  complexity: ComplexityCache;
  outcome: CacheOutcome;
  commitsAdded: number;
  /** Records whose line counts were counted in this load. */
  churnCounted: number;
  baseTime: number;
  ms: number;
}

const INDEX_FILE = 'history-index-v2.json';
const COMPLEXITY_FILE = 'complexity-v1.json';

export interface ChurnContext {
  index: IndexData;
  tree: TreeEntry[];
  complexity: ComplexityCache;
  baseTime: number;
}

/**
 * `churnFor`: paths at the base whose line churn the caller shows; a function of the base tree
 * when the caller only knows after listing it (the hotspot report's top files).
 */
export async function loadHistory(
  base: string,
  opts: HistoryOptions,
  ctx: RepoContext,
  useCache = true,
  churnFor: Iterable<string> | ((h: ChurnContext) => Iterable<string>) = [],
): Promise<LoadedHistory> {
  const t0 = performance.now();
  // Independent git questions at once: a warm load is mostly their start-up time.
  const listing = listTree(base, ctx);
  // Awaited below; marked handled now so a failure elsewhere first is not an unhandled rejection.
  listing.catch(() => undefined);
  const [gitDir, baseTime, hasMailmap, shallow] = await Promise.all([
    commonGitDir(ctx),
    runGit(['show', '-s', '--format=%ct', base], ctx).then((r) => Number(r.stdout.toString().trim())),
    readBlobAt(base, '.mailmap', ctx).then((b) => b !== null),
    isShallow(ctx),
  ]);
  const logger = ctx.logger ?? silentLogger;
  // Nothing is created under the git directory unless the cache is in use.
  const dir = cachePath(gitDir, 'history');
  const indexFile = join(dir, INDEX_FILE);
  const complexityFile = join(dir, COMPLEXITY_FILE);
  const stored = useCache ? readCache<IndexData>(indexFile, isIndexData, logger) : null;
  const cached = stored ? reviveIndex(stored) : null;

  // The whole-tree complexity pass runs beside the log walk: two processes, two cores.
  const storedComplexity = useCache ? readCache<ComplexityCache>(complexityFile, isComplexityCache, logger) : null;
  const complexity: ComplexityCache = storedComplexity ? toDict(storedComplexity) : newDict();
  const treeWork = (async () => {
    const tree = await listing;
    const before = Object.keys(complexity).length;
    await complexityOfBlobs(tree, complexity, ctx);
    return { tree, grew: Object.keys(complexity).length !== before };
  })();
  treeWork.catch(() => undefined);

  let index: IndexData;
  let outcome: CacheOutcome;
  let commitsAdded = 0;
  const usable = cached && cached.version === 2 && cached.optionsKey === optionsKey(opts) && cached.shallow === shallow && pathsKept(cached);
  if (usable && cached.tip === base) {
    index = cached;
    outcome = 'warm';
  } else if (usable && (await isAncestor(cached.tip, base, ctx))) {
    index = cached;
    commitsAdded = await extendIndex(index, [`${cached.tip}..${base}`], base, opts, ctx, hasMailmap, true);
    outcome = 'extended';
  } else {
    index = emptyIndex(base, opts, shallow);
    commitsAdded = await extendIndex(index, [base], base, opts, ctx, hasMailmap, false);
    outcome = 'cold';
  }
  // Paths known up front are counted while the tree's complexity is still being read.
  let churnCounted = typeof churnFor === 'function' ? 0 : await countChurn(index, churnFor, ctx);
  const { tree, grew } = await treeWork;
  if (typeof churnFor === 'function') churnCounted = await countChurn(index, churnFor({ index, tree, complexity, baseTime }), ctx);
  if (useCache) {
    if (outcome !== 'warm' || churnCounted > 0) {
      writeCache(indexFile, index, logger);
      // The first index format (numstat for every commit) is superseded; it would only take space.
      removeCache(join(dir, 'history-index-v1.json'));
    }
    if (grew) writeCache(complexityFile, pruneComplexity(complexity, tree), logger);
  }
  return { index, tree, complexity, outcome, commitsAdded, churnCounted, baseTime, ms: performance.now() - t0 };
}

/** Keeps the cache to the blobs of the current tree (plus a margin) so it cannot grow forever. */
function pruneComplexity(cache: ComplexityCache, tree: readonly TreeEntry[]): ComplexityCache {
  const keys = Object.keys(cache);
  if (keys.length <= tree.length * 3) return cache;
  const live = new Set(tree.map((e) => e.oid));
  return dictFromEntries(keys.filter((k) => live.has(k)).map((k) => [k, cache[k]]));
}

/**
 * An index built before names that are not UTF-8 kept their bytes holds them with U+FFFD: such an
 * index is rebuilt once (one without any such name is as good as a new one).
 */
function pathsKept(index: IndexData): boolean {
  if (index.pathsLossless) return true;
  const lossy = (p: string) => p.includes('\ufffd');
  if (Object.keys(index.files).some(lossy) || Object.keys(index.excluded).some(lossy) || Object.values(index.aliases).some((a) => a.some(lossy))) return false;
  index.pathsLossless = true;
  return true;
}
