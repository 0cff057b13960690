// This repository's own gating figures, for the review's level ("gating critical changes here
// catches 31 % of defect-inducing changes"): the changes of the window that ends one window
// before the base (so a window's worth of later fixes could label them), scored by the window
// backtest from the history index and labelled by SZZ with every fix up to the base. Cached beside
// the history index with each fix's blame (a fix's blame never changes), so a moved base blames
// only the new fixes. The first run on a large repository blames thousands of fixes: callers run
// it off the critical path (the editor in the background, the CLI when asked).

import { join } from 'node:path';
import { RepoContext, commonGitDir, isAncestor } from '../git/repository';
import { HistoryOptions, monthsAgo } from '../history/historyOptions';
import { cachePath, readCache, writeCache } from '../history/indexCache';
import { excludedAsBinaryArgs } from '../history/excludedAttributes';
import { Check, arrayOf, isInteger, isString, oneOf, optional, recordOf, shape } from '../jsonShape';
import { Logger, silentLogger } from '../logger';
import { dictFromEntries } from '../dict';
import { HistoryForLevels, factsStore, neededFacts, scoringKey } from './levelDistribution';
import { DEFAULT_LEVEL_SHARES, LevelShares, MIN_CHANGES } from './levelScale';
import { ReasonCode } from './riskWeights';
import { windowBacktest } from './windowBacktest';
import { GatingPoint, gatingCurve } from './evaluation/metrics';
import { szzLabels } from './evaluation/szz';

const GATING_FILE = 'gating-v1.json';

export interface GatingFigures {
  /** The base the figures were measured for (a later review may show them, saying so). */
  base: string;
  /** The scored changes' window, and the last day fixes were looked at to label them. */
  since: string;
  until: string;
  labelsUntil: string;
  commits: number;
  defectInducing: number;
  fixesBlamed: number;
  /** Gating each level and above: critical (top 5 % by default), high or above (top 20 %), medium or above (top 50 %). */
  levels: { critical: GatingPoint; high: GatingPoint; medium: GatingPoint };
  /** The top 5 / 10 / 20 / 50 %. */
  curve: GatingPoint[];
  /** Why no figure, when the window cannot say (no defect-inducing change, too few changes). */
  notMeasurable?: string;
}

interface GatingFile {
  version: 1;
  key: string;
  figures: GatingFigures;
  /** Per fix commit, the commits its blame found, with blames bounded at `since`. */
  szz: { since: number; fixes: Record<string, string[]> };
}

const isNumber: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isPoint = shape({ top: isNumber, gated: isNumber, caught: isNumber });
const isGatingFile = shape({
  version: oneOf(1), key: isString,
  figures: shape({
    base: isString, since: isString, until: isString, labelsUntil: isString, commits: isInteger, defectInducing: isInteger, fixesBlamed: isInteger,
    levels: shape({ critical: isPoint, high: isPoint, medium: isPoint }), curve: arrayOf(isPoint), notMeasurable: optional(isString),
  }),
  szz: shape({ since: isNumber, fixes: recordOf(arrayOf(isString)) }),
});

function readGating(file: string, logger: Logger): GatingFile | null {
  return readCache<GatingFile>(file, isGatingFile, logger);
}

const day = (t: number) => new Date(t * 1000).toISOString().slice(0, 10);

function fileOf(gitDir: string): string {
  return join(cachePath(gitDir, 'history'), GATING_FILE);
}

function keyOf(o: HistoryOptions, weights: Partial<Record<ReasonCode, number>> | undefined, shares: LevelShares): string {
  return JSON.stringify([scoringKey(o, weights), shares]);
}

/**
 * The figures cached for this base, or for an earlier base of the same history (said by their
 * `base` and windows), without computing anything; null when none apply.
 */
export async function cachedGating(base: string, o: HistoryOptions, ctx: RepoContext, weights?: Partial<Record<ReasonCode, number>>, shares?: Partial<LevelShares>): Promise<GatingFigures | null> {
  const c = readGating(fileOf(await commonGitDir(ctx)), ctx.logger ?? silentLogger);
  if (!c || c.key !== keyOf(o, weights, { ...DEFAULT_LEVEL_SHARES, ...shares })) return null;
  if (c.figures.base === base || (await isAncestor(c.figures.base, base, ctx).catch(() => false))) return c.figures;
  return null;
}

export async function gatingEvaluation(
  h: HistoryForLevels,
  o: HistoryOptions,
  ctx: RepoContext,
  opts: { useCache: boolean; weights?: Partial<Record<ReasonCode, number>>; shares?: Partial<LevelShares>; onProgress?: (done: number, total: number) => void },
): Promise<GatingFigures & { cache: 'warm' | 'extended' | 'cold'; ms: number }> {
  const t0 = performance.now();
  const shares = { ...DEFAULT_LEVEL_SHARES, ...opts.shares };
  const gitDir = await commonGitDir(ctx);
  const file = fileOf(gitDir);
  const key = keyOf(o, opts.weights, shares);
  const logger = ctx.logger ?? silentLogger;
  const cached = opts.useCache ? readGating(file, logger) : null;
  const usable = cached && cached.key === key;
  if (usable && cached.figures.base === h.base) return { ...cached.figures, cache: 'warm', ms: Math.round(performance.now() - t0) };

  const since = monthsAgo(h.baseTime, 2 * o.windowMonths);
  const until = monthsAgo(h.baseTime, o.windowMonths);
  // A blame bounded at an earlier date knows at least as much about the later window: reusable.
  const szz: Record<string, string[]> = dictFromEntries(usable && cached.szz.since <= since ? Object.entries(cached.szz.fixes) : []);
  const store = factsStore(gitDir, o, opts.useCache, logger);
  const w = await windowBacktest(h, o, ctx, store.facts, { weights: opts.weights, since, globalArgs: excludedAsBinaryArgs(o.excludeGlobs, gitDir, opts.useCache) });
  const fixesBefore = Object.keys(szz).length;
  const buggy = await szzLabels(w.entries, ctx, { cache: szz, since, onProgress: opts.onProgress });
  const window = w.entries.filter((e) => e.time <= until);
  const labels = window.map((e) => buggy.has(e.sha));
  const scores = window.map((e) => e.risk.score);
  const positives = labels.filter(Boolean).length;
  const [critical, high, medium] = gatingCurve(scores, labels, [shares.critical, shares.critical + shares.high, shares.critical + shares.high + shares.medium]);
  const figures: GatingFigures = {
    base: h.base,
    since: day(since),
    until: day(until),
    labelsUntil: day(h.baseTime),
    commits: window.length,
    defectInducing: positives,
    fixesBlamed: w.entries.filter((e) => e.isFix && !e.revertOf).length,
    levels: { critical, high, medium },
    curve: gatingCurve(scores, labels),
    ...(window.length < MIN_CHANGES || positives === 0
      ? { notMeasurable: `${window.length} changes between ${day(since)} and ${day(until)}, ${positives} of them defect-inducing: too few to measure` }
      : {}),
  };
  if (opts.useCache) {
    const live = new Set(w.entries.map((e) => e.sha));
    const fixes = dictFromEntries(Object.entries(szz).filter(([sha]) => live.has(sha)));
    writeCache(file, { version: 1, key, figures, szz: { since, fixes } } satisfies GatingFile, logger);
    if (w.walked > 0) store.save(neededFacts(h, o));
  }
  return { ...figures, cache: fixesBefore === 0 ? 'cold' : 'extended', ms: Math.round(performance.now() - t0) };
}
