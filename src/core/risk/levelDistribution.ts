// The distribution a review's levels compare with: the scores the window backtest gives this
// repository's changes of the window before the base, cached beside the history index (same
// folder, and like it keyed by the base: a moved base reuses every cached commit's facts and only
// walks the new commits). What invalidates it: another base, other history settings, other weights
// or another version of the weight table.

import { join } from 'node:path';
import { RepoContext, commonGitDir } from '../git/repository';
import { HistoryOptions, monthsAgo } from '../history/historyOptions';
import { IndexData, optionsKey, shaAt } from '../history/historyIndex';
import { cachePath, readCache, writeCache } from '../history/indexCache';
import { excludedAsBinaryArgs } from '../history/excludedAttributes';
import { Check, arrayOf, isInteger, isString, oneOf, recordOf, shape } from '../jsonShape';
import { Logger, silentLogger } from '../logger';
import { dictFromEntries } from '../dict';
import { IndexPeople } from '../history/identities';
import { ScoreDistribution, distributionOf } from './levelScale';
import { ReasonCode, WEIGHTS } from './riskWeights';
import { CommitFactsCache, WindowBacktest, windowBacktest } from './windowBacktest';

const FACTS_FILE = 'window-facts-v1.json';
const LEVELS_FILE = 'levels-v1.json';
/** Bumped when the backtest's scoring changes in a way the weight table does not show. */
const SCORING_VERSION = 1;

export interface HistoryForLevels {
  base: string;
  index: IndexData;
  baseTime: number;
  who: IndexPeople;
}

export interface CachedDistribution extends ScoreDistribution {
  /** warm: the distribution was cached for this base; extended: some commits' facts were; cold: none. */
  cache: 'warm' | 'extended' | 'cold';
  /** Window commits whose line counts git computed in this run. */
  walked: number;
  ms: number;
}

interface FactsFile {
  version: 1;
  optionsKey: string;
  commits: CommitFactsCache;
}

interface LevelsFile {
  version: 1;
  base: string;
  key: string;
  distribution: ScoreDistribution;
}

const isStoredCommit: Check = (v) =>
  shape({ p: isString, s: isString, r: (x) => x === null || isString(x), a: oneOf(0, 1) })(v) &&
  arrayOf((f) => Array.isArray(f) && f.length === 4 && isString(f[0]) && (f[1] === null || isString(f[1])) && isInteger(f[2]) && isInteger(f[3]))((v as StoredCommitLike).f);
type StoredCommitLike = { f: unknown };
const isFactsFile = shape({ version: oneOf(1), optionsKey: isString, commits: recordOf(isStoredCommit) });
export const isScoreDistribution: Check = (v) =>
  shape({ commits: isInteger, since: isString, until: isString, scoreCounts: arrayOf(isInteger) })(v) && (v as ScoreDistribution).scoreCounts.length === 101;
const isLevelsFile = shape({ version: oneOf(1), base: isString, key: isString, distribution: isScoreDistribution });

/** Everything the scores depend on besides the history itself. */
export function scoringKey(o: HistoryOptions, weights?: Partial<Record<ReasonCode, number>>): string {
  return JSON.stringify([SCORING_VERSION, optionsKey(o), o.windowMonths, o.inactiveMonths, weights ?? null, WEIGHTS.map((r) => [r.code, r.points, r.perLine ?? false])]);
}

/** The cached facts of window commits (read), and a writer that keeps only the commits still needed. */
export function factsStore(gitDir: string, o: HistoryOptions, useCache: boolean, logger: Logger = silentLogger): { facts: CommitFactsCache; save: (keep: (sha: string) => boolean) => void } {
  const file = join(cachePath(gitDir, 'history'), FACTS_FILE);
  const read = useCache ? readCache<FactsFile>(file, isFactsFile, logger) : null;
  // Keyed by commit ids read from a file: a record without a prototype.
  const facts: CommitFactsCache = dictFromEntries(read && read.optionsKey === optionsKey(o) ? Object.entries(read.commits) : []);
  return {
    facts,
    save: (keep) => {
      if (!useCache) return;
      const commits: CommitFactsCache = dictFromEntries(Object.entries(facts).filter(([sha]) => keep(sha)));
      writeCache(file, { version: 1, optionsKey: optionsKey(o), commits } satisfies FactsFile, logger);
    },
  };
}

/** Commits whose facts any cached computation still needs: the evaluation reaches two windows back. */
export function neededFacts(h: HistoryForLevels, o: HistoryOptions): (sha: string) => boolean {
  const from = monthsAgo(h.baseTime, 2 * o.windowMonths);
  const live = new Set<string>();
  for (let ci = 0; ci < h.index.commits.length / 3; ci++) if (h.index.commits[ci * 3] >= from) live.add(shaAt(h.index, ci));
  return (sha) => live.has(sha);
}

export async function levelDistribution(
  h: HistoryForLevels,
  o: HistoryOptions,
  ctx: RepoContext,
  opts: { useCache: boolean; weights?: Partial<Record<ReasonCode, number>> },
): Promise<CachedDistribution> {
  const t0 = performance.now();
  const gitDir = await commonGitDir(ctx);
  const file = join(cachePath(gitDir, 'history'), LEVELS_FILE);
  const key = scoringKey(o, opts.weights);
  const logger = ctx.logger ?? silentLogger;
  const cached = opts.useCache ? readCache<LevelsFile>(file, isLevelsFile, logger) : null;
  if (cached && cached.base === h.base && cached.key === key) {
    return { ...cached.distribution, cache: 'warm', walked: 0, ms: Math.round(performance.now() - t0) };
  }
  const store = factsStore(gitDir, o, opts.useCache, logger);
  const hadFacts = Object.keys(store.facts).length > 0;
  const w: WindowBacktest = await windowBacktest(h, o, ctx, store.facts, { weights: opts.weights, globalArgs: excludedAsBinaryArgs(o.excludeGlobs, gitDir, opts.useCache) });
  const distribution = distributionOf(w.entries.map((e) => e.risk.score), w.since, w.until);
  if (opts.useCache) {
    if (w.walked > 0) store.save(neededFacts(h, o));
    writeCache(file, { version: 1, base: h.base, key, distribution } satisfies LevelsFile, logger);
  }
  return { ...distribution, cache: hadFacts ? 'extended' : 'cold', walked: w.walked, ms: Math.round(performance.now() - t0) };
}
