// Files under .git/senior-review (never the work tree): caches checked on every read and rebuilt
// with one warning when damaged, written to a temp file and renamed so concurrent processes never
// see a torn file. A cache that cannot be written costs speed, never the analysis.

import { lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Logger } from '../logger';

/** A folder of ours under the git directory, created now (for callers that need it to exist). */
export function cacheDir(gitDir: string, ...sub: string[]): string {
  const dir = cachePath(gitDir, ...sub);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A path under the git directory's senior-review folder, without creating anything. */
export function cachePath(gitDir: string, ...sub: string[]): string {
  return join(gitDir, 'senior-review', ...sub);
}

export type ReadOutcome<T> = { kind: 'absent' } | { kind: 'ok'; value: T } | { kind: 'damaged'; why: string };

/** Reads a file's bytes; says why when there is no file to read. */
function readBytes(file: string): { kind: 'ok'; bytes: Buffer } | Exclude<ReadOutcome<never>, { kind: 'ok' }> {
  try {
    return { kind: 'ok', bytes: readFileSync(file) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    return { kind: 'damaged', why: code === 'EISDIR' ? 'a folder is in its place' : `unreadable (${code ?? (e as Error).message})` };
  }
}

/** Reads and parses a JSON file and checks it with `valid`; says why when it cannot be used. */
export function readJsonChecked<T>(file: string, valid: (v: unknown) => boolean): ReadOutcome<T> {
  const r = readBytes(file);
  if (r.kind !== 'ok') return r;
  let value: unknown;
  try {
    value = JSON.parse(r.bytes.toString('utf8'));
  } catch {
    return { kind: 'damaged', why: 'not valid JSON' };
  }
  return valid(value) ? { kind: 'ok', value: value as T } : { kind: 'damaged', why: 'not of the expected shape' };
}

/**
 * A cache file's content when it is valid; null when absent or damaged. A damaged one is removed
 * (it is ours and derived data) with one warning naming it as `what`, so the caller rebuilds and
 * writes it again.
 */
export function readCache<T>(file: string, valid: (v: unknown) => boolean, logger: Logger, what = 'cache'): T | null {
  return settle(file, readJsonChecked<T>(file, valid), logger, what);
}

/** `readCache` for a binary file: `decode` gives its value, or says why the bytes cannot be used. */
export function readBinaryCache<T>(file: string, decode: (bytes: Buffer) => T | string, logger: Logger): T | null {
  const r = readBytes(file);
  if (r.kind !== 'ok') return settle(file, r, logger);
  const value = decode(r.bytes);
  return settle(file, typeof value === 'string' ? { kind: 'damaged', why: value } : { kind: 'ok', value }, logger);
}

function settle<T>(file: string, r: ReadOutcome<T>, logger: Logger, what = 'cache'): T | null {
  if (r.kind === 'ok') return r.value;
  if (r.kind === 'damaged') {
    logger.warn(`${what} ${file} is damaged (${r.why}): rebuilt`);
    removeCache(file);
  }
  return null;
}

/** Removes a cache file (or whatever is in its place) if it can; a cache never fails a run. */
export function removeCache(file: string): void {
  try {
    rmSync(file, { recursive: true, force: true });
  } catch {
    /* the write that follows reports what is wrong */
  }
}

/** Atomic replace: readers see the old file or the new one, never a mix. Bytes are written as they are, anything else as JSON. */
export function writeJsonAtomic(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, value instanceof Uint8Array ? value : JSON.stringify(value));
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes a cache; a failure (read-only .git, full disk) is a warning: the next run rebuilds it. */
export function writeCache(file: string, value: unknown, logger: Logger): void {
  try {
    // Something other than a file in its place (a folder) would make the rename fail forever.
    if (lstatSync(file, { throwIfNoEntry: false })?.isFile() === false) removeCache(file);
    writeJsonAtomic(file, value);
  } catch (e) {
    logger.warn(`cache ${file} not written (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): the next run rebuilds it`);
  }
}
