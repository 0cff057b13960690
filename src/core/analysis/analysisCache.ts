// The whole-analysis cache: one file per (base commit, merge base, head commit, options that change
// a number) under .git/senior-review/analysis/, shared by the CLI and the editor, checked on every
// read (a damaged entry is rebuilt with one warning) and bounded in count and size.

import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { ChangeSet } from '../review/changeSetTypes';
import { RISK_LEVELS } from '../checklist/checklistTypes';
import { cachePath, readCache, writeCache } from '../history/indexCache';
import { Check, arrayOf, isBoolean, isInteger, isOid, isRecord, isString, oneOf, optional, shape } from '../jsonShape';
import { Logger } from '../logger';

/** Bumped when the entry's own layout changes (what the numbers mean is versioned by the key). */
const ENTRY_VERSION = 1;
/** Entries kept: the most recently used first, never more than these. */
export const MAX_ENTRIES = 24;
export const MAX_BYTES = 256 * 1024 * 1024;
/** A temp file this old is a crashed writer's, not one being written. */
const STALE_TMP_MS = 60 * 60 * 1000;

export type EntryState = 'final' | 'partial';

/** The fields that belong to one run, not to the analysis: set again by whoever reads an entry. */
const PER_RUN = ['repo', 'base', 'head', 'timings'] as const;

export interface CacheEntry {
  v: number;
  key: string;
  baseCommit: string;
  mergeBase: string;
  headCommit: string;
  /** final: every pass is done (or off); partial: history is done, impact is still to compute. */
  state: EntryState;
  cs: ChangeSet;
}

const isInt: Check = isInteger;
const isRisk: Check = shape({
  score: isInt, comparableScore: isInt, level: oneOf(...RISK_LEVELS), reasons: arrayOf(shape({ code: isString, text: isString, points: (v) => typeof v === 'number' })),
  unavailable: arrayOf(isString), pending: arrayOf(isString),
});
const isHunk: Check = shape({
  id: isString, oldStart: isInt, oldLines: isInt, newStart: isInt, newLines: isInt, header: isString, section: isString,
  lines: arrayOf(isString), added: isInt, removed: isInt, risk: optional(isRisk), history: optional(isRecord), impact: optional(isRecord),
});
const isFile: Check = shape({
  path: isString, oldPath: (v) => v === null || isString(v), status: isString, kind: isString, binary: isBoolean, tooLarge: isBoolean,
  additions: isInt, deletions: isInt, encoding: oneOf('utf8', 'latin1'), hunks: arrayOf(isHunk), risk: optional(isRisk), history: optional(isRecord),
});
const isStatus: Check = shape({
  history: oneOf('off', 'pending', 'done'),
  impact: shape({ state: oneOf('off', 'pending', 'done'), analysed: isInt, total: isInt, truncated: isInt }),
});
const isStoredChangeSet: Check = shape({
  baseCommit: isOid, headCommit: isOid, mergeBase: isOid, files: arrayOf(isFile),
  stats: shape({ files: isInt, additions: isInt, deletions: isInt, hunks: isInt }), status: isStatus,
  risk: optional(isRisk), history: optional(isRecord), impact: optional(isRecord),
});
const isEntry: Check = (v) =>
  shape({ v: oneOf(ENTRY_VERSION), key: isString, baseCommit: isOid, mergeBase: isOid, headCommit: isOid, state: oneOf('final', 'partial'), cs: isStoredChangeSet })(v);

export interface AnalysisKey {
  baseCommit: string;
  mergeBase: string;
  headCommit: string;
  /** numbersKey(): the options that change a number. */
  options: string;
}

export function analysisDir(gitDir: string): string {
  return cachePath(gitDir, 'analysis');
}

const ENTRY_RE = /^[0-9a-f]{12}-[0-9a-f]{24}\.json$/;

function entryFile(dir: string, k: AnalysisKey): string {
  const digest = createHash('sha256').update(JSON.stringify([k.baseCommit, k.mergeBase, k.headCommit, k.options])).digest('hex').slice(0, 24);
  return join(dir, `${k.headCommit.slice(0, 12)}-${digest}.json`);
}

/** The entry for `k` when one is there and sound; a damaged one is removed with one warning. */
export function readAnalysis(dir: string, k: AnalysisKey, logger: Logger): CacheEntry | null {
  const file = entryFile(dir, k);
  const e = readCache<CacheEntry>(file, isEntry, logger, 'analysis cache');
  if (!e) return null;
  // The digest in the name is short: the entry names its own key, which must be this one.
  if (e.key !== k.options || e.baseCommit !== k.baseCommit || e.mergeBase !== k.mergeBase || e.headCommit !== k.headCommit) return null;
  try {
    // Most recently used entries are the ones pruning keeps.
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    /* a read-only git directory: pruning order is all it costs */
  }
  return e;
}

/**
 * Stores the analysis as it is now (per-run fields left out); a failed write is a warning, and the
 * result says whether the entry is there (a run that could not write does not try again).
 */
export function writeAnalysis(dir: string, k: AnalysisKey, state: EntryState, cs: ChangeSet, logger: Logger): boolean {
  const stored: Record<string, unknown> = { ...cs };
  for (const f of PER_RUN) delete stored[f];
  const entry = { v: ENTRY_VERSION, key: k.options, baseCommit: k.baseCommit, mergeBase: k.mergeBase, headCommit: k.headCommit, state, cs: stored };
  const file = entryFile(dir, k);
  writeCache(file, entry, logger);
  try {
    if (!lstatSync(file).isFile()) return false;
  } catch {
    return false;
  }
  pruneAnalyses(dir, file);
  return true;
}

/**
 * Keeps the most recently used entries within MAX_ENTRIES and MAX_BYTES (`keep` always stays) and
 * removes temp files of crashed writers. Only names of ours are touched; nothing is followed.
 */
export function pruneAnalyses(dir: string, keep: string | null, now = Date.now()): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const entries: Array<{ file: string; size: number; mtime: number }> = [];
  for (const name of names) {
    const file = join(dir, name);
    const st = lstatSync(file, { throwIfNoEntry: false });
    if (!st) continue;
    if (/\.json\.\d+\.[0-9a-f]+\.tmp$/.test(name)) {
      if (now - st.mtimeMs > STALE_TMP_MS) rmSync(file, { force: true });
      continue;
    }
    if (!ENTRY_RE.test(name)) continue;
    if (!st.isFile()) {
      rmSync(file, { recursive: true, force: true });
      continue;
    }
    entries.push({ file, size: st.size, mtime: st.mtimeMs });
  }
  entries.sort((a, b) => Number(b.file === keep) - Number(a.file === keep) || b.mtime - a.mtime || a.file.localeCompare(b.file));
  let bytes = 0;
  entries.forEach((e, i) => {
    bytes += e.size;
    if (e.file !== keep && (i >= MAX_ENTRIES || bytes > MAX_BYTES)) rmSync(e.file, { force: true });
  });
}
