// The distribution a review's levels compare with: the scores the window backtest gives this
// repository's changes of the window before the base, cached beside the history index (same
// folder, and like it keyed by the base: a moved base reuses every cached commit's facts and only
// walks the new commits). What invalidates it: another base, other history settings, other weights
// or another version of the weight table.

import { join } from 'node:path';
import { RepoContext, commonGitDir } from '../git/repository';
import { HistoryOptions, monthsAgo } from '../history/historyOptions';
import { IndexData, optionsKey } from '../history/historyIndex';
import { cacheDir, readJsonFile, writeJsonAtomic } from '../history/indexCache';
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

/** Everything the scores depend on besides the history itself. */
export function scoringKey(o: HistoryOptions, weights?: Partial<Record<ReasonCode, number>>): string {
  return JSON.stringify([SCORING_VERSION, optionsKey(o), o.windowMonths, o.inactiveMonths, weights ?? null, WEIGHTS.map((r) => [r.code, r.points, r.perLine ?? false])]);
}

/** The cached facts of window commits (read), and a writer that keeps only the commits still needed. */
export function factsStore(gitDir: string, o: HistoryOptions, useCache: boolean): { facts: CommitFactsCache; save: (keep: (sha: string) => boolean) => void } {
  const file = join(cacheDir(gitDir, 'history'), FACTS_FILE);
  const read = useCache ? readJsonFile<FactsFile>(file) : null;
  const facts: CommitFactsCache = read && read.version === 1 && read.optionsKey === optionsKey(o) && read.commits && typeof read.commits === 'object' ? read.commits : {};
  return {
    facts,
    save: (keep) => {
      if (!useCache) return;
      const commits: CommitFactsCache = {};
      for (const [sha, f] of Object.entries(facts)) if (keep(sha)) commits[sha] = f;
      writeJsonAtomic(file, { version: 1, optionsKey: optionsKey(o), commits } satisfies FactsFile);
    },
  };
}

/** Commits whose facts any cached computation still needs: the evaluation reaches two windows back. */
export function neededFacts(h: HistoryForLevels, o: HistoryOptions): (sha: string) => boolean {
  const from = monthsAgo(h.baseTime, 2 * o.windowMonths);
  const live = new Set<string>();
  for (let ci = 0; ci < h.index.commits.length / 3; ci++) if (h.index.commits[ci * 3] >= from) live.add(h.index.shas.slice(ci * 40, ci * 40 + 40));
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
  const file = join(cacheDir(gitDir, 'history'), LEVELS_FILE);
  const key = scoringKey(o, opts.weights);
  const cached = opts.useCache ? readJsonFile<LevelsFile>(file) : null;
  if (cached && cached.version === 1 && cached.base === h.base && cached.key === key && Array.isArray(cached.distribution?.scoreCounts) && cached.distribution.scoreCounts.length === 101) {
    return { ...cached.distribution, cache: 'warm', walked: 0, ms: Math.round(performance.now() - t0) };
  }
  const store = factsStore(gitDir, o, opts.useCache);
  const hadFacts = Object.keys(store.facts).length > 0;
  const w: WindowBacktest = await windowBacktest(h, o, ctx, store.facts, { weights: opts.weights });
  const distribution = distributionOf(w.entries.map((e) => e.risk.score), w.since, w.until);
  if (opts.useCache) {
    if (w.walked > 0) store.save(neededFacts(h, o));
    writeJsonAtomic(file, { version: 1, base: h.base, key, distribution } satisfies LevelsFile);
  }
  return { ...distribution, cache: hadFacts ? 'extended' : 'cold', walked: w.walked, ms: Math.round(performance.now() - t0) };
}
