// The risk model's evaluation on a repository's own history: backtest scores for the commits of a
// window, SZZ labels from the fixes that followed (within a horizon), ROC AUC and Recall@20%Effort
// against the "lines added" and "smallest changes first" baselines, and the gating curve.

import { RepoContext } from '../../git/repository';
import { BacktestEntry, backtest } from '../backtest';
import { MONTH_SECONDS } from '../../history/historyOptions';
import { szzLabels } from './szz';
import { GatingPoint, aucGainInterval, gatingCurve, rankBy, recallAtEffort, rocAuc } from './metrics';

export interface EvaluationResult {
  repo: string;
  since: string;
  until: string;
  horizonMonths: number;
  commits: number;
  defectInducing: number;
  fixCommitsBlamed: number;
  /** `gainInterval`: the paired-bootstrap 95% interval of the gain. */
  auc: { risk: number; linesAdded: number; gain: number; gainInterval: [number, number] };
  recallAt20Effort: { riskDensity: number; riskScore: number; smallestFirst: number; linesAdded: number };
  /** Defect-inducing changes caught when the top 5 / 10 / 20 / 50 % by score are gated. */
  gating: GatingPoint[];
  ms: number;
}


/** The window cannot be measured (no defect-inducing commit, or nothing else). */
export class EvaluationError extends Error {}

export interface WindowOptions {
  since: number;
  until: number;
  horizonMonths?: number;
  onProgress?: (s: string) => void;
}

/**
 * The backtested commits of a window (oldest first) with their SZZ labels, from fixes up to
 * `horizonMonths` after the window.
 */
export async function labelledWindow(ctx: RepoContext, opts: WindowOptions): Promise<{ window: BacktestEntry[]; labels: boolean[]; fixes: number; horizon: number }> {
  const horizon = opts.horizonMonths ?? 12;
  const { entries } = await backtest(ctx, { since: opts.since, until: opts.until + horizon * MONTH_SECONDS });
  const fixes = entries.filter((e) => e.isFix && !e.revertOf).length;
  opts.onProgress?.(`backtest: ${entries.length} commits scored, ${fixes} fixes to blame`);
  const buggy = await szzLabels(entries, ctx, {
    onProgress: (d, n) => {
      if (d % 100 === 0 || d === n) opts.onProgress?.(`szz: ${d}/${n} fixes blamed`);
    },
  });
  const window = entries.filter((e) => e.time <= opts.until);
  return { window, labels: window.map((e) => buggy.has(e.sha)), fixes, horizon };
}

export async function evaluateRisk(ctx: RepoContext, opts: WindowOptions): Promise<EvaluationResult> {
  const t0 = performance.now();
  const { window, labels, fixes, horizon } = await labelledWindow(ctx, opts);
  const positives = labels.filter(Boolean).length;
  if (positives === 0 || positives === window.length) {
    throw new EvaluationError(`the window has ${window.length} commits, ${positives} of them defect-inducing: AUC needs at least one of each (widen --since/--until)`);
  }
  const score = window.map((e) => e.risk.score);
  const added = window.map((e) => e.linesAdded);
  const effort = window.map((e) => e.linesAdded + e.linesDeleted);
  // Effort-aware ranking: risk per changed line, so a reviewer's first 20% of lines go where risk is densest.
  const density = window.map((e, i) => e.risk.score / (effort[i] + 1));
  const aucRisk = rocAuc(score, labels);
  const aucAdded = rocAuc(added, labels);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    repo: ctx.cwd,
    since: new Date(opts.since * 1000).toISOString().slice(0, 10),
    until: new Date(opts.until * 1000).toISOString().slice(0, 10),
    horizonMonths: horizon,
    commits: window.length,
    defectInducing: positives,
    fixCommitsBlamed: fixes,
    auc: { risk: r(aucRisk), linesAdded: r(aucAdded), gain: r(aucRisk - aucAdded), gainInterval: aucGainInterval(score, added, labels).map(r) as [number, number] },
    recallAt20Effort: {
      riskDensity: r(recallAtEffort(rankBy(density), effort, labels)),
      riskScore: r(recallAtEffort(rankBy(score), effort, labels)),
      smallestFirst: r(recallAtEffort(rankBy(effort, true), effort, labels)),
      linesAdded: r(recallAtEffort(rankBy(added), effort, labels)),
    },
    gating: gatingCurve(score, labels),
    ms: Math.round(performance.now() - t0),
  };
}
