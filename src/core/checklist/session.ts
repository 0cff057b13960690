// Review-session state per reviewer and per range (ticked items, notes, visited hunks), kept under
// the git directory so it survives reloads and never touches the work tree. When the head moves,
// visits are kept for hunks whose content is unchanged (same hunk id) and dropped for the rest.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { unlinkSync } from 'node:fs';
import { cacheDir, readJsonFile, writeJsonAtomic } from '../history/indexCache';
import { ChangeSet } from '../review/changeSetTypes';

export interface ReviewSession {
  version: 1;
  reviewer: string;
  /** The range as the reviewer named it: the key that survives head moves. */
  base: string;
  head: string;
  headCommit: string;
  checked: Record<string, boolean>;
  notes: Record<string, string>;
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

export function sessionFile(gitDir: string, reviewer: string, base: string, head: string): string {
  const key = createHash('sha1').update(`${reviewer.toLowerCase()}\0${base}\0${head}`).digest('hex').slice(0, 20);
  return join(cacheDir(gitDir, 'sessions'), `${key}.json`);
}

export function newSession(reviewer: string, base: string, head: string, headCommit: string): ReviewSession {
  return { version: 1, reviewer, base, head, headCommit, checked: {}, notes: {}, visited: [], viewedFiles: [], updatedAt: new Date().toISOString() };
}

export function loadSession(gitDir: string, reviewer: string, base: string, head: string, headCommit: string): ReviewSession {
  const s = readJsonFile<ReviewSession>(sessionFile(gitDir, reviewer, base, head));
  return s && s.version === 1 ? s : newSession(reviewer, base, head, headCommit);
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

export function setNote(s: ReviewSession, id: string, note: string): void {
  if (note.trim()) s.notes[id] = note;
  else delete s.notes[id];
}

export function visit(s: ReviewSession, hunkId: string, visited = true): void {
  const has = s.visited.includes(hunkId);
  if (visited && !has) s.visited.push(hunkId);
  if (!visited && has) s.visited = s.visited.filter((v) => v !== hunkId);
}
