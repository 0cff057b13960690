// Review-session state per reviewer and per range (ticked items, notes, visited hunks), kept under
// the git directory so it survives reloads and never touches the work tree. When the head moves,
// visits are kept for hunks whose content is unchanged (same hunk id) and dropped for the rest.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { renameSync, unlinkSync } from 'node:fs';
import { cachePath, readJsonChecked, writeJsonAtomic } from '../history/indexCache';
import { ChangeSet } from '../review/changeSetTypes';
import { Dict, newDict, ownValue, toDict } from '../dict';
import { arrayOf, isBoolean, isOid, isString, oneOf, recordOf, shape } from '../jsonShape';
import { Logger, silentLogger } from '../logger';

export interface ReviewSession {
  version: 1;
  reviewer: string;
  /** The range as the reviewer named it: the key that survives head moves. */
  base: string;
  head: string;
  headCommit: string;
  /**
   * By checklist item id. Ids are data (`constructor` is a valid one): these records have no
   * prototype; read them with isChecked and noteOf, which look at own entries only.
   */
  checked: Dict<boolean>;
  notes: Dict<string>;
  visited: string[];
  /** Files the reviewer marked as viewed (paths). */
  viewedFiles: string[];
  updatedAt: string;
}

export interface Reconciled {
  session: ReviewSession;
  /** Hunk ids whose visits were dropped because their content changed. */
  droppedVisits: string[];
  headMoved: boolean;
}

const isSession = shape({
  version: oneOf(1), reviewer: isString, base: isString, head: isString, headCommit: isOid,
  checked: recordOf(isBoolean), notes: recordOf(isString), visited: arrayOf(isString), viewedFiles: arrayOf(isString), updatedAt: isString,
});

export function sessionFile(gitDir: string, reviewer: string, base: string, head: string): string {
  const key = createHash('sha1').update(`${reviewer.toLowerCase()}\0${base}\0${head}`).digest('hex').slice(0, 20);
  return join(cachePath(gitDir, 'sessions'), `${key}.json`);
}

export function newSession(reviewer: string, base: string, head: string, headCommit: string): ReviewSession {
  return { version: 1, reviewer, base, head, headCommit, checked: newDict(), notes: newDict(), visited: [], viewedFiles: [], updatedAt: new Date().toISOString() };
}

/**
 * The stored session, or a new one. A damaged file (or one for another range) is the reviewer's
 * work, so it is never overwritten: it is renamed aside with one warning and a new session starts.
 */
export function loadSession(gitDir: string, reviewer: string, base: string, head: string, headCommit: string, logger: Logger = silentLogger): ReviewSession {
  const file = sessionFile(gitDir, reviewer, base, head);
  const r = readJsonChecked<ReviewSession>(file, isSession);
  if (r.kind === 'absent') return newSession(reviewer, base, head, headCommit);
  let why = r.kind === 'damaged' ? r.why : '';
  if (r.kind === 'ok') {
    const s = r.value;
    if (s.reviewer.toLowerCase() === reviewer.toLowerCase() && s.base === base && s.head === head) {
      return { ...s, checked: toDict(s.checked), notes: toDict(s.notes) };
    }
    why = 'it belongs to another reviewer or range';
  }
  const kept = file.replace(/\.json$/, `.damaged-${Date.now()}.json`);
  try {
    renameSync(file, kept);
    logger.warn(`review session ${file} is damaged (${why}): started a new one (the damaged file is kept as ${kept})`);
  } catch (e) {
    throw new Error(`review session ${file} is damaged (${why}) and could not be set aside (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): move it away to start a new one`);
  }
  return newSession(reviewer, base, head, headCommit);
}

export function saveSession(gitDir: string, s: ReviewSession): void {
  s.updatedAt = new Date().toISOString();
  writeJsonAtomic(sessionFile(gitDir, s.reviewer, s.base, s.head), s);
}

export function deleteSession(gitDir: string, s: ReviewSession): void {
  try {
    unlinkSync(sessionFile(gitDir, s.reviewer, s.base, s.head));
  } catch {
    /* already gone */
  }
}

/** Aligns a stored session with the current change set. */
export function reconcileSession(s: ReviewSession, cs: ChangeSet): Reconciled {
  const ids = new Set(cs.files.flatMap((f) => f.hunks.map((h) => h.id)));
  const paths = new Set(cs.files.map((f) => f.path));
  const droppedVisits = s.visited.filter((id) => !ids.has(id));
  const headMoved = s.headCommit !== cs.headCommit;
  return {
    session: { ...s, headCommit: cs.headCommit, visited: s.visited.filter((id) => ids.has(id)), viewedFiles: s.viewedFiles.filter((p) => paths.has(p)) },
    droppedVisits,
    headMoved,
  };
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
