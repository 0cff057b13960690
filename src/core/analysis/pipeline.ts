// The progressive analysis of one review range: the change set first (files, hunks, sizes), then
// history (after which levels and required hunks are final), then call-graph impact riskiest first;
// every step is announced to the caller, cancellable, and the whole is cached (analysisCache.ts).

import { ChangeSet, ChangedFile, DEFAULT_LIMITS, Hunk } from '../review/changeSetTypes';
import { mergeBaseOf, resolveEndsAndGitDir } from '../review/resolveRange';
import { computeChangeSet } from '../review/changeSet';
import { RepoContext, commitsOnly, repoRoot } from '../git/repository';
import { Logger, silentLogger } from '../logger';
import { attachHistory } from '../history/attachHistory';
import { ChangeSetHistory } from '../history/historyTypes';
import { historyOptions } from '../history/historyOptions';
import { PendingInputs, attachRisk, levelGating, riskScorer } from '../risk/attachRisk';
import { Risk } from '../risk/scoreRisk';
import { levelDistribution } from '../risk/levelDistribution';
import { cachedGating, gatingEvaluation } from '../risk/gatingEvaluation';
import { attachImpact, impactWork } from '../impact/attachImpact';
import { computesCallers } from '../impact/servers';
import { ChangeSetImpact, HunkImpact } from '../impact/impactTypes';
import { loadConfig } from '../checklist/loadConfig';
import { ReviewConfig } from '../checklist/checklistTypes';
import { AnalyzeOptions, numbersKey } from './analysisOptions';
import { AnalysisKey, analysisDir, readAnalysis, writeAnalysis } from './analysisCache';
import { TimingClock } from './analysisTimings';
import { AnalysisProgress, AnalysisStatus, statusOf } from './analysisStatus';

export interface AnalysisEvents {
  /** Files, hunks and sizes, before any enrichment (`cs.status` says what is still to come). */
  changes?(cs: ChangeSet): void;
  /** History attached and risk scored with what is known: levels and required hunks are final. */
  history?(cs: ChangeSet): void;
  /** One hunk's impact arrived, riskiest hunks first; its risk (and its file's once complete) is scored again. */
  impactHunk?(file: ChangedFile, hunk: Hunk): void;
  /** Every pass done (or off): every number is final. */
  done?(cs: ChangeSet): void;
  progress?(p: AnalysisProgress): void;
}

const IMPACT_PENDING = ['impact'];

/** What waits for impact while the hunks in `waiting` have none: those hunks, their files and the PR. */
function impactPending(waiting: ReadonlySet<string>): PendingInputs {
  return {
    hunk: (h) => (waiting.has(h.id) ? IMPACT_PENDING : []),
    file: (f) => (f.hunks.some((h) => waiting.has(h.id)) ? IMPACT_PENDING : []),
    changeSet: () => IMPACT_PENDING,
  };
}

/** Only analyses whose numbers depend on nothing but commits and options are cached. */
function cacheable(opts: AnalyzeOptions): boolean {
  if (opts.cache === false || opts.analysisCache === false) return false;
  if (opts.impact === false || opts.impact === undefined) return true;
  // A trusted review may analyse the reviewer's checkout in place (its numbers depend on what is
  // checked out), and an impact pass told not to cache should not be cached one level up.
  return opts.impact.useCache !== false && !opts.impact.trusted;
}

/**
 * Runs the analysis, calling `events` as each pass completes; resolves with the change set when
 * every pass is done. Cancelled through `opts.signal` (the promise rejects; what was announced
 * stays valid, and what is pending stays marked pending).
 */
export async function runAnalysis(opts: AnalyzeOptions, events: AnalysisEvents = {}): Promise<ChangeSet> {
  const clock = new TimingClock();
  const logger = opts.logger ?? silentLogger;
  const root = await repoRoot(opts.repo, { signal: opts.signal, logger });
  const ctx: RepoContext = { cwd: root, signal: opts.signal, logger };
  const { gitDir, ...ends } = await resolveEndsAndGitDir({ base: opts.base, head: opts.head }, ctx);
  const mergeBase = await mergeBaseOf(ends, ctx);
  const key: AnalysisKey = { baseCommit: ends.baseCommit, mergeBase, headCommit: ends.headCommit, options: numbersKey(opts) };
  const dir = cacheable(opts) ? analysisDir(gitDir) : null;
  // Computing the gating figure needs the history index itself: that run does the whole analysis.
  const entry = dir && opts.gating !== 'compute' ? readAnalysis(dir, key, logger) : null;
  const run = new Run(opts, ctx, events, clock, dir ? (state, cs) => writeAnalysis(dir, key, state, cs, logger) : null, commitsOnly(ctx, gitDir));
  if (entry) return run.fromCache(entry.cs, { repo: root, base: ends.base, head: ends.head }, entry.state);
  const cs = await computeChangeSet(root, { ...ends, mergeBase }, ctx, opts.limits ?? DEFAULT_LIMITS, gitDir);
  return run.fresh(cs);
}

