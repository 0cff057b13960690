// Attaches `risk` ({score, level, percentile, reasons, unavailable, pending}) to every hunk, file and the
// change set, on the level scale of the repository's configuration (levels drawn from its own
// history by default, levelScale.ts) with its calibrated weights; the PR also gets this
// repository's gating figure for its level when one was measured.

import { ChangeSet, ChangedFile, Hunk } from '../review/changeSetTypes';
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

export function levelGating(level: RiskLevel, g: GatingFigures): LevelGating | null {
  if (g.notMeasurable) return null;
  const point = level === 'critical' ? g.levels.critical : level === 'high' ? g.levels.high : g.levels.medium;
  return { level, top: point.top, gated: point.gated, caught: point.caught, commits: g.commits, defectInducing: g.defectInducing, since: g.since, until: g.until, labelsUntil: g.labelsUntil, base: g.base };
}

/** What a unit's score still waits for (see Risk.pending); nothing by default. */
export interface PendingInputs {
  hunk(h: Hunk): string[];
  file(f: ChangedFile): string[];
  changeSet(): string[];
}

const NOTHING_PENDING: PendingInputs = { hunk: () => [], file: () => [], changeSet: () => [] };

type RiskConfig = Pick<ReviewConfig, 'riskThresholds' | 'riskLevels' | 'riskWeights'>;

/** Scores single units on the review's scale, so a hunk can be scored again as its impact arrives. */
export function riskScorer(cs: ChangeSet, config?: RiskConfig, pending: PendingInputs = NOTHING_PENDING) {
  const history = cs.history as ChangeSetHistory | undefined;
  const scale = levelScale(history?.distribution, config);
  const base = { scale, weights: config?.riskWeights as Partial<Record<ReasonCode, number>> | undefined };
  return {
    hunk: (h: Hunk, f: ChangedFile): Risk => scoreRisk(hunkInputs(h, f, cs), { ...base, pending: pending.hunk(h) }),
    file: (f: ChangedFile): Risk => scoreRisk(fileInputs(f, cs), { ...base, pending: pending.file(f) }),
    changeSet: (): Risk & { gating?: LevelGating } => {
      const pr: Risk & { gating?: LevelGating } = scoreRisk(changeSetInputs(cs), { ...base, pending: pending.changeSet() });
      const gating = history?.gating && scale.by === 'history' ? levelGating(pr.level, history.gating) : null;
      if (gating) pr.gating = gating;
      return pr;
    },
  };
}

export function attachRisk(cs: ChangeSet, config?: RiskConfig, pending?: PendingInputs): void {
  const score = riskScorer(cs, config, pending);
  for (const f of cs.files) {
    for (const h of f.hunks) h.risk = score.hunk(h, f);
    f.risk = score.file(f);
  }
  cs.risk = score.changeSet();
}
