// The whole analysis of one review range as plain function calls on data: range → change set,
// then each enrichment (history, impact, risk) attaches its fields to the same objects.

import { ChangeSet, ChangeSetLimits, DEFAULT_LIMITS } from '../review/changeSetTypes';
import { resolveEnds } from '../review/resolveRange';
import { computeChangeSet } from '../review/changeSet';
import { repoRoot } from '../git/repository';
import { Logger, silentLogger } from '../logger';
import { attachHistory } from '../history/attachHistory';
import { HistoryOptions } from '../history/historyOptions';
import { attachRisk } from '../risk/attachRisk';
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
}

export async function analyzeChangeSet(opts: AnalyzeOptions): Promise<ChangeSet> {
  const logger = opts.logger ?? silentLogger;
  const root = await repoRoot(opts.repo, { signal: opts.signal, logger });
  const ctx = { cwd: root, signal: opts.signal, logger };
  const ends = await resolveEnds({ base: opts.base, head: opts.head }, ctx);
  const cs = await computeChangeSet(root, ends, ctx, opts.limits ?? DEFAULT_LIMITS);
  if (opts.history !== false) await attachHistory(cs, opts.history ?? {}, ctx, opts.cache !== false);
  if (opts.impact) await attachImpact(cs, ctx, { logger, signal: opts.signal, useCache: opts.cache !== false, ...opts.impact });
  // Risk thresholds and calibrated weights come from the base's configuration, like the checklist.
  attachRisk(cs, await loadConfig(cs.baseCommit, ctx));
  return cs;
}
