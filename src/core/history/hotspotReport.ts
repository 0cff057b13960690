// The repository-wide hotspot list as of a commit: every file at that commit ranked by change
// frequency × complexity, with the figures behind each rank.

import { RepoContext, commitsOnly, gitDirFacts } from '../git/repository';
import { silentLogger } from '../logger';
import { HotspotRanking, fileHistory, rankHotspots, rankingEntries } from './fileSignals';
import { HistoryOptions, historyOptions, monthsBetween } from './historyOptions';
import { CommitFacts, commitFacts, loadHistory } from './historyStore';
import { peopleOfIndex } from './identities';
import { ReportBody, readReport, reportKey, writeReport } from './reportCache';

export interface HotspotReport extends ReportBody {
  cache: string;
  ms: number;
}

/**
 * `churn`: count the listed files' lines added and deleted (a numstat pass over their commits,
 * then cached) for an output that shows them; the table does not.
 */
export async function hotspotReport(
  opts: {
    asOf?: string; since?: string; limit?: number; options?: Partial<HistoryOptions>; cache?: boolean; churn?: boolean;
    /** The as-of commit's facts and the git directory's, when the caller already asked git for them. */
    resolved?: { commit: CommitFacts; dirFacts: { commonDir: string; shallow: boolean } };
  },
  ctx: RepoContext,
): Promise<HotspotReport> {
  // Both questions to git at once: a warm report is little more than these two answers.
  const [facts, dirFacts] = opts.resolved
    ? [opts.resolved.commit, opts.resolved.dirFacts]
    : await Promise.all([commitFacts(opts.asOf ?? 'HEAD', ctx, 'as-of revision'), gitDirFacts(ctx)]);
  const commit = facts.commit;
  // History's git calls run inside the git directory, where no work tree's .gitattributes applies:
  // a checked-out head's `* -diff` would otherwise blank every past commit's line counts.
  ctx = commitsOnly(ctx, dirFacts.commonDir);
  const base = historyOptions(opts.options);
  const since = opts.since === undefined ? null : Date.parse(opts.since);
  if (Number.isNaN(since)) throw new Error(`invalid --since date '${opts.since}' (use YYYY-MM-DD)`);
  const withChurn = opts.churn === true;
  const t0 = performance.now();
  const useCache = opts.cache !== false;
  const logger = ctx.logger ?? silentLogger;
  let stored: { gitDir: string; key: string } | null = null;
  if (useCache) {
    const key = reportKey({ commit, shallow: dirFacts.shallow, options: base, since, limit: opts.limit ?? null, churn: withChurn });
    const body = readReport(dirFacts.commonDir, key, logger);
    if (body) return { ...orderedBody(body), cache: 'warm', ms: Math.round(performance.now() - t0), files: body.files };
    stored = { gitDir: dirFacts.commonDir, key };
  }
  let ranked: { o: HistoryOptions; ranking: HotspotRanking; listed: string[] } | null = null;
  // Complexity for the ranking first, then for the files listed outside it, then their churn.
  const loaded = await loadHistory(commit, base, ctx, useCache, async (h, need) => {
    const o = since === null ? base : { ...base, windowMonths: monthsBetween(since / 1000, h.baseTime) };
    await need.complexity(rankingEntries(h.index, h.tree, h.baseTime, o));
    const ranking = rankHotspots(h.index, h.tree, h.complexity, h.baseTime, o);
    const all = [...ranking.byPath.entries()].sort((x, y) => x[1][1] - y[1][1] || x[0].localeCompare(y[0]));
    const listed = all.slice(0, opts.limit ?? all.length).map(([path]) => path);
    const shown = new Set(listed);
    await need.complexity(h.tree.filter((e) => shown.has(e.path)));
    if (withChurn) await need.churn(listed);
    ranked = { o, ranking, listed };
  }, dirFacts, facts);
  const { o, ranking, listed } = ranked!;
  const oid = new Map(loaded.tree.map((e) => [e.path, e.oid]));
  const who = peopleOfIndex(loaded.index, loaded.mailmap?.text ?? null);
  const files = listed.map((path) => {
    const id = oid.get(path);
    return fileHistory(path, loaded.index, ranking, id ? loaded.complexity[id] ?? null : null, null, loaded.baseTime, o, who, withChurn);
  });
  const body: ReportBody = {
    asOf: new Date(loaded.baseTime * 1000).toISOString(),
    commit,
    windowMonths: Math.round(o.windowMonths * 10) / 10,
    commitsIndexed: loaded.index.commits.length / 3,
    filesRanked: ranking.of,
    shallow: loaded.index.shallow,
    files,
  };
  if (stored) writeReport(stored.gitDir, stored.key, body, logger);
  return { ...orderedBody(body), cache: loaded.outcome, ms: Math.round(loaded.ms), files };
}

/** The report's figures before `files`, in the order the JSON output has always printed them (then `cache`, `ms`, `files`). */
function orderedBody(b: ReportBody): Omit<ReportBody, 'files'> {
  return { asOf: b.asOf, commit: b.commit, windowMonths: b.windowMonths, commitsIndexed: b.commitsIndexed, filesRanked: b.filesRanked, shallow: b.shallow };
}
