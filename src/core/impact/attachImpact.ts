// Attaches call-graph impact to a change set: `hunk.impact` for every hunk of a file a server (or
// the text fallback) can read, progressively and cancellably, cached per (head, merge base, hunk)
// under the git directory so reopening a review is instant; `changeSet.impact` is the union.

import { join } from 'node:path';
import { RepoContext, commonGitDir } from '../git/repository';
import { Logger, silentLogger } from '../logger';
import { ChangeSet, ChangedFile, Hunk } from '../review/changeSetTypes';
import { cachePath, readCache, writeCache } from '../history/indexCache';
import { Dict, newDict, toDict } from '../dict';
import { Check, arrayOf, isBoolean, isInteger, isRecord, isString, oneOf, optional, recordOf, shape } from '../jsonShape';
import { ChangeSetImpact, EntryPoint, HunkImpact } from './impactTypes';
import { DEFAULT_IMPACT_OPTIONS, ImpactOptions, ImpactSession } from './impactSession';
import { pruneAnalysisTrees } from './analysisTree';
import { BaseSide } from './walkState';

export interface AttachImpactOptions extends Partial<ImpactOptions> {
  signal?: AbortSignal;
  logger?: Logger;
  /** Read and write the answers cached per hunk (default true). */
  useCache?: boolean;
  /**
   * Keep the private analysis trees under the git directory for the next review (default true);
   * false (the analysis's --no-cache) writes nothing under .git: the trees go to a temporary folder.
   */
  keepTrees?: boolean;
  /** Hunk ids in the order to analyse them (riskiest first); hunks not listed follow in file order. */
  order?: readonly string[];
  /** Called as each hunk's impact arrives, in analysis order; hunks that need the merge base come after the others. */
  onHunk?: (file: ChangedFile, hunk: Hunk, impact: HunkImpact) => void;
  /** Reuse a warm session (the editor keeps one per review); otherwise one is made and disposed. */
  session?: ImpactSession;
}

/** 3: see ANALYSIS_FORMAT 4 (callers confirmed from the private tree's text hits); 4, 5, 6: see ANALYSIS_FORMAT 5, 6, 7. */
const CACHE_VERSION = 6;

interface ImpactCache {
  v: number;
  optionsKey: string;
  /** By hunk id. */
  hunks: Dict<HunkImpact>;
}

const isLine: Check = (v) => isInteger(v) && (v as number) >= 0;
const isCaller = shape({ name: isString, kind: isString, path: isString, line: isLine, callLines: arrayOf(isLine), depth: isLine, isTest: isBoolean, topLevel: isBoolean });
const isHunkImpact = shape({
  symbols: arrayOf(shape({ name: isString, kind: isString, path: isString, line: isLine, side: oneOf('head', 'base') })),
  directCallers: arrayOf(isCaller), callers: arrayOf(isCaller), transitiveCallers: isLine, files: arrayOf(isString), dirs: arrayOf(isString),
  entryPoints: arrayOf(shape({ kind: oneOf('exported-api', 'test'), name: isString, path: isString, line: isLine })),
  depth: isLine, truncated: isBoolean, truncatedBy: optional(isString), source: oneOf('lsp', 'editor', 'text'), approximate: isBoolean, server: optional(isString), note: optional(isString),
});
const isImpactCache: Check = (v) => shape({ v: isInteger, optionsKey: isString, hunks: isRecord })(v) && ((v as ImpactCache).v !== CACHE_VERSION || recordOf(isHunkImpact)((v as ImpactCache).hunks));

/** The hunks impact is computed for, in analysis order: text hunks of files not too large to show. */
export function impactWork(cs: ChangeSet, order: readonly string[] = [], computes: (path: string) => boolean = () => true): Array<[ChangedFile, Hunk]> {
  const all: Array<[ChangedFile, Hunk]> = [];
  for (const f of cs.files) if (f.kind === 'text' && !f.tooLarge && computes(f.path)) for (const h of f.hunks) all.push([f, h]);
  const rank = new Map(order.map((id, i) => [id, i]));
  return all.map((x, i) => ({ x, r: rank.get(x[1].id) ?? order.length + i })).sort((a, b) => a.r - b.r).map((y) => y.x);
}

/** A hunk's entry in the cache: its id (its path and lines), and where a rename came from (the base side reads it there). */
function cacheEntry(f: ChangedFile, h: Hunk): string {
  return f.oldPath && f.oldPath !== f.path ? `${h.id}<${f.oldPath}` : h.id;
}

/** The answers cached per hunk for this range and the session's options (empty when not used or stale). */
async function readHunkCache(cs: ChangeSet, ctx: RepoContext, session: ImpactSession, useCache: boolean, logger: Logger): Promise<{ cacheFile: string; optionsKey: string; hunks: Dict<HunkImpact> }> {
  // Under the two commits' code snapshots: a new head whose pushes changed no code reuses every answer.
  const [head, base] = useCache ? await Promise.all([session.cacheKey(cs.headCommit), session.cacheKey(cs.mergeBase)]) : [cs.headCommit, cs.mergeBase];
  const cacheFile = join(cachePath(await commonGitDir(ctx), 'impact-cache'), `${head}-${base.slice(0, 12)}.json`);
  const cache = useCache ? readCache<ImpactCache>(cacheFile, isImpactCache, logger) : null;
  const so = session.options;
  // Answers depend on the limits and on which sources may answer (the editor's when preferred or present).
  const optionsKey = JSON.stringify([so.maxDepth, so.maxNodes, so.trusted, so.servers, !!so.editor, !!so.preferEditor]);
  const hunks = cache && cache.v === CACHE_VERSION && cache.optionsKey === optionsKey ? toDict(cache.hunks) : newDict<HunkImpact>();
  return { cacheFile, optionsKey, hunks };
}

