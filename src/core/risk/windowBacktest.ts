// The backtest of one window (the months before a base) rebuilt from the history index instead of
// a walk over the whole history: the index already holds every commit's time, person and flags and
// every file's records, so only the window's own commits need their line counts and renames, from
// one `git log --no-walk --numstat` over exactly those commits (cached by commit id: a commit's
// diff never changes). The state before each commit is rebuilt as the full backtest builds it
// ('all' commits, commit-time order: commitOrder.ts) and scored by the same code (backtestScore.ts).

import { availableParallelism } from 'node:os';
import { streamGit } from '../git/runGit';
import { RepoContext } from '../git/repository';
import { IndexData, FLAG_FIX, FLAG_MERGE, shaAt } from '../history/historyIndex';
import { HistoryOptions, monthsAgo, pathMatcher } from '../history/historyOptions';
import { IndexPeople, splitIdentity } from '../history/identities';
import { LOG_FORMAT, LogCommit, LogFileChange, LogStreamParser } from '../history/logStreamParser';
import { maybeMarkedByUs } from '../history/excludedAttributes';
import { BacktestEntry, FileState, PersonState, messageFacts, recordCommit, scoreCommit } from './backtestScore';
import { commitOrder } from './commitOrder';
import { ReasonCode } from './riskWeights';

/** A window commit's facts as cached: parents, subject, revert target, AI-assisted, files [path, old path, added, deleted] (-1: binary). */
export interface StoredCommit {
  p: string;
  s: string;
  r: string | null;
  a: 0 | 1;
  f: Array<[string, string | null, number, number]>;
}

export type CommitFactsCache = Record<string, StoredCommit>;

export interface WindowHistory {
  index: IndexData;
  baseTime: number;
  who: IndexPeople;
}

export interface WindowBacktest {
  entries: BacktestEntry[];
  since: number;
  until: number;
  /** Window commits whose line counts git had to compute in this run (the rest came from the cache). */
  walked: number;
}

/**
 * Fills `facts` for `shas` with one numstat log over exactly them, split over the cores.
 * `globalArgs` may mark excluded files binary (history/excludedAttributes.ts): their counts are
 * never read here, so they need not be computed.
 */
async function walkFacts(shas: readonly string[], identityOf: (sha: string) => { name: string; email: string }, o: HistoryOptions, ctx: RepoContext, facts: CommitFactsCache, globalArgs: string[]): Promise<void> {
  if (shas.length === 0) return;
  const args = [...globalArgs, 'log', '--no-walk=unsorted', '--stdin', '-z', '--numstat', '-M', '--no-color', '--no-ext-diff', `--format=${LOG_FORMAT}`];
  const excluded = pathMatcher(o.excludeGlobs);
  const again: string[] = [];
  const onCommit = (c: LogCommit) => {
    if (globalArgs.length && c.files.some((f) => maybeMarkedByUs(f, excluded))) again.push(c.sha);
    // The identity the index gave the commit (its mailmap), so AI detection sees the same author.
    const who = identityOf(c.sha);
    const m = messageFacts(c.message, who.name, who.email, o.aiPatterns);
    facts[c.sha] = { p: c.parents.join(' '), s: m.subject, r: m.revertOf, a: m.aiAssisted ? 1 : 0, f: c.files.map((f) => [f.path, f.oldPath, f.added ?? -1, f.deleted ?? -1]) };
  };
  const parts = Math.max(1, Math.min(availableParallelism(), Math.ceil(shas.length / 300)));
  const size = Math.ceil(shas.length / parts);
  await Promise.all(
    Array.from({ length: parts }, async (_, k) => {
      const mine = shas.slice(k * size, (k + 1) * size);
      if (mine.length === 0) return;
      const parser = new LogStreamParser(onCommit);
      await streamGit(args, { ...ctx, input: mine.join('\n') + '\n', timeoutMs: 0 }, (chunk) => parser.push(chunk));
      parser.end();
    }),
  );
  if (again.length) await walkFacts(again, identityOf, o, ctx, facts, []);
}

/**
 * Scores every non-merge commit from `since` (default: `o.windowMonths` before the base) to the
 * base from the index. `facts` is read and filled (the caller persists it); weights are the
 * repository's calibrated ones.
 */
