// THE risk model, in one table: each signal, how its raw figure saturates into 0..1, and how many
// points (out of 100) it can add. The score is the capped sum of the points; the reasons are the
// signals sorted by the points they added, each in plain words with its figures.
//
// Why additive points: a reviewer can check the arithmetic ("hotspot +15, 47 callers +18 ...") and
// a team can change one weight without retraining anything. Saturation is logarithmic for counts
// (the 50th caller matters less than the 5th) and linear for shares.
//
// Why some rows are `perLine`: they say how likely each changed line is to be wrong (a hotspot, a
// newcomer, a fix on a fix), so they weigh with the amount of code changed: from half their points
// for a one-line edit to all of them at full size (½ + ½·√size strength), none without code. A
// one-line edit to a hotspot is not a 200-line rewrite of it, but one line can still break a
// billing total, so it keeps half. Reach (callers, entry points) and spread are not per line: one
// changed line in a function with 47 callers reaches all 47.

import { RiskInputs, codeLinesAdded as codeAdded, codeLinesRemoved as codeRemoved } from './riskInputs';
import { plural } from '../words';

export type ReasonCode =
  | 'size' | 'spread' | 'callers' | 'entry-points' | 'hotspot' | 'fixes' | 'knowledge-loss' | 'legacy'
  | 'new-to-file' | 'new-to-repo' | 'ai-assisted' | 'untested' | 'fix-commit' | 'configuration';

export interface WeightRow {
  code: ReasonCode;
  /** Maximum points this signal adds. */
  points: number;
  /** Weighed by ½ + ½·√(size strength): a property of each changed line rather than of the change's reach. */
  perLine?: boolean;
  /** Listed even when it adds no points, so the reviewer sees what was (not) counted. */
  alwaysListed?: boolean;
  /** 0..1, or null when the signal is unavailable for this unit. */
  strength: (i: RiskInputs) => number | null;
  /** The plain-words reason with its figures. */
  text: (i: RiskInputs) => string;
}

/** log-saturation: 0 at 0, 1 at `full`. */
export function logSat(x: number, full: number): number {
  return x <= 0 ? 0 : Math.min(1, Math.log1p(x) / Math.log1p(full));
}

const n = (x: number | null | undefined): number => x ?? 0;
const pct = (x: number) => `${Math.round(x * 100)}%`;


function sizeText(i: RiskInputs): string {
  const code = codeAdded(i) + codeRemoved(i);
  const tests = i.testLinesAdded + i.testLinesRemoved;
  const docs = i.docLinesAdded + i.docLinesRemoved;
  // Configuration has a row of its own; tests and documentation are named so the reviewer sees they were left out.
  const others = [tests ? `${plural(tests, 'line')} of tests` : '', docs ? `${plural(docs, 'line')} of documentation` : ''].filter(Boolean).join(', ');
  const main = code ? `${plural(code, 'line')} of code changed (+${codeAdded(i)} −${codeRemoved(i)})` : 'no code changed';
  return others ? `${main}; not counted: ${others}` : main;
}

const count = (x: number) => x.toLocaleString('en-US');
const inWindow = (i: RiskInputs) => `in the last ${plural(Math.round(i.windowMonths), 'month')}`;

// Each history reason states the figures of one file (named for a pull request), counted over one
// window: never a window count beside an all-time share, never two files' figures in one sentence.
function hotspotText(i: RiskInputs): string {
  const times = `changed ${plural(n(i.fileCommitsWindow), 'time')} ${inWindow(i)}`;
  const rank = i.hotspotRank ? `#${i.hotspotRank} of ${count(n(i.hotspotOf))} source files` : '';
  if (n(i.hotspotsTouched) > 1) return `${i.hotspotsTouched} hotspots touched; the busiest${i.hotspotPath ? `, ${i.hotspotPath}` : ''}${rank ? ` (${rank})` : ''}, ${times}`;
  const where = i.hotspotPath ? `${i.hotspotPath}: ` : '';
  if (i.isHotspot) return `${where}hotspot${rank ? ` ${rank}` : ''}: ${times}`;
  return `${where}${times}${rank ? ` (${rank})` : ''}`;
}

function fixesText(i: RiskInputs): string {
  const fixes = n(i.fixesWindow);
  const commits = n(i.fixCommitsWindow);
  const share = commits ? ` (${pct(fixes / commits)})` : '';
  return `${i.fixPath ? `${i.fixPath}: ` : ''}${fixes} of ${plural(commits, 'commit')} ${inWindow(i)} ${fixes === 1 ? 'was a fix' : 'were fixes'}${share}`;
}

// A range by several people says how many of them each fact is true of, never one author's fact.
function newToFileText(i: RiskInputs): string {
  const authors = n(i.authors);
  if (authors > 1) {
    const k = n(i.authorsNewToFiles);
    if (k === authors) return `none of the ${authors} authors changed these files before`;
    return k ? `${k} of ${authors} authors never changed these files before` : `the ${authors} authors made only ${plural(n(i.authorFileCommits), 'commit')} to these files before`;
  }
  return i.authorFileCommits ? `author made only ${plural(i.authorFileCommits, 'commit')} to these files before` : 'author never changed these files before';
}

function newToRepoText(i: RiskInputs): string {
  const authors = n(i.authors);
  if (authors > 1) {
    const k = n(i.authorsNewToRepo);
    return k ? `${k} of ${authors} authors never committed to the repository before` : `the least experienced of ${authors} authors made only ${plural(n(i.authorRepoCommits), 'commit')} to the repository before`;
  }
  return i.authorRepoCommits ? `author made only ${plural(i.authorRepoCommits, 'commit')} to the repository before` : 'first commit of the author to the repository';
}

