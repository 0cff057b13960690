// Backtest: scores every non-merge commit of the first-parent chain in a window as if it were the
// change under review against its parent, from a state built only of the commits before it (no
// leakage), in one streaming `git log --reverse` pass. Call-graph impact is left out: it needs a
// language server per commit.

import { streamGit } from '../git/runGit';
import { RepoContext } from '../git/repository';
import { LOG_FORMAT, LogCommit, LogStreamParser } from '../history/logStreamParser';
import { detectAiAssistance } from '../history/aiAssistance';
import { fixMatcher, isRevert } from '../history/fixCommits';
import { DEFAULT_FIX_PATTERNS, DEFAULT_EXCLUDE_GLOBS, MONTH_SECONDS as MONTH, pathMatcher } from '../history/historyOptions';
import { RiskInputs, addLines, emptyInputs, isSourcePath, isTestPath, topDir } from './riskInputs';
import { Risk, scoreRisk } from './scoreRisk';

const WINDOW = 12 * MONTH;
const INACTIVE = 6 * MONTH;

interface FileState {
  times: number[];
  fixTimes: number[];
  created: number;
  byAuthor: Map<string, number>;
}

export interface BacktestEntry {
  sha: string;
  time: number;
  subject: string;
  isFix: boolean;
  revertOf: string | null;
  linesAdded: number;
  linesDeleted: number;
  inputs: RiskInputs;
  risk: Risk;
}

/** Number of sorted `times` at or after `since` (times are appended in walk order, nearly sorted). */
function countSince(times: number[], since: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < since) lo = mid + 1;
    else hi = mid;
  }
  return times.length - lo;
}

export interface BacktestOptions {
  since?: number;
  until?: number;
  fixPatterns?: string[];
  excludeGlobs?: string[];
  onEntry?: (e: BacktestEntry) => void;
}

export async function backtest(ctx: RepoContext, opts: BacktestOptions = {}): Promise<{ entries: BacktestEntry[]; commitsSeen: number; ms: number }> {
  const t0 = performance.now();
  const isFix = fixMatcher(opts.fixPatterns ?? DEFAULT_FIX_PATTERNS);
  const excluded = pathMatcher(opts.excludeGlobs ?? DEFAULT_EXCLUDE_GLOBS);
  const files = new Map<string, FileState>();
  const authors = new Map<string, { commits: number; last: number }>();
  const entries: BacktestEntry[] = [];
  let seen = 0;

  const onCommit = (c: LogCommit) => {
    seen++;
    const t = c.commitTime;
    const who = c.authorEmail.toLowerCase();
    const fix = isFix(c.message) || isRevert(c.message);
    const changes = c.files.filter((f) => !excluded(f.path));
    const merge = c.parents.length > 1;
    const inWindow = (opts.since === undefined || t >= opts.since) && (opts.until === undefined || t <= opts.until);
    if (inWindow && !merge && changes.length > 0) {
      const e = scoreCommit(c, changes, fix, files, authors);
      entries.push(e);
      opts.onEntry?.(e);
    }
    // Update the state only after scoring: a commit never informs its own risk.
    for (const f of changes) {
      let s = f.oldPath && f.oldPath !== f.path ? files.get(f.oldPath) : files.get(f.path);
      if (f.oldPath && f.oldPath !== f.path && s) files.delete(f.oldPath);
      if (!s) s = { times: [], fixTimes: [], created: t, byAuthor: new Map() };
      s.times.push(t);
      if (fix) s.fixTimes.push(t);
      s.byAuthor.set(who, (s.byAuthor.get(who) ?? 0) + 1);
      files.set(f.path, s);
    }
    const a = authors.get(who) ?? { commits: 0, last: 0 };
    a.commits++;
    a.last = Math.max(a.last, t);
    authors.set(who, a);
  };

  const parser = new LogStreamParser(onCommit);
  await streamGit(
    ['log', '--first-parent', '--reverse', '--diff-merges=first-parent', '-z', '--numstat', '-M', '--no-color', '--no-ext-diff', `--format=${LOG_FORMAT}`, ...(opts.until ? [`--until=@${opts.until}`] : []), 'HEAD', '--'],
    { ...ctx, timeoutMs: 0 },
    (chunk) => parser.push(chunk),
  );
  parser.end();
  return { entries, commitsSeen: seen, ms: performance.now() - t0 };
}

function scoreCommit(
  c: LogCommit,
  changes: LogCommit['files'],
  fix: boolean,
  files: Map<string, FileState>,
  authors: Map<string, { commits: number; last: number }>,
): BacktestEntry {
  const t = c.commitTime;
  const who = c.authorEmail.toLowerCase();
  const i = emptyInputs();
  let added = 0;
  let deleted = 0;
  let maxCommits = 0;
  let maxFixes = 0;
  let fixShare = 0;
  let age = 0;
  let authorFile = Infinity;
  let priorAll = 0;
  let priorInactive = 0;
  let known = 0;
  for (const f of changes) {
    added += f.added ?? 0;
    deleted += f.deleted ?? 0;
    addLines(i, f.path, f.added ?? 0, f.deleted ?? 0);
    // History speaks for program source, as size does: a changelog edited by every commit, or a CI
    // workflow bumped by every dependency update, is not a hotspot of the code being changed.
    if (!isSourcePath(f.path)) continue;
    const s = files.get(f.oldPath ?? f.path) ?? files.get(f.path);
    if (!s) {
      authorFile = Math.min(authorFile, 0);
      continue;
    }
    known++;
    const cw = countSince(s.times, t - WINDOW);
    const fw = countSince(s.fixTimes, t - WINDOW);
    maxCommits = Math.max(maxCommits, cw);
    maxFixes = Math.max(maxFixes, fw);
    if (s.times.length >= 3) fixShare = Math.max(fixShare, s.fixTimes.length / s.times.length);
    age = Math.max(age, (t - s.created) / MONTH);
    authorFile = Math.min(authorFile, s.byAuthor.get(who) ?? 0);
    for (const [a, k] of s.byAuthor) {
      priorAll += k;
      const last = authors.get(a)?.last ?? 0;
      if (a !== who && last < t - INACTIVE) priorInactive += k;
    }
  }
  i.files = changes.length;
  i.dirs = new Set(changes.map((f) => topDir(f.path))).size;
  i.fileCommitsWindow = maxCommits;
  i.fixesWindow = maxFixes;
  i.fixShare = known ? fixShare : 0;
  i.hotspotPercentile = null;
  i.isHotspot = null;
  i.knowledgeLossShare = priorAll ? priorInactive / priorAll : 0;
  i.ageMonths = known ? age : 0;
  i.authorFileCommits = authorFile === Infinity ? 0 : authorFile;
  i.authorRepoCommits = authors.get(who)?.commits ?? 0;
  const ai = detectAiAssistance(c.message, c.authorName, c.authorEmail);
  // Bot commits (dependency bumps) are flagged in history, but they are not AI-written code.
  i.aiAssistedShare = ai.assisted && !ai.botOnly ? 1 : 0;
  i.testsOnly = changes.every((f) => isTestPath(f.path));
  i.touchesTests = changes.some((f) => isTestPath(f.path));
  i.isFix = fix;
  const revertOf = /this reverts commit ([0-9a-f]{7,40})/i.exec(c.message)?.[1] ?? null;
  return { sha: c.sha, time: t, subject: c.message.split('\n')[0], isFix: fix, revertOf, linesAdded: added, linesDeleted: deleted, inputs: i, risk: scoreRisk(i) };
}
