// `senior-review levels`: the level scale a review at a base would use (the score lines drawn
// through this repository's own changes of the window before the base, and how many changes each
// level holds) and, when asked, the gating figures measured on the window before that.

import { RepoContext, commitsOnly, commonGitDir, readBlobAt, resolveCommit } from '../git/repository';
import { HistoryOptions, historyOptions } from '../history/historyOptions';
import { loadHistory } from '../history/historyStore';
import { peopleOfIndex } from '../history/identities';
import { loadConfig } from '../checklist/loadConfig';
import { RISK_LEVELS, RiskLevel } from '../checklist/checklistTypes';
import { CachedDistribution, levelDistribution } from './levelDistribution';
import { GatingFigures, gatingEvaluation } from './gatingEvaluation';
import { LevelScale, levelScale } from './levelScale';
import { levelOf } from './scoreRisk';

export interface LevelsReport {
  base: string;
  scale: LevelScale;
  distribution: CachedDistribution;
  /** Per level: the share (percent) of the window's changes it holds. */
  shares: Record<RiskLevel, number>;
  gating: (GatingFigures & { cache: string; ms: number }) | null;
  historyMs: number;
}

export async function levelsReport(
  opts: { base?: string; options?: Partial<HistoryOptions>; cache?: boolean; gating?: boolean; onProgress?: (done: number, total: number) => void },
  ctx: RepoContext,
): Promise<LevelsReport> {
  const base = await resolveCommit(opts.base ?? 'HEAD', ctx, 'base revision');
  // History reads commits only: inside the git directory, as a bare repository, no checkout's
  // .gitattributes shapes its line counts (see GitOptions.bare).
  ctx = commitsOnly(ctx, await commonGitDir(ctx));
  const o = historyOptions(opts.options);
  const useCache = opts.cache !== false;
  const [config, loaded, mailmap] = await Promise.all([
    loadConfig(base, ctx),
    loadHistory(base, o, ctx, useCache),
    readBlobAt(base, '.mailmap', ctx),
  ]);
  const h = { base, index: loaded.index, baseTime: loaded.baseTime, who: peopleOfIndex(loaded.index, mailmap?.toString('utf8') ?? null) };
  const distribution = await levelDistribution(h, o, ctx, { useCache, weights: config.riskWeights });
  const scale = levelScale(distribution, config);
  const shares = Object.fromEntries(RISK_LEVELS.map((l) => [l, 0])) as Record<RiskLevel, number>;
  distribution.scoreCounts.forEach((k, s) => (shares[levelOf(s, scale.thresholds)] += k));
  for (const l of RISK_LEVELS) shares[l] = distribution.commits ? Math.round((1000 * shares[l]) / distribution.commits) / 10 : 0;
  const gating = opts.gating === false ? null : await gatingEvaluation(h, o, ctx, { useCache, weights: config.riskWeights, shares: config.riskLevels, onProgress: opts.onProgress });
  return { base, scale, distribution, shares, gating, historyMs: Math.round(loaded.ms) };
}
