// A reviewer's state for one range: ticked items, notes, visited hunks at the current head, and the
// last earlier round (head, merge base, hunks seen) that "changes since my last review" compares to.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { renameSync, rmSync } from 'node:fs';
import { cacheDir, readJsonChecked } from '../history/indexCache';
import { Dict, newDict, ownValue } from '../dict';
import { Logger, silentLogger } from '../logger';
import { arrayOf, isBoolean, isInteger, isOid, isRecord, isString, oneOf, optional, recordOf, shape } from '../jsonShape';
import { ChangeSet } from '../review/changeSetTypes';
import { hunkId } from '../review/patchSections';
import { updateJsonFile } from './lockedJsonFile';

/** What the reviewer had seen at one head: hunk content identities (path + diff lines, no line numbers). */
export interface ReviewRound {
  headCommit: string;
  /** Null for a round migrated from a version-1 session, which did not record it. */
  mergeBase: string | null;
  visited: string[];
  at: string;
}

export interface ReviewSession {
  version: 2;
  /** Bumped by every write; a save whose revision is behind the file's merges instead of overwriting. */
  revision: number;
  reviewer: string;
  /** The range as the reviewer named it: the key that survives head moves. */
  base: string;
  head: string;
  headCommit: string;
  mergeBase: string | null;
  /**
   * By checklist item id. Ids are data (`constructor` is a valid one): these records have no
   * prototype; read them with isChecked and noteOf, which look at own entries only.
   */
  checked: Dict<boolean>;
  notes: Dict<string>;
  /** Hunk ids (content identities) visited at headCommit, carried over from earlier heads when unchanged. */
  visited: string[];
  /** Files the reviewer marked as viewed (paths). */
  viewedFiles: string[];
  updatedAt: string;
  /** The latest round at another head in which the reviewer had seen something. */
  previous: ReviewRound | null;
}

export interface Reconciled {
  session: ReviewSession;
  /** Hunk ids whose visits were dropped because their content changed. */
  droppedVisits: string[];
  headMoved: boolean;
}

/** The key of a reviewer's range: names the session file and the refs that keep reviewed heads. */
export function sessionKey(reviewer: string, base: string, head: string): string {
  return createHash('sha1').update(`${reviewer.toLowerCase()}\0${base}\0${head}`).digest('hex').slice(0, 20);
}

export function sessionFile(gitDir: string, reviewer: string, base: string, head: string): string {
  return join(cacheDir(gitDir, 'sessions'), `${sessionKey(reviewer, base, head)}.json`);
}

export function newSession(reviewer: string, base: string, head: string, headCommit: string): ReviewSession {
  return {
    version: 2, revision: 0, reviewer, base, head, headCommit, mergeBase: null,
    checked: newDict(), notes: newDict(), visited: [], viewedFiles: [], updatedAt: new Date().toISOString(), previous: null,
  };
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
/** Own entries of the expected type only, into a record without a prototype. */
function record<T>(v: unknown, type: 'boolean' | 'string'): Dict<T> {
  const out = newDict<T>();
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) if (typeof x === type) out[k] = x as T;
  return out;
}

const isRound = shape({ headCommit: isOid, mergeBase: (v) => v === null || isOid(v), visited: arrayOf(isString), at: isString });

/**
 * What a stored session of version 1 or 2 must look like before it is used: a field of the wrong
 * type means a damaged file (set aside), not a value to guess from.
 */
const isStoredSession = (v: unknown): boolean =>
  isRecord(v) &&
  shape({
    version: oneOf(1, 2), reviewer: isString, base: isString, head: isString, headCommit: isOid,
    checked: recordOf(isBoolean), notes: recordOf(isString), visited: arrayOf(isString), viewedFiles: arrayOf(isString), updatedAt: isString,
    revision: optional(isInteger), mergeBase: optional((x) => x === null || isOid(x)), previous: optional((x) => x === null || isRound(x)),
  })(v);

