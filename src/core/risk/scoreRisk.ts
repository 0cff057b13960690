// Scores one unit with the weight table: capped sum of points, a level by thresholds, and the
// reasons ranked by the points they added; unavailable signals are listed as such.

import { RiskLevel } from '../checklist/checklistTypes';
import { RiskInputs } from './riskInputs';
import { DEFAULT_THRESHOLDS, ReasonCode, TESTS_ONLY_FACTOR, WEIGHTS, effectiveStrength, perLineFactor } from './riskWeights';

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
}

export type Thresholds = { medium: number; high: number; critical: number };

export function levelOf(score: number, t: Thresholds = DEFAULT_THRESHOLDS): RiskLevel {
  if (score >= t.critical) return 'critical';
  if (score >= t.high) return 'high';
  if (score >= t.medium) return 'medium';
  return 'low';
}

export function scoreRisk(inputs: RiskInputs, opts: { thresholds?: Partial<Thresholds>; weights?: Partial<Record<ReasonCode, number>> } = {}): Risk {
  const reasons: RiskReason[] = [];
  const unavailable: ReasonCode[] = [];
  let total = 0;
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
    reasons.push({ code: row.code, text: row.text(inputs), points: Math.round(points * 10) / 10 });
  }
  if (inputs.testsOnly) total *= TESTS_ONLY_FACTOR;
  const score = Math.max(0, Math.min(100, Math.round(total)));
  reasons.sort((a, b) => b.points - a.points);
  return { score, level: levelOf(score, { ...DEFAULT_THRESHOLDS, ...opts.thresholds }), reasons, unavailable, perLineFactor: Math.round(factor * 100) / 100 };
}
