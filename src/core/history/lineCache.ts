// The line attribution cache beside the history index: what `git blame` said about lines of a
// file, kept per (commit, path, blob) so a warm re-open blames nothing. Base entries (who last
// changed each line at the merge base, after the base's .mailmap) and range entries (which
// commit of merge base..head added each line) are exact for their key and never go stale.

import { join } from 'node:path';
import { Dict, dictFromEntries, newDict } from '../dict';
import { arrayOf, isInteger, isOid, isRecord, isString, oneOf, shape } from '../jsonShape';
import { Logger } from '../logger';
import { cachePath, readCache, writeCache } from './indexCache';

export const LINE_CACHE_FILE = 'line-authors-v1.json';
/** Entries kept (most recently used first): a few bases and ranges under review at once. */
const MAX_ENTRIES = 8;

/** One file's attributed lines: `values` are author identities or commit ids ('' for a boundary line); `lines` flat [line, value index] pairs. */
export interface FileLines {
  blob: string;
  values: string[];
  lines: number[];
}

/**
 * `key`: `base <merge base> <mailmap blob id or ->` (authors, after that mailmap) or
 * `range <merge base> <head>` (commits of the range; earlier lines are boundary).
 */
export interface LineEntry {
  key: string;
  files: Dict<FileLines>;
}

interface LineCacheFile {
  version: 1;
  entries: LineEntry[];
}

function isFileLines(v: unknown): boolean {
  if (!shape({ blob: isOid, values: arrayOf(isString), lines: arrayOf(isInteger) })(v)) return false;
  const f = v as FileLines;
  if (f.lines.length % 2 !== 0) return false;
  for (let i = 0; i < f.lines.length; i += 2) if (f.lines[i] < 1 || f.lines[i + 1] < 0 || f.lines[i + 1] >= f.values.length) return false;
  return true;
}

const isLineCacheFile = (v: unknown): boolean =>
  shape({ version: oneOf(1), entries: arrayOf((e) => shape({ key: isString })(e) && isRecord((e as LineEntry).files) && Object.values((e as LineEntry).files).every(isFileLines)) })(v);

export const baseKey = (mergeBase: string, mailmapBlob: string | null): string => `base ${mergeBase} ${mailmapBlob ?? '-'}`;
export const rangeKey = (mergeBase: string, head: string): string => `range ${mergeBase} ${head}`;

/** The cache of one repository for one run: read once, written once at the end if anything was added. */
export class LineCache {
  private readonly entries: LineEntry[];
  private dirty = false;

  private constructor(private readonly file: string | null, entries: LineEntry[], private readonly logger: Logger) {
    this.entries = entries;
  }

  /** `gitDir` null: nothing is read or written (no cache in use). */
  static open(gitDir: string | null, logger: Logger): LineCache {
    if (gitDir === null) return new LineCache(null, [], logger);
    const file = join(cachePath(gitDir, 'history'), LINE_CACHE_FILE);
    const read = readCache<LineCacheFile>(file, isLineCacheFile, logger);
    // Paths are keys we do not control: records without a prototype.
    const entries = (read?.entries ?? []).map((e) => ({ key: e.key, files: dictFromEntries(Object.entries(e.files)) }));
    return new LineCache(file, entries, logger);
  }

  /** The entry for `key`, created empty when absent; marked most recently used. */
  entry(key: string): LineEntry {
    const at = this.entries.findIndex((e) => e.key === key);
    const e = at >= 0 ? this.entries.splice(at, 1)[0] : { key, files: newDict<FileLines>() };
    this.entries.unshift(e);
    return e;
  }

  /** Other base entries with the same mailmap, most recently used first (candidates to carry lines over from). */
  otherBases(key: string): LineEntry[] {
    const [, , mailmap] = key.split(' ');
    return this.entries.filter((e) => e.key !== key && e.key.startsWith('base ') && e.key.split(' ')[2] === mailmap);
  }

  /** Records lines of `path` under `entry` (merged with what it held for the same blob). */
  put(entry: LineEntry, path: string, blob: string, attributed: ReadonlyMap<number, string>): void {
    if (attributed.size === 0) return;
    const old = entry.files[path];
    const merged = new Map(old && old.blob === blob ? readLines(old) : []);
    for (const [n, v] of attributed) merged.set(n, v);
    entry.files[path] = writeLines(blob, merged);
    this.dirty = true;
  }

  /** Copies a file's lines from another entry (same blob, proven unchanged in between by the caller). */
  copy(from: LineEntry, to: LineEntry, path: string): void {
    to.files[path] = from.files[path];
    this.dirty = true;
  }

  save(): void {
    if (this.file === null || !this.dirty) return;
    writeCache(this.file, { version: 1, entries: this.entries.slice(0, MAX_ENTRIES) } satisfies LineCacheFile, this.logger);
    this.dirty = false;
  }
}

/** The lines of a cached file as line → value. */
export function readLines(f: FileLines): Map<number, string> {
  const out = new Map<number, string>();
  for (let i = 0; i < f.lines.length; i += 2) out.set(f.lines[i], f.values[f.lines[i + 1]]);
  return out;
}

function writeLines(blob: string, lines: ReadonlyMap<number, string>): FileLines {
  const values: string[] = [];
  const index = new Map<string, number>();
  const flat: number[] = [];
  for (const n of [...lines.keys()].sort((a, b) => a - b)) {
    const v = lines.get(n)!;
    let i = index.get(v);
    if (i === undefined) index.set(v, (i = values.push(v) - 1));
    flat.push(n, i);
  }
  return { blob, values, lines: flat };
}
