// Turns the raw index into per-file signals as of the base date: change frequency and churn in the
// window, fixes, age, ownership (per person) and knowledge loss, and the hotspot rank among the
// program source files at base.

import { IndexData, FLAG_AI, FLAG_FIX, FLAG_REVERT, NOT_COUNTED } from './historyIndex';
import { HistoryOptions, monthsAgo, monthsBetween, pathMatcher } from './historyOptions';
import { ComplexityCache, TreeEntry } from './treeComplexity';
import { AuthorShare, FileHistory } from './historyTypes';
import { IndexPeople, splitIdentity } from './identities';
import { isSourcePath } from '../risk/riskInputs';

export interface HotspotRanking {
  /** path → [score, rank (1 = hottest), percentile, within the hotspot cap] */
  byPath: Map<string, [number, number, number, boolean]>;
  of: number;
}

function iso(sec: number | null): string | null {
  return sec === null ? null : new Date(sec * 1000).toISOString();
}

/** Records of a path (index key) at or after `since`: the ranking's change count. */
function recordsSince(index: IndexData, path: string, since: number): number {
  const recs = index.files[path];
  let n = 0;
  if (recs) for (let i = 0; i < recs.length; i += 3) if (index.commits[recs[i] * 3] >= since) n++;
  return n;
}

/**
 * The tree entries whose complexity the ranking reads: program source files at the base that
 * changed in the window (every other file scores 0 whatever its complexity).
 */
export function rankingEntries(index: IndexData, tree: readonly TreeEntry[], asOf: number, o: HistoryOptions): TreeEntry[] {
  const since = monthsAgo(asOf, o.windowMonths);
  const excluded = pathMatcher(o.excludeGlobs);
  return tree.filter((e) => !excluded(e.path) && isSourcePath(e.path) && recordsSince(index, e.path, since) > 0);
}

/**
 * Commits per file in the window × complexity at base, ranked among the program source files of
 * the base tree: a manifest, a changelog or a CI workflow every commit edits is busy, not a
 * hotspot of the code. At most `hotspotTopPercent` of them (at least the top one) are within the
 * hotspot cap; files tied across the cap are all left out, so the cap is never exceeded.
 * `complexity` must hold every blob of `rankingEntries` (asked for when the history was loaded).
 */
export function rankHotspots(index: IndexData, tree: readonly TreeEntry[], complexity: ComplexityCache, asOf: number, o: HistoryOptions): HotspotRanking {
  const since = monthsAgo(asOf, o.windowMonths);
  const excluded = pathMatcher(o.excludeGlobs);
  const scores: Array<[string, number]> = [];
  for (const e of tree) {
    if (excluded(e.path) || !isSourcePath(e.path)) continue;
    const n = recordsSince(index, e.path, since);
    const c = complexity[e.oid];
    if (n > 0 && !c) throw new Error(`hotspot ranking: the complexity of ${e.path} at the base was not computed`);
    scores.push([e.path, n * (c?.[0] ?? 0)]);
  }
  scores.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const byPath = new Map<string, [number, number, number, boolean]>();
  const n = scores.length;
  const cap = Math.max(1, Math.floor((n * o.hotspotTopPercent) / 100));
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && scores[j][1] === scores[i][1]) j++;
    // Ties share a rank; the percentile is the share of files scoring no higher (the top is 100).
    const percentile = Math.round((1000 * (n - i)) / n) / 10;
    for (let k = i; k < j; k++) byPath.set(scores[k][0], [scores[k][1], i + 1, percentile, j <= cap]);
    i = j;
  }
  return { byPath, of: n };
}

