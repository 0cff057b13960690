// The whole analysis of one review range as plain function calls on data: range → change set,
// then each enrichment (history, impact, risk) attaches its fields to the same objects.

import { ChangeSet, ChangeSetLimits, DEFAULT_LIMITS } from '../review/changeSetTypes';
import { resolveEnds } from '../review/resolveRange';
import { computeChangeSet } from '../review/changeSet';
import { repoRoot } from '../git/repository';
import { Logger, silentLogger } from '../logger';
import { attachHistory } from '../history/attachHistory';
import { ChangeSetHistory } from '../history/historyTypes';
import { HistoryOptions, historyOptions } from '../history/historyOptions';
import { attachRisk } from '../risk/attachRisk';
import { CachedDistribution, levelDistribution } from '../risk/levelDistribution';
import { cachedGating, gatingEvaluation } from '../risk/gatingEvaluation';
import { attachImpact, AttachImpactOptions } from '../impact/attachImpact';
import { loadConfig } from '../checklist/loadConfig';

export interface AnalyzeOptions {
  repo: string;
  base?: string;
  head?: string;
  signal?: AbortSignal;
  logger?: Logger;
  limits?: ChangeSetLimits;
  /** History signals (hotspots, ownership, AI-assisted lines); false skips them. */
  history?: Partial<HistoryOptions> | false;
  /** Use and update the caches under the git directory (default true). */
  cache?: boolean;
  /** Call-graph impact through a language server; off unless asked for (it starts a server). */
  impact?: AttachImpactOptions | false;
  /**
   * The repository's gating figure for the PR's level (SZZ over a year of fixes): 'cached' shows
   * it when an earlier run computed it (default: the first computation can take minutes on a
   * large repository), 'compute' computes what is missing, false leaves it out.
   */
  gating?: 'cached' | 'compute' | false;
}

export async function analyzeChangeSet(opts: AnalyzeOptions): Promise<ChangeSet> {
  const logger = opts.logger ?? silentLogger;
  const root = await repoRoot(opts.repo, { signal: opts.signal, logger });
  const ctx = { cwd: root, signal: opts.signal, logger };
  const ends = await resolveEnds({ base: opts.base, head: opts.head }, ctx);
  const cs = await computeChangeSet(root, ends, ctx, opts.limits ?? DEFAULT_LIMITS);
  // Risk levels and calibrated weights come from the base's configuration, like the checklist.
  const config = await loadConfig(cs.baseCommit, ctx);
  const useCache = opts.cache !== false;
  if (opts.history !== false) {
    const o = historyOptions(opts.history ?? {});
    // The levels' distribution is history too: once it is here, levels and the hunks the
    // checklist requires are final, whatever call-graph impact adds to the scores later. It needs
    // only the index, so it runs beside the files' blames.
    let distribution: CachedDistribution | undefined;
    const h = {
      base: cs.baseCommit,
      ...(await attachHistory(cs, o, ctx, useCache, async (index) => {
        if (!config.riskThresholds) distribution = await levelDistribution({ base: cs.baseCommit, ...index }, o, ctx, { useCache, weights: config.riskWeights });
      })),
    };
    const summary = cs.history as ChangeSetHistory;
    if (distribution) summary.distribution = distribution;
    const gatingOpts = { useCache, weights: config.riskWeights, shares: config.riskLevels };
    const gating = opts.gating === 'compute' ? await gatingEvaluation(h, o, ctx, gatingOpts) : opts.gating === false ? null : await cachedGating(cs.baseCommit, o, ctx, config.riskWeights, gatingOpts.shares);
    if (gating) summary.gating = gating;
  }
  if (opts.impact) await attachImpact(cs, ctx, { logger, signal: opts.signal, useCache, keepTrees: useCache, ...opts.impact });
  attachRisk(cs, config);
  return cs;
}
