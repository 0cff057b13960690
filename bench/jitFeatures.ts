// Just-in-time defect-prediction features (Kamei et al. 2013) that the risk score does not use,
// for the ceiling analysis only: the touched files' size before the change (LT), their distinct
// authors (NDEV) and prior changes (NUC), days since they last changed, their changes in the last
// 90 days, the author's experience, and how the added source lines split between existing and new
// files and spread over files (entropy). One first-parent `git log --reverse --numstat` pass, each
// commit's figures taken before the commit updates the state (no leakage), as in the backtest.

import { streamGit } from '../src/core/git/runGit';
import { LOG_FORMAT, LogCommit, LogStreamParser } from '../src/core/history/logStreamParser';
import { isSourcePath } from '../src/core/risk/riskInputs';
import { DEFAULT_EXCLUDE_GLOBS, pathMatcher } from '../src/core/history/historyOptions';

export interface JitFeatures {
  addedToExisting: number;
  addedToNew: number;
  removed: number;
  sourceFiles: number;
  entropy: number;
  lt: number;
  ndev: number;
  nuc: number;
  daysSinceLastChange: number;
  /** Changes to the busiest touched file in the last 90 days (counted from its last 64 changes). */
  changesLast90Days: number;
  authorCommits: number;
}

interface FileState { lines: number; authors: Set<string>; commits: number; last: number; recent: number[] }

export async function jitFeatures(repo: string, shas: ReadonlySet<string>, until: number): Promise<Map<string, JitFeatures>> {
  const excluded = pathMatcher(DEFAULT_EXCLUDE_GLOBS);
  const files = new Map<string, FileState>();
  const authors = new Map<string, number>();
  const out = new Map<string, JitFeatures>();
  const onCommit = (commit: LogCommit) => {
    const t = commit.commitTime;
    const email = commit.authorEmail;
    const changes = commit.files.filter((f) => !excluded(f.path)).map((f) => ({ added: f.added ?? 0, removed: f.deleted ?? 0, path: f.path }));
    if (shas.has(commit.sha)) {
      const src = changes.filter((c) => isSourcePath(c.path));
      const known = src.map((c) => files.get(c.path)).filter((s): s is FileState => s !== undefined);
      const total = src.reduce((s, c) => s + c.added + c.removed, 0);
      out.set(commit.sha, {
        addedToExisting: src.filter((c) => files.has(c.path)).reduce((s, c) => s + c.added, 0),
        addedToNew: src.filter((c) => !files.has(c.path)).reduce((s, c) => s + c.added, 0),
        removed: src.reduce((s, c) => s + c.removed, 0),
        sourceFiles: src.length,
        entropy: total ? -src.reduce((s, c) => { const q = (c.added + c.removed) / total; return s + (q > 0 ? q * Math.log2(q) : 0); }, 0) : 0,
        lt: known.reduce((s, f) => s + f.lines, 0),
        ndev: new Set(known.flatMap((f) => [...f.authors])).size,
        nuc: known.reduce((s, f) => s + f.commits, 0),
        daysSinceLastChange: known.length ? Math.min(...known.map((f) => (t - f.last) / 86400)) : 3650,
        changesLast90Days: Math.max(0, ...known.map((f) => f.recent.filter((x) => x > t - 90 * 86400).length)),
        authorCommits: authors.get(email) ?? 0,
      });
    }
    for (const c of changes) {
      const f = files.get(c.path) ?? { lines: 0, authors: new Set<string>(), commits: 0, last: t, recent: [] };
      f.lines = Math.max(0, f.lines + c.added - c.removed);
      f.authors.add(email);
      f.commits++;
      f.last = t;
      f.recent.push(t);
      if (f.recent.length > 64) f.recent.shift();
      files.set(c.path, f);
    }
    authors.set(email, (authors.get(email) ?? 0) + 1);
  };
  // Renames are not followed: a renamed file starts afresh (its LT, NDEV and NUC restart).
  const parser = new LogStreamParser(onCommit);
  await streamGit(['log', '--first-parent', '--reverse', '-z', '--numstat', '--no-renames', '--no-color', `--format=${LOG_FORMAT}`, `--until=@${until}`, 'HEAD', '--'], { cwd: repo, timeoutMs: 0 }, (chunk) => parser.push(chunk));
  parser.end();
  return out;
}
