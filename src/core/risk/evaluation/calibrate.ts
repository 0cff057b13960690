// `senior-review calibrate`: fits the weight table's points to a repository's own history. The
// backtest gives each commit's signal strengths (0..1, as the score uses them), SZZ says which
// commits later needed a fix, and a non-negative logistic regression weighs the signals; the fitted
// weights are scaled to the same total as the defaults, so thresholds keep their meaning. Signals
// the backtest cannot replay (call-graph impact) or that the window has no evidence for keep their
// default points. The fit is first
// checked on the window's last third, trained on the first two thirds only.

import { RepoContext } from '../../git/repository';
import { BacktestEntry } from '../backtest';
import { ReasonCode, TESTS_ONLY_FACTOR, WEIGHTS, effectiveStrength } from '../riskWeights';
import { fitLogistic } from './logistic';
import { WindowOptions, labelledWindow } from './evaluate';
import { rocAuc } from './metrics';

export interface CalibrationResult {
  since: string;
  until: string;
  horizonMonths: number;
  commits: number;
  defectInducing: number;
  /** Fitted points per signal with evidence in the window; the others keep their defaults. */
  weights: Partial<Record<ReasonCode, number>>;
  defaults: Partial<Record<ReasonCode, number>>;
  notCalibrated: ReasonCode[];
  /** Trained on the first two thirds of the window, measured on the last third (AUCs null when it has too few of either class). */
  heldOut: { commits: number; defectInducing: number; aucDefault: number | null; aucCalibrated: number | null; aucLinesAdded: number | null };
  /** Fitted and measured on the whole window (optimistic, for comparison). */
  inSample: { aucDefault: number; aucCalibrated: number };
}

export class CalibrationError extends Error {}

const MIN_CLASS = 10;
const MIN_HELD_OUT = 5;

/** Each commit's strength per signal, as the score uses it (tests-only changes scaled down). */
function features(entries: readonly BacktestEntry[], rows: typeof WEIGHTS): number[][] {
  return entries.map((e) => rows.map((r) => (effectiveStrength(r, e.inputs) ?? 0) * (e.inputs.testsOnly ? TESTS_ONLY_FACTOR : 1)));
}

/** Fitted points for `rows`, scaled to the rows' default total; null when no signal helps. */
function fitPoints(x: number[][], y: boolean[], rows: typeof WEIGHTS): number[] | null {
  const { weights } = fitLogistic(x, y);
  const sum = weights.reduce((s, w) => s + w, 0);
  if (!(sum > 0)) return null;
  const total = rows.reduce((s, r) => s + r.points, 0);
  return weights.map((w) => Math.round((w / sum) * total * 10) / 10);
}

const scoreWith = (x: number[][], points: number[]) => x.map((row) => row.reduce((s, v, k) => s + v * points[k], 0));
const r3 = (v: number) => Math.round(v * 1000) / 1000;

export async function calibrateRisk(ctx: RepoContext, opts: WindowOptions): Promise<CalibrationResult> {
  const { window, labels, horizon } = await labelledWindow(ctx, opts);
  const positives = labels.filter(Boolean).length;
  if (positives < MIN_CLASS || window.length - positives < MIN_CLASS) {
    throw new CalibrationError(`the window has ${window.length} commits, ${positives} of them defect-inducing: at least ${MIN_CLASS} of each are needed (widen --since/--until)`);
  }
  // Only signals with evidence in the window are fitted: measured by the backtest, present in at
  // least MIN_CLASS commits and not the same for all (no AI-assisted commits says nothing about them).
  const rows = WEIGHTS.filter((r) => {
    const v = window.map((e) => r.strength(e.inputs));
    return v.filter((s) => s !== null && s > 0).length >= MIN_CLASS && new Set(v).size > 1;
  });
  const x = features(window, rows);
  const points = fitPoints(x, labels, rows);
  if (!points) throw new CalibrationError('no signal predicts the defect-inducing commits of this window; the defaults stay');

  // Held out: the window's last third, with weights fitted on the first two thirds.
  const cut = Math.floor((window.length * 2) / 3);
  const trainPoints = fitPoints(x.slice(0, cut), labels.slice(0, cut), rows) ?? rows.map((r) => r.points);
  const testX = x.slice(cut);
  const testY = labels.slice(cut);
  const test = window.slice(cut);
  const testPositives = testY.filter(Boolean).length;
  // Fewer than MIN_HELD_OUT of either class in the last third: an AUC there would be noise.
  const measurable = testPositives >= MIN_HELD_OUT && test.length - testPositives >= MIN_HELD_OUT;
  const heldAuc = (scores: number[]) => (measurable ? r3(rocAuc(scores, testY)) : null);

  return {
    since: new Date(opts.since * 1000).toISOString().slice(0, 10),
    until: new Date(opts.until * 1000).toISOString().slice(0, 10),
    horizonMonths: horizon,
    commits: window.length,
    defectInducing: positives,
    weights: Object.fromEntries(rows.map((r, k) => [r.code, points[k]])),
    defaults: Object.fromEntries(rows.map((r) => [r.code, r.points])),
    notCalibrated: WEIGHTS.filter((r) => !rows.includes(r)).map((r) => r.code),
    heldOut: {
      commits: test.length,
      defectInducing: testPositives,
      aucDefault: heldAuc(test.map((e) => e.risk.score)),
      aucCalibrated: heldAuc(scoreWith(testX, trainPoints)),
      aucLinesAdded: heldAuc(test.map((e) => e.linesAdded)),
    },
    inSample: {
      aucDefault: r3(rocAuc(window.map((e) => e.risk.score), labels)),
      aucCalibrated: r3(rocAuc(scoreWith(x, points), labels)),
    },
  };
}
