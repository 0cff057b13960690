// What one analysis of a review range is asked to do, as the CLI and the editor both pass it, and
// the part of it that can change a number (the whole-analysis cache key).

import { ChangeSetLimits, DEFAULT_LIMITS } from '../review/changeSetTypes';
import { Logger } from '../logger';
import { HistoryOptions, historyOptions } from '../history/historyOptions';
import { AttachImpactOptions, impactSessionOptions } from '../impact/attachImpact';
import { ServerSetting } from '../impact/servers';

export interface AnalyzeOptions {
  repo: string;
  base?: string;
  head?: string;
  signal?: AbortSignal;
  logger?: Logger;
  limits?: ChangeSetLimits;
  /** History signals (hotspots, ownership, AI-assisted lines); false skips them. */
  history?: Partial<HistoryOptions> | false;
  /** Use and update the caches under the git directory (default true); false writes nothing there. */
  cache?: boolean;
  /**
   * Use and update the whole-analysis cache (default: as `cache`). Off, every pass runs again
   * on its own caches (tests of those caches turn it off).
   */
  analysisCache?: boolean;
  /** Call-graph impact through a language server; off unless asked for (it starts a server). */
  impact?: AttachImpactOptions | false;
  /**
   * The repository's gating figure for the PR's level (SZZ over a year of fixes): 'cached' shows
   * it when an earlier run computed it (default: the first computation can take minutes on a
   * large repository), 'compute' computes what is missing, false leaves it out.
   */
  gating?: 'cached' | 'compute' | false;
}

/** What the editor's settings say about impact (the CLI's flags say the same things). */
export interface ImpactSettings {
  maxDepth: number;
  servers: ServerSetting[];
  serverTimeoutMs: number;
}

/**
 * The impact options of a review opened in the editor: exactly what the CLI passes for the same
 * settings. Workspace trust does not enter: a trusted checkout would be analysed in place, with
 * whatever node_modules and TypeScript it holds, and its caller counts would differ from the CLI's
 * on the same commits (one cause of "165 callers in the editor, 55 in the CLI", issue #15).
 */
export function impactOptionsFromSettings(s: ImpactSettings): AttachImpactOptions {
  return { maxDepth: s.maxDepth, trusted: false, servers: s.servers, serverTimeoutMs: s.serverTimeoutMs };
}

/**
 * Bumped whenever a pass computes a number differently, so older cached analyses are not reused.
 * 2: people are numbered from the sorted identities (identities.ts), not by first appearance.
 * 3: on a tie, a person is named by the identity first in sorting order (fileSignals.ts).
 * 4: plain-JavaScript callers are confirmed from the text hits in the head's private tree, not in the
 *    commit's objects: past 100 hits of one name, the cut no longer counts files the tree leaves out;
 *    and the change set is diffed inside the git directory, so no checkout's .gitattributes decides
 *    which files are binary (an analysis cached with a hostile head checked out showed its sources
 *    as binary, without hunks).
 * 5: a changed namespace that merges with nothing callable gets no reference search
 *    (completeCallers.ts): a `N.call()` of such a namespace's own `call` is no longer its caller;
 *    and a plain-JavaScript call confirmed through CommonJS exports is named by the declaration
 *    around it as the call hierarchy names callers (an object literal's method), not the file's top
 *    level when the innermost symbol on its line was a constant.
 * 6: a hunk that removed a declaration walks the merge base's callers after the head's (their
 *    servers no longer run at once): past the callers' limit the head's are the ones kept; and a
 *    plain-JavaScript hunk's text callers are confirmed at the head whatever the base found.
 * 7: a text search's limit counts only the hits in files whose hits can be callers (code), not
 *    documentation or data ahead of them in path order.
 */
export const ANALYSIS_FORMAT = 7;

/**
 * Every option that can change a number of the analysis, resolved to its effective value, as
 * stable JSON: two runs with the same key and the same commits produce the same analysis. The
 * gating figure is not part of it (it is attached from its own cache on every read), nor is
 * the editor's call-hierarchy source (see analysisCache.ts: an entry says whether it used it).
 */
export function numbersKey(opts: AnalyzeOptions): string {
  const imp = opts.impact;
  // A session brought along carries its own options (the editor's, with its call-hierarchy providers).
  const so = imp && imp.session ? imp.session.options : imp ? impactSessionOptions(imp) : null;
  return JSON.stringify({
    format: ANALYSIS_FORMAT,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    history: opts.history === false ? false : historyOptions(opts.history ?? {}),
    impact: so ? { maxDepth: so.maxDepth, maxNodes: so.maxNodes, trusted: so.trusted, servers: so.servers, serverTimeoutMs: so.serverTimeoutMs, editorProviders: !!imp && !!imp.session?.options.editor } : false,
  });
}
