// Scores one unit with the weight table: capped sum of points, the reasons ranked by the points
// they added (unavailable signals listed as such), and a level on the review's scale
// (levelScale.ts) from the score without call-graph impact, which the backtest cannot replay:
// so the level is final once history is known, before any language server answers.

import { RiskLevel } from '../checklist/checklistTypes';
import { RiskInputs } from './riskInputs';
import { DEFAULT_THRESHOLDS, ReasonCode, TESTS_ONLY_FACTOR, WEIGHTS, effectiveStrength, perLineFactor } from './riskWeights';
import { LevelScale, Thresholds, percentileOf } from './levelScale';

export interface RiskReason {
  code: ReasonCode;
  text: string;
  points: number;
}

export interface Risk {
  score: number;
  level: RiskLevel;
  reasons: RiskReason[];
  /** Signals that could not be computed for this unit (e.g. call-graph impact in a backtest). */
  unavailable: ReasonCode[];
  /** The share of their points that per-line signals (history, author, fix) take at this size, so the arithmetic can be checked. */
  perLineFactor: number;
  /** The score without the call-graph rows (callers, entry points): what the level and percentile compare. */
  comparableScore: number;
  /** Percent of the compared changes that scored lower (null when fixed thresholds set the level). */
  percentile: number | null;
  /** The repository's changes compared with: non-merge commits of the window before the base. */
  comparedWith: { commits: number; since: string; until: string } | null;
  /** Why fixed thresholds set the level instead, when they did. */
  levelNote?: string;
  /**
   * Inputs this score still waits for (['impact'] while call-graph impact is being computed):
   * the score and the callers rows are not final until it is empty. The level, the percentile and
   * comparableScore never wait for impact.
   */
  pending: string[];
}

/** Rows the backtest cannot replay (a language server per commit): left out of the compared score. */
const IMPACT_ROWS: ReadonlySet<ReasonCode> = new Set(['callers', 'entry-points']);

export function levelOf(score: number, t: Thresholds = DEFAULT_THRESHOLDS): RiskLevel {
  if (score >= t.critical) return 'critical';
  if (score >= t.high) return 'high';
  if (score >= t.medium) return 'medium';
  return 'low';
}

const clampScore = (x: number) => Math.max(0, Math.min(100, Math.round(x)));

/** `scale`: the review's level scale; without one, fixed thresholds (`thresholds`, else the defaults). */
export function scoreRisk(inputs: RiskInputs, opts: { thresholds?: Partial<Thresholds>; scale?: LevelScale; weights?: Partial<Record<ReasonCode, number>>; pending?: readonly string[] } = {}): Risk {
  const reasons: RiskReason[] = [];
  const unavailable: ReasonCode[] = [];
  let total = 0;
  let impact = 0;
  const factor = perLineFactor(inputs);
  for (const row of WEIGHTS) {
    const s = effectiveStrength(row, inputs, factor);
    if (s === null) {
      unavailable.push(row.code);
      continue;
    }
    const points = (opts.weights?.[row.code] ?? row.points) * s;
    if (points < 0.5 && !(row.alwaysListed && inputs.linesAdded + inputs.linesRemoved > 0)) continue;
    total += points;
    if (IMPACT_ROWS.has(row.code)) impact += points;
    reasons.push({ code: row.code, text: row.text(inputs), points: Math.round(points * 10) / 10 });
  }
  const keep = inputs.testsOnly ? TESTS_ONLY_FACTOR : 1;
  const score = clampScore(total * keep);
  const comparableScore = clampScore((total - impact) * keep);
  reasons.sort((a, b) => b.points - a.points);
  const scale = opts.scale ?? { by: 'thresholds', thresholds: { ...DEFAULT_THRESHOLDS, ...opts.thresholds }, why: '' };
  const level = levelOf(comparableScore, scale.thresholds);
  const common = { score, level, reasons, unavailable, perLineFactor: Math.round(factor * 100) / 100, comparableScore, pending: [...(opts.pending ?? [])] };
  if (scale.by === 'history') {
    const { commits, since, until } = scale.dist;
    return { ...common, percentile: percentileOf(scale.dist, comparableScore), comparedWith: { commits, since, until } };
  }
  return { ...common, percentile: null, comparedWith: null, ...(scale.why ? { levelNote: scale.why } : {}) };
}