class Run {
  private config: ReviewConfig | null = null;

  constructor(
    private readonly opts: AnalyzeOptions,
    private readonly ctx: RepoContext,
    private readonly events: AnalysisEvents,
    private readonly clock: TimingClock,
    private store: ((state: 'final' | 'partial', cs: ChangeSet) => boolean) | null,
    /**
     * Where history's git calls run: inside the git directory, where git reads no work tree's
     * .gitattributes (a checked-out head's `* -diff` made every past commit's line counts binary,
     * so churn read 0). History reads commits only; impact keeps the work tree (its checkout check).
     */
    private readonly historyCtx: RepoContext,
  ) {}

  private get logger(): Logger {
    return this.ctx.logger ?? silentLogger;
  }

  private async configOf(cs: ChangeSet): Promise<ReviewConfig> {
    // Risk levels and calibrated weights come from the base's configuration, like the checklist.
    this.config ??= await loadConfig(cs.baseCommit, this.ctx);
    return this.config;
  }

  async fresh(cs: ChangeSet): Promise<ChangeSet> {
    const work = this.opts.impact ? this.work(cs) : [];
    const status: AnalysisStatus = {
      history: this.opts.history === false ? 'off' : 'pending',
      impact: { state: this.opts.impact ? 'pending' : 'off', analysed: 0, total: work.length, truncated: 0 },
    };
    cs.status = status;
    this.clock.lap('changes');
    this.progress({ phase: 'changes', done: cs.stats.files, total: cs.stats.files, detail: 'files' });
    this.events.changes?.(cs);
    const config = await this.configOf(cs);
    if (this.opts.history !== false) await this.history(cs, config);
    this.scoreWithPending(cs, config);
    status.history = this.opts.history === false ? 'off' : 'done';
    this.events.history?.(cs);
    if (status.impact.state === 'pending') {
      this.save('partial', cs);
      await this.impact(cs, config);
    }
    return this.finish(cs, 'cold');
  }

  /** An entry of the whole-analysis cache: final is shown as it is, partial goes on with impact. */
  async fromCache(stored: ChangeSet, perRun: Pick<ChangeSet, 'repo' | 'base' | 'head'>, state: 'final' | 'partial'): Promise<ChangeSet> {
    // Per-run fields first, where a fresh analysis has them, so the JSON is the same text.
    const cs: ChangeSet = { ...perRun, ...stored };
    if (this.opts.gating !== false) await this.attachCachedGating(cs);
    this.clock.lap('cache');
    this.events.changes?.(cs);
    this.events.history?.(cs);
    if (state === 'partial') {
      await this.impact(cs, await this.configOf(cs));
      return this.finish(cs, 'resumed');
    }
    this.clock.stop();
    cs.timings = this.clock.timings('warm');
    this.events.done?.(cs);
    return cs;
  }

  private async finish(cs: ChangeSet, analysis: 'cold' | 'resumed'): Promise<ChangeSet> {
    attachRisk(cs, await this.configOf(cs));
    const status = statusOf(cs)!;
    if (status.impact.state === 'pending') status.impact.state = 'done';
    this.clock.stop();
    cs.timings = this.clock.timings(analysis);
    // A server that failed answered by text search this time: the next run should try it again.
    const failed = ((cs.impact as ChangeSetImpact | undefined)?.notes ?? []).some((n) => /\bfailed\b/.test(n));
    this.save(failed ? 'partial' : 'final', cs);
    this.events.done?.(cs);
    return cs;
  }

