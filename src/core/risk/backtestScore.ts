// Scores one commit as if it were under review, from the state of the history before it: the
// arithmetic shared by the full backtest (which builds that state by walking the whole history)
// and the window backtest (which builds it from the history index), so the two can only differ in
// the state they build, and a test compares exactly that.

import { LogFileChange } from '../history/logStreamParser';
import { detectAiAssistance } from '../history/aiAssistance';
import { MONTH_SECONDS } from '../history/historyOptions';
import { RiskInputs, addLines, emptyInputs, isSourcePath, isTestPath, topDir } from './riskInputs';
import { addFileFigures } from './fileFigures';
import { Risk, scoreRisk } from './scoreRisk';
import { ReasonCode } from './riskWeights';

/** A file's history before a commit: its commits' times (ascending), its fixes' times, when it was created, commits per person. */
export interface FileState {
  times: number[];
  fixTimes: number[];
  created: number;
  byPerson: Map<number, number>;
  /** The commits behind the figures (id, time, person, fix), kept where two states may merge and a commit in both must count once. */
  log?: Array<[number, number, number, boolean]>;
}

/** A person's history before a commit (over all of their identities). */
export interface PersonState {
  commits: number;
  last: number;
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

/** What its message and author say about a commit, as the backtest uses it. */
export interface MessageFacts {
  subject: string;
  revertOf: string | null;
  /** AI-assisted by its trailers (a bot author alone is a dependency bump, not AI-written code). */
  aiAssisted: boolean;
}

/** What is scored of a commit: its files (exclusions applied), its person, message facts. */
export interface CommitFacts extends MessageFacts {
  sha: string;
  time: number;
  person: number;
  isFix: boolean;
  files: LogFileChange[];
}

export interface ScoreSettings {
  windowMonths: number;
  inactiveMonths: number;
  weights?: Partial<Record<ReasonCode, number>>;
}

/** Number of sorted `times` at or after `since`. */
export function countSince(times: readonly number[], since: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < since) lo = mid + 1;
    else hi = mid;
  }
  return times.length - lo;
}

export function messageFacts(message: string, authorName: string, authorEmail: string, aiPatterns: readonly string[] = []): MessageFacts {
  const ai = detectAiAssistance(message, authorName, authorEmail, aiPatterns);
  return {
    subject: message.split('\n')[0],
    revertOf: /this reverts commit ([0-9a-f]{7,40})/i.exec(message)?.[1] ?? null,
    aiAssisted: ai.assisted && !ai.botOnly,
  };
}

/**
 * `fileOf(path, oldPath)`: the state of a changed file before the commit (by its path before a
 * rename), or undefined when the file is new to history.
 */
export function scoreCommit(
  c: CommitFacts,
  fileOf: (path: string, oldPath: string | null) => FileState | undefined,
  people: ReadonlyMap<number, PersonState>,
  s: ScoreSettings,
): BacktestEntry {
  const t = c.time;
  const since = t - s.windowMonths * MONTH_SECONDS;
  const inactiveBefore = t - s.inactiveMonths * MONTH_SECONDS;
  const i = emptyInputs();
  i.windowMonths = s.windowMonths;
  let added = 0;
  let deleted = 0;
  let age = 0;
  let authorFile = Infinity;
  let priorAll = 0;
  let priorInactive = 0;
  let known = 0;
  for (const f of c.files) {
    added += f.added ?? 0;
    deleted += f.deleted ?? 0;
    addLines(i, f.path, f.added ?? 0, f.deleted ?? 0);
    // History speaks for program source, as size does: a changelog edited by every commit, or a CI
    // workflow bumped by every dependency update, is not a hotspot of the code being changed.
    if (!isSourcePath(f.path)) continue;
    const st = fileOf(f.path, f.oldPath);
    if (!st) {
      authorFile = 0;
      continue;
    }
    known++;
    addFileFigures(i, { path: null, commitsWindow: countSince(st.times, since), fixesWindow: countSince(st.fixTimes, since), percentile: null, rank: null, of: null, isHotspot: null });
    age = Math.max(age, (t - st.created) / MONTH_SECONDS);
    authorFile = Math.min(authorFile, st.byPerson.get(c.person) ?? 0);
    for (const [p, k] of st.byPerson) {
      priorAll += k;
      if (p !== c.person && (people.get(p)?.last ?? 0) < inactiveBefore) priorInactive += k;
    }
  }
  i.fileCommitsWindow ??= 0;
  i.fixesWindow ??= 0;
  i.fixCommitsWindow ??= 0;
  i.fixShare ??= 0;
  i.files = c.files.length;
  i.dirs = new Set(c.files.map((f) => topDir(f.path))).size;
  i.knowledgeLossShare = priorAll ? priorInactive / priorAll : 0;
  i.ageMonths = known ? age : 0;
  i.authorFileCommits = authorFile === Infinity ? 0 : authorFile;
  i.authorRepoCommits = people.get(c.person)?.commits ?? 0;
  i.authors = 1;
  i.authorsNewToFiles = i.authorFileCommits === 0 ? 1 : 0;
  i.authorsNewToRepo = i.authorRepoCommits === 0 ? 1 : 0;
  i.aiAssistedShare = c.aiAssisted ? 1 : 0;
  i.testsOnly = c.files.every((f) => isTestPath(f.path));
  i.touchesTests = c.files.some((f) => isTestPath(f.path));
  i.isFix = c.isFix;
  return {
    sha: c.sha, time: t, subject: c.subject, isFix: c.isFix, revertOf: c.revertOf,
    linesAdded: added, linesDeleted: deleted, inputs: i, risk: scoreRisk(i, { weights: s.weights }),
  };
}

/** Adds a commit to the state after it was scored: a commit never informs its own risk. */
export function recordCommit(
  c: { id: number; time: number; person: number; isFix: boolean },
  states: Iterable<FileState>,
  people: Map<number, PersonState>,
): void {
  for (const st of states) {
    st.times.push(c.time);
    if (c.isFix) st.fixTimes.push(c.time);
    st.byPerson.set(c.person, (st.byPerson.get(c.person) ?? 0) + 1);
    st.log?.push([c.id, c.time, c.person, c.isFix]);
  }
  const p = people.get(c.person) ?? { commits: 0, last: 0 };
  p.commits++;
  p.last = Math.max(p.last, c.time);
  people.set(c.person, p);
}