export function fileHistory(
  path: string,
  index: IndexData,
  ranking: HotspotRanking,
  baseComplexity: [number, number, number] | null,
  headComplexity: { total: number; max: number; lines: number } | null,
  asOf: number,
  o: HistoryOptions,
  who: IndexPeople,
  /** Whether line churn is shown (then the caller counted it): a review does not show it. */
  withChurn: boolean,
): FileHistory {
  const recs = index.files[path] ?? [];
  const since = monthsAgo(asOf, o.windowMonths);
  const inactiveSince = monthsAgo(asOf, o.inactiveMonths);
  const seen = new Set<number>();
  let cw = 0;
  let ca = 0;
  let fixesW = 0;
  let fixesA = 0;
  let reverts = 0;
  let ai = 0;
  const churnW = { added: 0, deleted: 0 };
  const churnA = { added: 0, deleted: 0 };
  let first: number | null = null;
  let last: number | null = null;
  const byAuthor = new Map<number, number>();
  let uncounted = false;
  for (let i = 0; i < recs.length; i += 3) {
    const ci = recs[i];
    if (recs[i + 1] === NOT_COUNTED) uncounted = true;
    const added = Math.max(0, recs[i + 1]);
    const deleted = Math.max(0, recs[i + 2]);
    const time = index.commits[ci * 3];
    const author = index.commits[ci * 3 + 1];
    const flags = index.commits[ci * 3 + 2];
    const inWindow = time >= since;
    churnA.added += added;
    churnA.deleted += deleted;
    if (inWindow) {
      churnW.added += added;
      churnW.deleted += deleted;
    }
    // A commit can list a path twice (copy + modify); count it once.
    if (seen.has(ci)) continue;
    seen.add(ci);
    ca++;
    if (inWindow) cw++;
    if (flags & FLAG_FIX) {
      fixesA++;
      if (inWindow) fixesW++;
    }
    if (flags & FLAG_REVERT) reverts++;
    if (flags & FLAG_AI) ai++;
    if (first === null || time < first) first = time;
    if (last === null || time > last) last = time;
    byAuthor.set(author, (byAuthor.get(author) ?? 0) + 1);
  }
  // One row per person: named by the identity with most commits to this file (on a tie, the first
  // in sorting order: an author's place in the index differs between an extended index and a cold
  // build), active when any of their identities committed recently (a new email is not a departure).
  const byPerson = new Map<number, { commits: number; top: number; topCommits: number }>();
  for (const [a, k] of byAuthor) {
    const p = who.people.of[a];
    const e = byPerson.get(p) ?? { commits: 0, top: a, topCommits: -1 };
    e.commits += k;
    if (k > e.topCommits || (k === e.topCommits && index.authors[a] < index.authors[e.top])) [e.top, e.topCommits] = [a, k];
    byPerson.set(p, e);
  }
  const authors: AuthorShare[] = [...byPerson.entries()]
    .map(([p, e]) => ({
      ...splitIdentity(index.authors[e.top]),
      person: p,
      commits: e.commits,
      share: ca ? e.commits / ca : 0,
      lastCommit: iso(who.last.get(p) ?? 0)!,
      active: (who.last.get(p) ?? 0) >= inactiveSince,
    }))
    .sort((x, y) => y.commits - x.commits || x.name.localeCompare(y.name) || x.person - y.person);
  const fragmentation = 1 - authors.reduce((s, a) => s + a.share * a.share, 0);
  const inactiveShare = authors.filter((a) => !a.active).reduce((s, a) => s + a.share, 0);
  const rank = ranking.byPath.get(path);
  const partial: string[] = [];
  if (index.shallow) {
    partial.push('commits.allTime', ...(withChurn ? ['churn.allTime'] : []), 'fixes.allTime', 'age.created', 'ownership');
    let oldest = asOf;
    for (let i = 0; i < index.commits.length; i += 3) oldest = Math.min(oldest, index.commits[i]);
    if (oldest > since) partial.push('commits.window', ...(withChurn ? ['churn.window'] : []), 'fixes.window', 'hotspot');
  }
  // Callers count churn for the files they show; a record left uncounted is never shown as whole.
  if (withChurn && uncounted) for (const s of ['churn.window', 'churn.allTime']) if (!partial.includes(s)) partial.push(s);
  const base = baseComplexity ? { total: baseComplexity[0], max: baseComplexity[1], lines: baseComplexity[2] } : null;
  return {
    path,
    known: ca > 0,
    excluded: pathMatcher(o.excludeGlobs)(path),
    commits: { window: cw, allTime: ca },
    ...(withChurn ? { churn: { window: churnW, allTime: churnA } } : {}),
    fixes: { window: fixesW, allTime: fixesA, reverts, share: ca ? round3(fixesA / ca) : 0, windowShare: cw ? round3(fixesW / cw) : 0 },
    aiAssistedCommits: ai,
    complexity: { base, head: headComplexity, delta: base && headComplexity ? headComplexity.total - base.total : null },
    hotspot: rank
      ? { score: rank[0], rank: rank[1], percentile: rank[2], of: ranking.of, isHotspot: rank[0] > 0 && rank[3] && cw >= o.hotspotMinCommits }
      : { score: 0, rank: 0, percentile: 0, of: ranking.of, isHotspot: false },
    age: {
      created: iso(first),
      lastChanged: iso(last),
      createdMonthsAgo: first === null ? null : round1(monthsBetween(first, asOf)),
      lastChangedMonthsAgo: last === null ? null : round1(monthsBetween(last, asOf)),
    },
    ownership: { authors, mainAuthor: authors[0] ?? null, fragmentation: round3(fragmentation), inactiveAuthorShare: round3(inactiveShare) },
    partial,
  };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
