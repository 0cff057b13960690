// Persists the history index under the git directory (never the work tree), one file per repository,
// written to a temp file and renamed so concurrent processes never see a torn file.

import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export function cacheDir(gitDir: string, ...sub: string[]): string {
  const dir = join(gitDir, 'senior-review', ...sub);
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function readJsonFile<T>(file: string): T | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return null;
  }
}

/** Atomic replace: readers see the old file or the new one, never a mix. */
export function writeJsonAtomic(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(value));
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
