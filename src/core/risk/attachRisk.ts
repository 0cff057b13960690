// Attaches `risk` ({score, level, percentile, reasons, unavailable}) to every hunk, file and the
// change set, on the level scale of the repository's configuration (levels drawn from its own
// history by default, levelScale.ts) with its calibrated weights; the PR also gets this
// repository's gating figure for its level when one was measured.

import { ChangeSet } from '../review/changeSetTypes';
import { ReviewConfig, RiskLevel } from '../checklist/checklistTypes';
import { ChangeSetHistory } from '../history/historyTypes';
import { changeSetInputs, fileInputs, hunkInputs } from './inputsFromAnalysis';
import { Risk, scoreRisk } from './scoreRisk';
import { ReasonCode } from './riskWeights';
import { levelScale } from './levelScale';
import { GatingFigures } from './gatingEvaluation';

/** What gating this PR's level (and every level above it) caught on the repository's own history. */
export interface LevelGating {
  level: RiskLevel;
  /** Gating this level and above: `top` % of changes aimed at, `gated` % held, `caught` share of defect-inducing changes. For low: what the levels above hold, and so what low leaves. */
  top: number;
  gated: number;
  caught: number;
  commits: number;
  defectInducing: number;
  since: string;
  until: string;
  labelsUntil: string;
  /** The base the figures were measured at (an earlier one than the review's when cached). */
  base: string;
}

function levelGating(level: RiskLevel, g: GatingFigures): LevelGating | null {
  if (g.notMeasurable) return null;
  const point = level === 'critical' ? g.levels.critical : level === 'high' ? g.levels.high : g.levels.medium;
  return { level, top: point.top, gated: point.gated, caught: point.caught, commits: g.commits, defectInducing: g.defectInducing, since: g.since, until: g.until, labelsUntil: g.labelsUntil, base: g.base };
}

export function attachRisk(cs: ChangeSet, config?: Pick<ReviewConfig, 'riskThresholds' | 'riskLevels' | 'riskWeights'>): void {
  const history = cs.history as ChangeSetHistory | undefined;
  const scale = levelScale(history?.distribution, config);
  const opts = { scale, weights: config?.riskWeights as Partial<Record<ReasonCode, number>> | undefined };
  for (const f of cs.files) {
    for (const h of f.hunks) h.risk = scoreRisk(hunkInputs(h, f, cs), opts);
    f.risk = scoreRisk(fileInputs(f, cs), opts);
  }
  const pr: Risk & { gating?: LevelGating } = scoreRisk(changeSetInputs(cs), opts);
  const gating = history?.gating && scale.by === 'history' ? levelGating(pr.level, history.gating) : null;
  if (gating) pr.gating = gating;
  cs.risk = pr;
}
