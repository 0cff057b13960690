// Read-modify-write of a JSON file under the git directory that no concurrent writer can undo: an
// exclusive lock file (created with O_EXCL, like git's index.lock), then a temp file renamed over.

import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { readJsonChecked } from '../history/indexCache';

const WAIT_MS = 10;
const MAX_WAITS = 1000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Whether a process of this machine still runs (a lock or pending ref of a dead one may be taken over). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock left by a killed process is taken over: it is renamed aside first, and if what was renamed
 * turns out to be a fresh lock (another process took the stale one over in between) it is linked back.
 */
function breakStaleLock(lock: string): void {
  let ino: number;
  let pid: number;
  try {
    ino = statSync(lock).ino;
    pid = Number(readFileSync(lock, 'utf8'));
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || processAlive(pid)) return;
  const aside = `${lock}.${randomBytes(4).toString('hex')}.stale`;
  try {
    renameSync(lock, aside);
  } catch {
    return;
  }
  try {
    if (statSync(aside).ino !== ino) linkSync(aside, lock);
  } catch {
    /* a newer lock exists already: ours stays aside and is removed below */
  }
  rmSync(aside, { force: true });
}

/** Runs `fn` while holding `${file}.lock`; waits for another holder and takes over a dead one's lock. */
export function withFileLock<T>(file: string, fn: () => T): T {
  const lock = `${file}.lock`;
  for (let waited = 0; ; waited++) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (waited >= MAX_WAITS) throw new Error(`${file} stays locked by another process (${lock})`);
      breakStaleLock(lock);
      sleepSync(WAIT_MS);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Writes and flushes a temp file, then renames it over `file`: a reader sees the old or the new whole file. */
export function writeJsonDurable(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(value));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Compare-and-swap on a file: `update` sees what is on disk now (null when nothing) and returns what to write. */
export function updateJsonFile<T>(file: string, update: (current: T | null) => T): T {
  return withFileLock(file, () => {
    const current = readJsonChecked<T>(file, () => true);
    const next = update(current.kind === 'ok' ? current.value : null);
    writeJsonDurable(file, next);
    return next;
  });
}
