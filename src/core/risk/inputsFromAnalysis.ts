// Builds RiskInputs for a hunk, a file and the whole PR from an analysed change set. The field paths
// of the other analyses (history, impact) are read here and nowhere else in the risk code.

import { ChangeSet, ChangedFile, Hunk } from '../review/changeSetTypes';
import { FileHistory, HunkHistory, ChangeSetHistory } from '../history/historyTypes';
import { ChangeSetImpact, HunkImpact } from '../impact/impactTypes';
import { RiskInputs, addLines, emptyInputs, isDocPath, isSourcePath, isTestPath, topDir } from './riskInputs';
import { addFileFigures } from './fileFigures';

const fileHistory = (f: ChangedFile) => f.history as FileHistory | undefined;
const hunkHistory = (h: Hunk) => h.history as HunkHistory | undefined;
const hunkImpact = (h: Hunk) => h.impact as HunkImpact | undefined;
const rangeAuthors = (cs: ChangeSet) => (cs.history as ChangeSetHistory | undefined)?.rangeAuthors;

function authorRepoCommits(cs: ChangeSet): number | null {
  const authors = rangeAuthors(cs);
  if (!authors || authors.length === 0) return null;
  return Math.min(...authors.map((a) => a.commitsBeforeBase));
}

function isFixRange(cs: ChangeSet): boolean | null {
  const ch = cs.history as ChangeSetHistory | undefined;
  return ch ? ch.rangeCommits.length > 0 && ch.rangeCommits.every((c) => c.isFix) : null;
}

/** The range's authors' commits to each of `files` before the base, per person (0 for one unknown at the base). */
function commitsToFiles(files: readonly ChangedFile[], cs: ChangeSet): number[] | null {
  const authors = rangeAuthors(cs);
  const histories = files.map(fileHistory).filter((h): h is FileHistory => !!h);
  if (!authors || histories.length === 0) return null;
  return authors.map((a) => (a.person === null ? 0 : histories.reduce((s, h) => s + (h.ownership.authors.find((o) => o.person === a.person)?.commits ?? 0), 0)));
}

/** Adds one file's history to a unit (fileFigures.ts); `named`: the unit spans files, so the reasons say which. */
function applyFileHistory(i: RiskInputs, f: ChangedFile, cs: ChangeSet, named: boolean): void {
  const fh = fileHistory(f);
  if (!fh) return;
  addFileFigures(i, {
    path: named ? fh.path : null,
    commitsWindow: fh.commits.window,
    fixesWindow: fh.fixes.window,
    percentile: fh.hotspot.percentile,
    rank: fh.hotspot.rank || null,
    of: fh.hotspot.of,
    isHotspot: fh.hotspot.isHotspot,
  });
  i.ageMonths = Math.max(i.ageMonths ?? 0, fh.age.createdMonthsAgo ?? 0);
  const perAuthor = commitsToFiles([f], cs);
  if (perAuthor !== null) {
    const afc = perAuthor.reduce((s, k) => s + k, 0);
    i.authorFileCommits = i.authorFileCommits === null ? afc : Math.min(i.authorFileCommits, afc);
  }
}

/** How many of the change's people never changed `files` before the base. */
function applyAuthorsNewToFiles(i: RiskInputs, files: readonly ChangedFile[], cs: ChangeSet): void {
  const perAuthor = commitsToFiles(files, cs);
  if (perAuthor !== null) i.authorsNewToFiles = perAuthor.filter((k) => k === 0).length;
}

function applyImpact(i: RiskInputs, impacts: ReadonlyArray<HunkImpact | ChangeSetImpact>): void {
  if (impacts.length === 0) return;
  const files = new Set<string>();
  const dirs = new Set<string>();
  const entries = new Set<string>();
  let callers = 0;
  for (const m of impacts) {
    callers += m.transitiveCallers;
    m.files.forEach((f) => files.add(f));
    m.dirs.forEach((d) => dirs.add(d));
    m.entryPoints.forEach((e) => entries.add(`${e.path}:${e.line}`));
  }
  i.callers = callers;
  i.callerFiles = files.size;
  i.callerDirs = dirs.size;
  i.entryPoints = entries.size;
}

