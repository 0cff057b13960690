// The repository-wide hotspot list as of a commit: every file at that commit ranked by change
// frequency × complexity, with the figures behind each rank.

import { RepoContext, resolveCommit } from '../git/repository';
import { fileHistory, rankHotspots } from './fileSignals';
import { HistoryOptions, historyOptions, monthsBetween } from './historyOptions';
import { loadHistory } from './historyStore';
import { FileHistory } from './historyTypes';

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
  let o = historyOptions(opts.options);
  const loaded = await loadHistory(commit, o, ctx, opts.cache !== false);
  if (opts.since) {
    const since = Date.parse(opts.since);
    if (Number.isNaN(since)) throw new Error(`invalid --since date '${opts.since}' (use YYYY-MM-DD)`);
    o = { ...o, windowMonths: monthsBetween(since / 1000, loaded.baseTime) };
  }
  const ranking = rankHotspots(loaded.index, loaded.tree, loaded.complexity, loaded.baseTime, o);
  const oid = new Map(loaded.tree.map((e) => [e.path, e.oid]));
  const ranked = [...ranking.byPath.entries()].sort((a, b) => a[1][1] - b[1][1] || a[0].localeCompare(b[0]));
  const files = ranked.slice(0, opts.limit ?? ranked.length).map(([path]) => {
    const id = oid.get(path);
    return fileHistory(path, loaded.index, ranking, id ? loaded.complexity[id] ?? null : null, null, loaded.baseTime, o);
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
