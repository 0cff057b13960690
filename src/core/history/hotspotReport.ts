// The repository-wide hotspot list as of a commit: every file at that commit ranked by change
// frequency × complexity, with the figures behind each rank.

import { RepoContext, readBlobAt, resolveCommit } from '../git/repository';
import { HotspotRanking, fileHistory, rankHotspots } from './fileSignals';
import { HistoryOptions, historyOptions, monthsBetween } from './historyOptions';
import { ChurnContext, loadHistory } from './historyStore';
import { FileHistory } from './historyTypes';
import { peopleOfIndex } from './identities';

export interface HotspotReport {
  asOf: string;
  commit: string;
  windowMonths: number;
  commitsIndexed: number;
  filesRanked: number;
  shallow: boolean;
  cache: string;
  ms: number;
  files: FileHistory[];
}

export async function hotspotReport(
  opts: { asOf?: string; since?: string; limit?: number; options?: Partial<HistoryOptions>; cache?: boolean },
  ctx: RepoContext,
): Promise<HotspotReport> {
  const commit = await resolveCommit(opts.asOf ?? 'HEAD', ctx, 'as-of revision');
  const base = historyOptions(opts.options);
  const since = opts.since === undefined ? null : Date.parse(opts.since);
  if (Number.isNaN(since)) throw new Error(`invalid --since date '${opts.since}' (use YYYY-MM-DD)`);
  let ranked: { o: HistoryOptions; ranking: HotspotRanking; listed: string[] } | null = null;
  const rank = (h: ChurnContext) => {
    const o = since === null ? base : { ...base, windowMonths: monthsBetween(since / 1000, h.baseTime) };
    const ranking = rankHotspots(h.index, h.tree, h.complexity, h.baseTime, o);
    const all = [...ranking.byPath.entries()].sort((x, y) => x[1][1] - y[1][1] || x[0].localeCompare(y[0]));
    ranked = { o, ranking, listed: all.slice(0, opts.limit ?? all.length).map(([path]) => path) };
    return ranked.listed;
  };
  // Line churn is counted only for the files listed, so the ranking comes first (loadHistory calls `rank` once).
  const loaded = await loadHistory(commit, base, ctx, opts.cache !== false, rank);
  const { o, ranking, listed } = ranked!;
  const oid = new Map(loaded.tree.map((e) => [e.path, e.oid]));
  const who = peopleOfIndex(loaded.index, (await readBlobAt(commit, '.mailmap', ctx))?.toString('utf8') ?? null);
  const files = listed.map((path) => {
    const id = oid.get(path);
    return fileHistory(path, loaded.index, ranking, id ? loaded.complexity[id] ?? null : null, null, loaded.baseTime, o, who);
  });
  return {
    asOf: new Date(loaded.baseTime * 1000).toISOString(),
    commit,
    windowMonths: Math.round(o.windowMonths * 10) / 10,
    commitsIndexed: loaded.index.commits.length / 3,
    filesRanked: ranking.of,
    shallow: loaded.index.shallow,
    cache: loaded.outcome,
    ms: Math.round(loaded.ms),
    files,
  };
}