/** Signals of the change as a whole that every unit shares: author experience, tests, fix. */
function applyChangeContext(i: RiskInputs, cs: ChangeSet, testsOnly: boolean): RiskInputs {
  const ch = cs.history as ChangeSetHistory | undefined;
  if (ch) i.windowMonths = ch.windowMonths;
  i.authorRepoCommits = authorRepoCommits(cs);
  const authors = rangeAuthors(cs);
  if (authors?.length) {
    i.authors = authors.length;
    i.authorsNewToRepo = authors.filter((a) => a.commitsBeforeBase === 0).length;
  }
  i.testsOnly = testsOnly;
  i.touchesTests = cs.files.some((x) => isTestPath(x.path));
  i.isFix = isFixRange(cs);
  return i;
}

/** Knowledge-loss and AI shares over hunks, weighted by touched and added lines. */
function applyHunkHistories(i: RiskInputs, hunks: readonly Hunk[]): void {
  let touched = 0;
  let inactive = 0;
  let added = 0;
  let ai = 0;
  for (const h of hunks) {
    const hh = hunkHistory(h);
    touched += hh?.knowledgeLoss?.touchedLines ?? 0;
    inactive += hh?.knowledgeLoss?.inactiveLines ?? 0;
    added += hh?.aiAssisted.addedLines ?? 0;
    ai += hh?.aiAssisted.lines ?? 0;
  }
  i.knowledgeLossShare = touched ? inactive / touched : 0;
  i.aiAssistedShare = added ? ai / added : 0;
}

export function hunkInputs(h: Hunk, f: ChangedFile, cs: ChangeSet): RiskInputs {
  const i = emptyInputs();
  addLines(i, f.path, h.added, h.removed);
  i.files = 1;
  i.dirs = 1;
  applyFileHistory(i, f, cs, false);
  applyAuthorsNewToFiles(i, [f], cs);
  const hh = hunkHistory(h);
  if (hh) {
    i.knowledgeLossShare = hh.knowledgeLoss?.share ?? 0;
    i.inactiveMonths = hh.knowledgeLoss?.inactiveAuthors.reduce<number | null>((m, a) => Math.max(m ?? 0, a.monthsInactive ?? 0), null) ?? null;
    i.aiAssistedShare = hh.aiAssisted.share;
  }
  const im = hunkImpact(h);
  if (im) applyImpact(i, [im]);
  return applyChangeContext(i, cs, isTestPath(f.path));
}

/** A file: its hunks added up (sizes, AI lines) with the file's history and the union of impacts. */
export function fileInputs(f: ChangedFile, cs: ChangeSet): RiskInputs {
  const i = emptyInputs();
  addLines(i, f.path, f.additions, f.deletions);
  i.files = 1;
  i.dirs = 1;
  applyFileHistory(i, f, cs, false);
  applyAuthorsNewToFiles(i, [f], cs);
  if (fileHistory(f)) applyHunkHistories(i, f.hunks);
  applyImpact(i, f.hunks.map(hunkImpact).filter((m): m is HunkImpact => !!m));
  return applyChangeContext(i, cs, isTestPath(f.path));
}

/** The PR: total size and spread, the worst file's history, the union of all impacts. */
export function changeSetInputs(cs: ChangeSet): RiskInputs {
  const i = emptyInputs();
  for (const f of cs.files) addLines(i, f.path, f.additions, f.deletions);
  i.files = cs.files.length;
  i.dirs = new Set(cs.files.map((f) => topDir(f.path))).size;
  // The worst program source file's history, as in the backtest: a changelog every commit edits,
  // or a CI workflow every dependency bump "fixes", is not a hotspot of the code being changed. A
  // PR without source keeps its other files' history, which weighs nothing without code.
  const source = cs.files.filter((f) => isSourcePath(f.path));
  const nonDoc = cs.files.filter((f) => !isDocPath(f.path));
  const historyFiles = source.length ? source : nonDoc.length ? nonDoc : cs.files;
  for (const f of historyFiles) applyFileHistory(i, f, cs, true);
  applyAuthorsNewToFiles(i, historyFiles, cs);
  if (cs.history) applyHunkHistories(i, historyFiles.flatMap((f) => f.hunks));
  const pr = cs.impact as ChangeSetImpact | undefined;
  if (pr) applyImpact(i, [pr]);
  return applyChangeContext(i, cs, cs.files.length > 0 && cs.files.every((f) => isTestPath(f.path)));
}
