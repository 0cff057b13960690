// How a score becomes a level. By default: by where it stands among this repository's own
// changes (non-merge commits) of the window before the base, scored by the backtest from the
// history index: critical = the top 5 %, high = the next 15 %, medium = the next 30 %, low = the
// rest (`riskLevels` in .senior-review.json). Fixed score thresholds (`riskThresholds`) replace
// that when a repository asks for them, or stand in when there is no history to compare with.

import { DEFAULT_THRESHOLDS } from './riskWeights';

export type Thresholds = { medium: number; high: number; critical: number };

/** Percent of the window's changes in each level above low. */
export interface LevelShares {
  critical: number;
  high: number;
  medium: number;
}

export const DEFAULT_LEVEL_SHARES: LevelShares = { critical: 5, high: 15, medium: 30 };

/** Fewer scored changes than this in the window and a share says little: fixed thresholds stand in. */
export const MIN_CHANGES = 20;

/** The window's changes by score: `scoreCounts[s]` changes scored s (0..100). */
export interface ScoreDistribution {
  commits: number;
  since: string;
  until: string;
  scoreCounts: number[];
}

export type LevelScale =
  | { by: 'history'; thresholds: Thresholds; shares: LevelShares; dist: ScoreDistribution }
  | { by: 'thresholds'; thresholds: Thresholds; why: string };

export function distributionOf(scores: readonly number[], since: number, until: number): ScoreDistribution {
  const scoreCounts = new Array<number>(101).fill(0);
  for (const s of scores) scoreCounts[Math.max(0, Math.min(100, Math.round(s)))]++;
  const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);
  return { commits: scores.length, since: day(since), until: day(until), scoreCounts };
}

/** The lowest score x with at most `topPercent` % of the changes scoring x or more (101: none can). */
export function cutoffFor(scoreCounts: readonly number[], topPercent: number): number {
  const n = scoreCounts.reduce((s, k) => s + k, 0);
  let atOrAbove = 0;
  for (let x = 100; x >= 0; x--) {
    if (atOrAbove + scoreCounts[x] > (n * topPercent) / 100) return x + 1;
    atOrAbove += scoreCounts[x];
  }
  return 0;
}

/** Thresholds that put at most the configured share of the window's changes in each level and above. */
export function historyThresholds(d: ScoreDistribution, s: LevelShares): Thresholds {
  return {
    critical: cutoffFor(d.scoreCounts, s.critical),
    high: cutoffFor(d.scoreCounts, s.critical + s.high),
    medium: cutoffFor(d.scoreCounts, s.critical + s.high + s.medium),
  };
}

/** Percent of the window's changes that scored lower than `score` (one decimal). */
export function percentileOf(d: ScoreDistribution, score: number): number {
  let lower = 0;
  for (let x = 0; x < Math.min(101, Math.round(score)); x++) lower += d.scoreCounts[x];
  return d.commits ? Math.floor((1000 * lower) / d.commits) / 10 : 0;
}

/**
 * The scale for a review: fixed thresholds when the configuration sets them, else the history's
 * distribution when it has enough changes, else the default thresholds, saying why.
 */
export function levelScale(dist: ScoreDistribution | null | undefined, config: { riskThresholds?: Partial<Thresholds>; riskLevels?: Partial<LevelShares> } = {}): LevelScale {
  if (config.riskThresholds) return { by: 'thresholds', thresholds: { ...DEFAULT_THRESHOLDS, ...config.riskThresholds }, why: 'fixed score thresholds set in .senior-review.json (riskThresholds)' };
  if (!dist) return { by: 'thresholds', thresholds: DEFAULT_THRESHOLDS, why: 'no history to compare with' };
  if (dist.commits < MIN_CHANGES) {
    return { by: 'thresholds', thresholds: DEFAULT_THRESHOLDS, why: `only ${dist.commits} changes between ${dist.since} and ${dist.until}, too few to compare with` };
  }
  const shares = { ...DEFAULT_LEVEL_SHARES, ...config.riskLevels };
  return { by: 'history', thresholds: historyThresholds(dist, shares), shares, dist };
}