/** Version 1 (checklist/session.ts before the loop) had no revision, merge base or earlier round. */
export function migrateSession(raw: unknown): ReviewSession | null {
  const s = raw as Omit<Partial<ReviewSession>, 'version'> & { version?: number };
  if (!s || typeof s !== 'object' || (s.version !== 1 && s.version !== 2)) return null;
  if (typeof s.reviewer !== 'string' || typeof s.base !== 'string' || typeof s.head !== 'string' || typeof s.headCommit !== 'string') return null;
  const prev = s.version === 2 && s.previous && typeof s.previous.headCommit === 'string' ? s.previous : null;
  return {
    version: 2,
    revision: s.version === 2 && typeof s.revision === 'number' ? s.revision : 0,
    reviewer: s.reviewer, base: s.base, head: s.head, headCommit: s.headCommit,
    mergeBase: typeof s.mergeBase === 'string' ? s.mergeBase : null,
    checked: record<boolean>(s.checked, 'boolean'), notes: record<string>(s.notes, 'string'),
    visited: strings(s.visited), viewedFiles: strings(s.viewedFiles),
    updatedAt: typeof s.updatedAt === 'string' ? s.updatedAt : new Date(0).toISOString(),
    previous: prev ? { headCommit: prev.headCommit, mergeBase: typeof prev.mergeBase === 'string' ? prev.mergeBase : null, visited: strings(prev.visited), at: String(prev.at ?? '') } : null,
  };
}

/**
 * The stored session, or null when the reviewer never saved one for this range. A damaged file (or
 * one for another range) is the reviewer's work, so it is never overwritten: it is renamed aside
 * with one warning and the range starts afresh.
 */
export function readSession(gitDir: string, reviewer: string, base: string, head: string, logger: Logger = silentLogger): ReviewSession | null {
  const file = sessionFile(gitDir, reviewer, base, head);
  const r = readJsonChecked<unknown>(file, isStoredSession);
  if (r.kind === 'absent') return null;
  let why = r.kind === 'damaged' ? r.why : '';
  if (r.kind === 'ok') {
    const s = migrateSession(r.value)!;
    if (s.reviewer.toLowerCase() === reviewer.toLowerCase() && s.base === base && s.head === head) return s;
    why = 'it belongs to another reviewer or range';
  }
  const kept = file.replace(/\.json$/, `.damaged-${Date.now()}.json`);
  try {
    renameSync(file, kept);
    logger.warn(`review session ${file} is damaged (${why}): started a new one (the damaged file is kept as ${kept})`);
  } catch (e) {
    throw new Error(`review session ${file} is damaged (${why}) and could not be set aside (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): move it away to start a new one`);
  }
  return null;
}