/** The options a session gets for these: the defaults, overridden by the session options that are set. */
export function impactSessionOptions(opts: AttachImpactOptions): ImpactOptions {
  const set = Object.fromEntries(Object.entries(opts).filter(([k, v]) => k in DEFAULT_IMPACT_OPTIONS && v !== undefined));
  return { ...DEFAULT_IMPACT_OPTIONS, ...set };
}

export async function attachImpact(cs: ChangeSet, ctx: RepoContext, opts: AttachImpactOptions = {}): Promise<ChangeSetImpact> {
  const t0 = performance.now();
  const logger = opts.logger ?? silentLogger;
  const options = impactSessionOptions(opts);
  const session = opts.session ?? new ImpactSession(ctx, options, logger, opts.keepTrees !== false);
  const { cacheFile, optionsKey, hunks } = await readHunkCache(cs, ctx, session, opts.useCache !== false, logger);
  let computed = 0;
  try {
    // Documentation, data, configuration and lockfiles get no callers (and no hunk impact).
    const work = impactWork(cs, opts.order, (path) => session.computesCallers(path));
    const done = (f: ChangedFile, h: Hunk, impact: HunkImpact, fresh: boolean) => {
      // Approximate or timed-out answers are not cached: the server may answer fully next time.
      if (fresh && session.cacheable(impact)) hunks[cacheEntry(f, h)] = impact;
      if (fresh) computed++;
      h.impact = impact;
      opts.onHunk?.(f, h, impact);
    };
    const todo: typeof work = [];
    for (const [f, h] of work) {
      const cached = hunks[cacheEntry(f, h)];
      if (cached) done(f, h, cached, false);
      else todo.push([f, h]);
    }
    // Hunks no server can answer (a file type without one) get their text search before any server
    // starts: its git grep then never adds to a server's memory at its peak (vite's 138 files: a
    // 31-34 MB grep for a .vue file's name was running at the peak moment of two runs out of two).
    const textOnly: typeof work = [];
    const served: typeof work = [];
    for (const w of todo) (await session.answeredByText(w[0], cs.headCommit) ? textOnly : served).push(w);
    // Every project the walk will need is loaded before it starts: callers found through references
    // in other projects then never depend on the order the hunks are walked in, nor on which hunks
    // came before (issue #15).
    const baseSides: BaseSide[] = [];
    const headSides = async (list: typeof work) => {
      for (const [f, h] of list) {
        if (opts.signal?.aborted) throw new Error('cancelled');
        const impact = await session.headImpact(f, h, cs.headCommit, cs.mergeBase, opts.signal);
        if (impact instanceof BaseSide) baseSides.push(impact);
        else done(f, h, impact, true);
      }
    };
    await headSides(textOnly);
    await session.warmUp(served, cs.headCommit, { signal: opts.signal });
    await headSides(served);
    if (baseSides.length) {
      // The merge base's server starts once the head's has stopped: the two never hold their
      // projects at once (vite's 138 files: 1,507 MB with both running). Its projects load before its walk.
      await session.stopServersOf(cs.headCommit);
      await session.warmUpBase(baseSides, work, { signal: opts.signal });
      for (const side of baseSides) {
        if (opts.signal?.aborted) throw new Error('cancelled');
        done(side.file, side.hunk, await session.baseImpact(side, opts.signal), true);
      }
    }
  } finally {
    if (!opts.session) await session.dispose();
  }
  // Analysis trees of heads reviewed before are removed; this review's two are kept.
  if (opts.keepTrees !== false) await pruneAnalysisTrees([cs.headCommit, cs.mergeBase], ctx).catch((e: Error) => logger.warn(`analysis tree cleanup: ${e.message}`));
  if (computed && opts.useCache !== false) writeCache(cacheFile, { v: CACHE_VERSION, optionsKey, hunks }, logger);
  const summary = unionImpact(cs, session, performance.now() - t0);
  cs.impact = summary;
  return summary;
}

export function unionImpact(cs: ChangeSet, session: ImpactSession | null, ms: number): ChangeSetImpact {
  const callers = new Set<string>();
  const files = new Set<string>();
  const dirs = new Set<string>();
  const entries = new Map<string, EntryPoint>();
  let symbols = 0;
  let truncated = false;
  const truncatedBy = new Set<string>();
  let approximate = false;
  const servers = new Set<string>();
  const notes = new Set<string>(session?.summaryNotes() ?? []);
  for (const f of cs.files) {
    for (const h of f.hunks) {
      const m = h.impact as HunkImpact | undefined;
      if (!m) continue;
      symbols += m.symbols.length;
      m.callers.forEach((c) => callers.add(`${c.path}:${c.line}`));
      m.files.forEach((x) => files.add(x));
      m.dirs.forEach((x) => dirs.add(x));
      m.entryPoints.forEach((e) => entries.set(`${e.kind}:${e.path}:${e.line}`, e));
      truncated ||= m.truncated;
      if (m.truncatedBy) truncatedBy.add(m.truncatedBy);
      approximate ||= m.approximate;
      if (m.server) servers.add(m.server);
      // A session says why once per review; per-hunk reasons are only summed up without one.
      if (m.note && !session) notes.add(m.note);
    }
  }
  return {
    symbols,
    callers: callers.size,
    transitiveCallers: callers.size,
    files: [...files].sort(),
    dirs: [...dirs].sort(),
    entryPoints: [...entries.values()],
    truncated,
    truncatedBy: [...truncatedBy].sort(),
    approximate,
    // From the answers, not from the session: a warm re-open answered from the cache starts no server.
    server: servers.size ? [...servers].sort().join(', ') : null,
    notes: [...notes],
    ms: Math.round(ms),
  };
}