  private save(state: 'final' | 'partial', cs: ChangeSet): void {
    if (!this.store) return;
    // The gating figure is attached from its own cache on every read, never stored with the analysis.
    const without = (x: unknown) => (x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'gating')) : x);
    // One warning per run: a folder that could not take the partial entry will not take the final one.
    if (!this.store(state, { ...cs, history: without(cs.history), risk: without(cs.risk) })) this.store = null;
  }

  private progress(p: AnalysisProgress): void {
    this.events.progress?.(p);
  }

  private async history(cs: ChangeSet, config: ReviewConfig): Promise<void> {
    const o = historyOptions(this.opts.history || {});
    const useCache = this.opts.cache !== false;
    const files = cs.files.length;
    this.progress({ phase: 'history', done: 0, total: files, detail: 'files' });
    // The levels' distribution is history too: once it is here, levels and the hunks the checklist
    // requires are final, whatever call-graph impact adds to the scores later. It needs only the
    // index, so it runs beside the files' blames.
    let distribution: Record<string, unknown> | null = null;
    const attached = await attachHistory(cs, o, this.historyCtx, useCache, async (index) => {
      if (config.riskThresholds) return;
      const { cache, walked, ms, ...d } = await levelDistribution({ base: cs.baseCommit, ...index }, o, this.historyCtx, { useCache, weights: config.riskWeights });
      this.clock.moved('distribution', { cache, walked, ms });
      distribution = d;
    });
    this.progress({ phase: 'history', done: files, total: files, detail: 'files' });
    const h = { base: cs.baseCommit, ...attached };
    const summary = cs.history as ChangeSetHistory;
    const runOnly = summary as unknown as Record<string, unknown>;
    this.clock.moved('history', { cache: runOnly.cache, indexMs: runOnly.ms });
    delete runOnly.cache;
    delete runOnly.ms;
    if (distribution) summary.distribution = distribution as ChangeSetHistory['distribution'];
    this.clock.lap('history');
    const gatingOpts = { useCache, weights: config.riskWeights, shares: config.riskLevels };
    if (this.opts.gating === 'compute') {
      const { cache, ms, ...gating } = await gatingEvaluation(h, o, this.historyCtx, gatingOpts);
      this.clock.moved('gating', { cache, ms });
      summary.gating = gating;
    } else if (this.opts.gating !== false) {
      const gating = await cachedGating(cs.baseCommit, o, this.historyCtx, config.riskWeights, gatingOpts.shares);
      if (gating) summary.gating = gating;
    }
    this.clock.lap('levels');
  }

  /** The cached gating figure for this base (from the levels' own cache), on the PR's risk. */
  private async attachCachedGating(cs: ChangeSet): Promise<void> {
    const summary = cs.history as ChangeSetHistory | undefined;
    const risk = cs.risk as (Risk & { gating?: unknown }) | undefined;
    if (!summary || !risk || risk.percentile === null) return;
    const config = await this.configOf(cs);
    const gating = await cachedGating(cs.baseCommit, historyOptions(this.opts.history || {}), this.historyCtx, config.riskWeights, config.riskLevels);
    if (!gating) return;
    summary.gating = gating;
    const lg = levelGating(risk.level, gating);
    if (lg) risk.gating = lg;
  }

  /** The hunks impact is computed for: code only (documentation, data and lockfiles get no callers). */
  private work(cs: ChangeSet): ReturnType<typeof impactWork> {
    const servers = (this.opts.impact && this.opts.impact.servers) || [];
    return impactWork(cs, [], (path) => computesCallers(path, servers));
  }

  /** Scores every unit; while impact is pending, the units it has not reached say so. */
  private scoreWithPending(cs: ChangeSet, config: ReviewConfig): void {
    attachRisk(cs, config, this.pendingInputs(cs));
  }

  private pendingInputs(cs: ChangeSet): PendingInputs | undefined {
    const status = statusOf(cs);
    if (status?.impact.state !== 'pending') return undefined;
    return impactPending(new Set(this.work(cs).filter(([, h]) => !h.impact).map(([, h]) => h.id)));
  }

  /** Call-graph impact, riskiest hunks (by their final score) first, each hunk scored again as it arrives. */
  private async impact(cs: ChangeSet, config: ReviewConfig): Promise<void> {
    const status = statusOf(cs)!;
    const work = this.work(cs);
    const waiting = new Set(work.filter(([, h]) => !h.impact).map(([, h]) => h.id));
    const rank = new Map(work.map(([, h], i) => [h.id, i]));
    const final = (h: Hunk) => (h.risk as Risk | undefined)?.comparableScore ?? 0;
    const order = work.map(([, h]) => h).sort((a, b) => final(b) - final(a) || rank.get(a.id)! - rank.get(b.id)!).map((h) => h.id);
    // `waiting` shrinks as answers arrive: each hunk is scored with what it still waits for then.
    const score = riskScorer(cs, config, impactPending(waiting));
    status.impact.analysed = work.length - waiting.size;
    this.progress({ phase: 'impact', done: status.impact.analysed, total: status.impact.total, detail: 'hunks' });
    const imp = this.opts.impact || {};
    await attachImpact(cs, this.ctx, {
      ...imp,
      signal: this.opts.signal,
      logger: this.logger,
      useCache: this.opts.cache !== false && imp.useCache !== false,
      // --no-cache writes nothing under .git: the private analysis trees go to a temporary folder.
      keepTrees: this.opts.cache !== false,
      order,
      onHunk: (f, h, m: HunkImpact) => {
        if (!waiting.delete(h.id)) return;
        status.impact.analysed++;
        if (m.truncated) status.impact.truncated++;
        h.risk = score.hunk(h, f);
        if (!f.hunks.some((x) => waiting.has(x.id))) f.risk = score.file(f);
        imp.onHunk?.(f, h, m);
        this.events.impactHunk?.(f, h);
        this.progress({ phase: 'impact', done: status.impact.analysed, total: status.impact.total, detail: 'hunks' });
      },
    });
    const summary = cs.impact as ChangeSetImpact | undefined;
    if (summary) {
      // The time and the servers' names are kept with the run's facts (timings), beside the other
      // passes' times; each hunk's answer still names the server that gave it.
      this.clock.moved('impact', { ms: summary.ms, server: summary.server ?? undefined });
      const stable = summary as Partial<ChangeSetImpact>;
      delete stable.ms;
      delete stable.server;
    }
    status.impact.truncated = work.filter(([, h]) => (h.impact as HunkImpact | undefined)?.truncated).length;
    this.clock.lap('impact');
  }
}