export const WEIGHTS: WeightRow[] = [
  // Size is program source only: defects that reach users live in code. Tests and documentation
  // are named but not counted; counting tests and configuration even at a twentieth of a line of
  // code ranked the backtest worse on each of the five repositories it was tried on
  // (docs/risk-model.md).
  { code: 'size', points: 30, alwaysListed: true, strength: (i) => logSat(codeAdded(i) + 0.5 * codeRemoved(i), 200),
    text: sizeText },
  // Configuration (manifests, CI, build, deployment, data) is operational risk the backtest cannot
  // show (SZZ blames program source), so it adds a few points of its own rather than size.
  { code: 'configuration', points: 3, strength: (i) => logSat(i.configLinesAdded + 0.5 * i.configLinesRemoved, 50),
    text: (i) => `${plural(i.configLinesAdded + i.configLinesRemoved, 'line')} of configuration, manifests or data changed` },
  { code: 'spread', points: 8, strength: (i) => Math.max(logSat(i.files - 1, 30), logSat(i.dirs - 1, 6)),
    text: (i) => `spread over ${plural(i.files, 'file')} in ${plural(i.dirs, 'top-level directory', 'top-level directories')}` },
  { code: 'callers', points: 18, strength: (i) => (i.callers === null ? null : Math.max(logSat(i.callers, 60), logSat(n(i.callerDirs) - 1, 6))),
    text: (i) => `${plural(n(i.callers), 'caller')} in ${plural(n(i.callerFiles), 'file')}${n(i.callerDirs) > 1 ? ` across ${i.callerDirs} top-level directories` : ''}` },
  { code: 'entry-points', points: 6, strength: (i) => (i.entryPoints === null ? null : logSat(i.entryPoints, 5)),
    text: (i) => `reaches ${plural(n(i.entryPoints), 'entry point')} (exported API or tests)` },
  { code: 'hotspot', points: 8, perLine: true, strength: (i) => (i.fileCommitsWindow === null ? null : i.isHotspot ? 1 : Math.max(logSat(i.fileCommitsWindow, 40) * 0.8, ((i.hotspotPercentile ?? 0) / 100) ** 4)),
    text: hotspotText },
  { code: 'fixes', points: 24, perLine: true, strength: (i) => (i.fixesWindow === null ? null : Math.max(logSat(i.fixesWindow, 8), n(i.fixShare) * 0.8)),
    text: fixesText },
  { code: 'knowledge-loss', points: 5, perLine: true, strength: (i) => i.knowledgeLossShare,
    text: (i) => `${pct(n(i.knowledgeLossShare))} of touched lines by authors ${i.inactiveMonths !== null ? `inactive for up to ${Math.round(i.inactiveMonths)} months` : 'no longer active'}` },
  { code: 'legacy', points: 3, perLine: true, strength: (i) => (i.ageMonths === null ? null : Math.min(1, Math.max(0, (i.ageMonths - 12) / 48))),
    text: (i) => `legacy code: created ${Math.round(n(i.ageMonths))} months ago` },
  { code: 'new-to-file', points: 10, perLine: true, strength: (i) => (i.authorFileCommits === null ? null : 1 - logSat(i.authorFileCommits, 10)),
    text: newToFileText },
  { code: 'new-to-repo', points: 4, perLine: true, strength: (i) => (i.authorRepoCommits === null ? null : 1 - logSat(i.authorRepoCommits, 50)),
    text: newToRepoText },
  { code: 'ai-assisted', points: 8, perLine: true, strength: (i) => i.aiAssistedShare,
    text: (i) => `${pct(i.aiAssistedShare)} of added lines from AI-assisted commits` },
  { code: 'untested', points: 2, perLine: true, strength: (i) => (i.testsOnly || i.touchesTests ? 0 : 1),
    text: () => 'no test changed alongside' },
  { code: 'fix-commit', points: 4, perLine: true, strength: (i) => (i.isFix === null ? null : i.isFix ? 1 : 0),
    text: () => 'the change is itself a bug fix (fixes are often followed by more fixes)' },
];

const SIZE_ROW = WEIGHTS.find((r) => r.code === 'size')!;
const PER_LINE_FLOOR = 0.5;

/** How much of a per-line row's points a change of this size takes: none without code, ½ for one line, all at full size. */
export function perLineFactor(i: RiskInputs): number {
  const size = Math.max(0, Math.min(1, SIZE_ROW.strength(i) ?? 0));
  return size === 0 ? 0 : PER_LINE_FLOOR + (1 - PER_LINE_FLOOR) * Math.sqrt(size);
}

/**
 * A row's strength as the score uses it: clamped to 0..1, per-line rows weighed by the change's
 * size; null when unavailable. `factor` is `perLineFactor(i)`, passed in when scoring every row.
 */
export function effectiveStrength(row: WeightRow, i: RiskInputs, factor = perLineFactor(i)): number | null {
  const s = row.strength(i);
  if (s === null || Number.isNaN(s)) return null;
  const clamped = Math.max(0, Math.min(1, s));
  return row.perLine ? clamped * factor : clamped;
}

/** A change that only touches tests keeps this share of its points. */
export const TESTS_ONLY_FACTOR = 0.35;

export const DEFAULT_THRESHOLDS = { medium: 30, high: 50, critical: 72 };