export function loadSession(gitDir: string, reviewer: string, base: string, head: string, headCommit: string, logger: Logger = silentLogger): ReviewSession {
  return readSession(gitDir, reviewer, base, head, logger) ?? newSession(reviewer, base, head, headCommit);
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

/**
 * Two writers of one session (the editor and the CLI): nothing either recorded is lost. Visits and
 * viewed files are united; for items and notes the saver's values win where it has one.
 */
export function mergeSessions(onDisk: ReviewSession, mine: ReviewSession): ReviewSession {
  const newer = mine.headCommit === onDisk.headCommit || Date.parse(mine.updatedAt) >= Date.parse(onDisk.updatedAt) ? mine : onDisk;
  const sameHead = mine.headCommit === onDisk.headCommit;
  return {
    ...newer,
    checked: Object.assign(Object.create(null), onDisk.checked, mine.checked),
    notes: Object.assign(Object.create(null), onDisk.notes, mine.notes),
    visited: sameHead ? union(onDisk.visited, mine.visited) : newer.visited,
    viewedFiles: union(onDisk.viewedFiles, mine.viewedFiles),
    previous: newer.previous ?? (newer === mine ? onDisk.previous : mine.previous),
  };
}

/** Saves under the file lock: a session loaded before someone else's save is merged, not written over. */
export function saveSession(gitDir: string, s: ReviewSession): void {
  s.updatedAt = new Date().toISOString();
  const written = updateJsonFile<unknown>(sessionFile(gitDir, s.reviewer, s.base, s.head), (raw) => {
    const onDisk = migrateSession(raw);
    const base = onDisk && onDisk.revision !== s.revision ? mergeSessions(onDisk, s) : s;
    return { ...base, version: 2, revision: Math.max(s.revision, onDisk?.revision ?? 0) + 1 };
  }) as ReviewSession;
  Object.assign(s, written);
}

export function deleteSession(gitDir: string, s: ReviewSession): void {
  rmSync(sessionFile(gitDir, s.reviewer, s.base, s.head), { force: true });
}

/**
 * The ids a hunk may have had at an earlier head: its own, and the one under its path before a
 * rename (the identity includes the path, the content did not change).
 */
export function formerIds(path: string, oldPath: string | null, lines: readonly string[], ownId: string): string[] {
  return oldPath && oldPath !== path ? [ownId, hunkId(oldPath, lines)] : [ownId];
}

/**
 * Aligns a stored session with the current change set. When the head moved, the round at the old
 * head becomes `previous` (if anything was seen in it) and visits carry over to hunks whose content is
 * unchanged; visits of changed hunks are dropped and reported.
 */
export function reconcileSession(s: ReviewSession, cs: ChangeSet): Reconciled {
  const headMoved = s.headCommit !== cs.headCommit;
  const was = new Set(s.visited);
  const carried: string[] = [];
  const matched = new Set<string>();
  const paths = new Set<string>();
  for (const f of cs.files) {
    paths.add(f.path);
    // Nothing visited (every first open): no hunk's former ids to work out.
    if (!was.size) continue;
    for (const h of f.hunks) {
      const hit = formerIds(f.path, f.oldPath, h.lines, h.id).filter((id) => was.has(id));
      if (hit.length) {
        carried.push(h.id);
        for (const id of hit) matched.add(id);
      }
    }
  }
  const renamedFrom = new Map(cs.files.filter((f) => f.oldPath).map((f) => [f.oldPath!, f.path]));
  const viewedFiles = [...new Set(s.viewedFiles.map((p) => (paths.has(p) ? p : renamedFrom.get(p))).filter((p): p is string => !!p))];
  const previous = headMoved && s.visited.length ? { headCommit: s.headCommit, mergeBase: s.mergeBase, visited: [...s.visited], at: s.updatedAt } : s.previous;
  return {
    session: { ...s, headCommit: cs.headCommit, mergeBase: cs.mergeBase, visited: [...new Set(carried)], viewedFiles, previous },
    droppedVisits: s.visited.filter((id) => !matched.has(id)),
    headMoved,
  };
}

/**
 * The round "since my last review" compares `headCommit` with: the stored round when the head has
 * moved since (the reviewer has not re-opened yet), else the round before it; null when nothing was seen.
 * The visits of the round at this very head are the review in progress, not a last review: re-opening
 * it (a window reload) must not turn them into "unchanged" hunks the checklist no longer asks for.
 */
export function baselineRound(s: ReviewSession | null, headCommit: string): ReviewRound | null {
  if (!s) return null;
  if (s.headCommit !== headCommit) return s.visited.length ? { headCommit: s.headCommit, mergeBase: s.mergeBase, visited: s.visited, at: s.updatedAt } : s.previous;
  return s.previous;
}

export function tick(s: ReviewSession, id: string, checked = true): void {
  s.checked[id] = checked;
}

/** Whether the item `id` is ticked (own entries only: no id is "checked" by a prototype). */
export function isChecked(s: ReviewSession, id: string): boolean {
  return ownValue(s.checked, id) === true;
}

export function setNote(s: ReviewSession, id: string, note: string): void {
  if (note.trim()) s.notes[id] = note;
  else delete s.notes[id];
}

/** The note written for item `id`, or null when there is none (or only whitespace). */
export function noteOf(s: ReviewSession, id: string): string | null {
  const n = ownValue(s.notes, id);
  return typeof n === 'string' && n.trim() ? n : null;
}

/** Every note, as [item id, text], in the order written. */
export function notesOf(s: ReviewSession): Array<[string, string]> {
  return Object.keys(s.notes).flatMap((id) => {
    const n = noteOf(s, id);
    return n === null ? [] : [[id, n] as [string, string]];
  });
}

export function visit(s: ReviewSession, hunkId: string, visited = true): void {
  const has = s.visited.includes(hunkId);
  if (visited && !has) s.visited.push(hunkId);
  if (!visited && has) s.visited = s.visited.filter((v) => v !== hunkId);
}