export async function windowBacktest(
  h: WindowHistory,
  o: HistoryOptions,
  ctx: RepoContext,
  facts: CommitFactsCache,
  opts: { weights?: Partial<Record<ReasonCode, number>>; since?: number; globalArgs?: string[] } = {},
): Promise<WindowBacktest> {
  const { index, who } = h;
  const since = opts.since ?? monthsAgo(h.baseTime, o.windowMonths);
  const n = index.commits.length / 3;
  const time = (ci: number) => index.commits[ci * 3];
  const personOf = (ci: number) => who.people.of[index.commits[ci * 3 + 1]];
  const inWindow: number[] = [];
  for (let ci = 0; ci < n; ci++) if (time(ci) >= since) inWindow.push(ci);
  const ciOf = new Map(inWindow.map((ci) => [shaAt(index, ci), ci]));
  const missing = [...ciOf.keys()].filter((s) => !facts[s]);
  await walkFacts(missing, (s) => splitIdentity(index.authors[index.commits[ciOf.get(s)! * 3 + 1]]), o, ctx, facts, opts.globalArgs ?? []);
  const lost = missing.find((s) => !facts[s]);
  if (lost) throw new Error(`git log did not list commit ${lost} of the history index; the index may be out of date (run again with --no-cache)`);

  // Which index keys each window commit touched, and the state of those keys before the window.
  const keysOf = new Map<number, string[]>();
  const before = new Map<string, Array<[number, number]>>();
  for (const [key, recs] of Object.entries(index.files)) {
    let touched = false;
    for (let r = 0; r < recs.length; r += 3) {
      const ci = recs[r];
      if (time(ci) < since) continue;
      touched = true;
      const keys = keysOf.get(ci) ?? keysOf.set(ci, []).get(ci)!;
      if (!keys.includes(key)) keys.push(key);
    }
    if (!touched) continue;
    const seen = new Set<number>();
    const old: Array<[number, number]> = [];
    for (let r = 0; r < recs.length; r += 3) {
      const ci = recs[r];
      if (time(ci) < since && !seen.has(ci)) {
        seen.add(ci);
        old.push([time(ci), ci]);
      }
    }
    before.set(key, old);
  }
  const states = new Map<string, FileState>();
  for (const [key, old] of before) {
    if (old.length === 0) continue;
    old.sort((a, b) => a[0] - b[0]);
    const st: FileState = { times: [], fixTimes: [], created: old[0][0], byPerson: new Map() };
    for (const [t, ci] of old) {
      st.times.push(t);
      if (index.commits[ci * 3 + 2] & FLAG_FIX) st.fixTimes.push(t);
      st.byPerson.set(personOf(ci), (st.byPerson.get(personOf(ci)) ?? 0) + 1);
    }
    states.set(key, st);
  }
  const persons = new Map<number, PersonState>();
  for (let ci = 0; ci < n; ci++) {
    if (time(ci) >= since) continue;
    const p = persons.get(personOf(ci)) ?? { commits: 0, last: 0 };
    p.commits++;
    p.last = Math.max(p.last, time(ci));
    persons.set(personOf(ci), p);
  }

  const excluded = pathMatcher(o.excludeGlobs);
  const settings = { windowMonths: o.windowMonths, inactiveMonths: o.inactiveMonths, weights: opts.weights };
  const entries: BacktestEntry[] = [];
  const ordered = commitOrder(inWindow.map((ci) => ({ ci, sha: shaAt(index, ci), time: time(ci), parents: facts[shaAt(index, ci)].p.split(' ').filter(Boolean) })));
  for (const { ci, sha: id, time: t } of ordered) {
    const f = facts[id];
    const flags = index.commits[ci * 3 + 2];
    const keys = keysOf.get(ci) ?? [];
    // A path at this commit belongs to the index key that is that path, or that has it among its earlier names.
    const keyOf = (path: string) => keys.find((k) => k === path) ?? keys.find((k) => index.aliases[k]?.includes(path));
    const person = personOf(ci);
    const isFix = (flags & FLAG_FIX) !== 0;
    const changes: LogFileChange[] = f.f
      .filter(([path]) => !excluded(path))
      .map(([path, oldPath, a, d]) => ({ path, oldPath, added: a < 0 ? null : a, deleted: d < 0 ? null : d, counted: true }));
    if (!(flags & FLAG_MERGE) && changes.length > 0) {
      const commit = { sha: id, time: t, person, isFix, files: changes, subject: f.s, revertOf: f.r, aiAssisted: f.a === 1 };
      entries.push(scoreCommit(commit, (path) => {
        const k = keyOf(path);
        return k === undefined ? undefined : states.get(k);
      }, persons, settings));
    }
    const touched = keys.map((k) => states.get(k) ?? states.set(k, { times: [], fixTimes: [], created: t, byPerson: new Map() }).get(k)!);
    recordCommit({ id: ci, time: t, person, isFix }, new Set(touched), persons);
  }
  return { entries, since, until: h.baseTime, walked: missing.length };
}
