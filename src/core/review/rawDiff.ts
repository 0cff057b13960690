// Parser for `git diff --raw -z` records, the authoritative list of file pairs (paths are taken
// verbatim from NUL-separated fields, so spaces, quotes, newlines and non-ASCII bytes survive, and
// names that are not UTF-8 keep their bytes through git/gitPath.ts).

import { FileStatus } from './changeSetTypes';
import { decodeGitPath } from '../git/gitPath';

export interface RawEntry {
  oldMode: string;
  newMode: string;
  oldOid: string;
  newOid: string;
  status: FileStatus;
  similarity: number | null;
  path: string;
  oldPath: string | null;
}

const STATUS: Record<string, FileStatus> = {
  A: 'added', D: 'deleted', M: 'modified', R: 'renamed', C: 'copied', T: 'typechange', U: 'unmerged', X: 'unknown',
};

const ZERO_OID = /^0+$/;

/**
 * Parses the raw section at the start of `buf`; returns the entries and the byte offset where the
 * patch text begins (after the empty record git writes between raw and patch output).
 */
export function parseRawZ(buf: Buffer): { entries: RawEntry[]; patchOffset: number } {
  const entries: RawEntry[] = [];
  let pos = 0;
  const next = (decode: (b: Buffer, start: number, end: number) => string): string => {
    const end = buf.indexOf(0, pos);
    if (end < 0) throw new Error('truncated raw diff record');
    const s = decode(buf, pos, end);
    pos = end + 1;
    return s;
  };
  const meta = (b: Buffer, start: number, end: number) => b.toString('latin1', start, end);
  while (pos < buf.length && buf[pos] === 0x3a /* ':' */) {
    const [oldMode, newMode, oldOid, newOid, statusField] = next(meta).slice(1).split(' ');
    const letter = statusField[0];
    const score = statusField.length > 1 ? Number(statusField.slice(1)) : null;
    const first = next(decodeGitPath);
    let path = first;
    let oldPath: string | null = null;
    if (letter === 'R' || letter === 'C') {
      oldPath = first;
      path = next(decodeGitPath);
    }
    entries.push({
      oldMode, newMode,
      oldOid: ZERO_OID.test(oldOid) ? '' : oldOid,
      newOid: ZERO_OID.test(newOid) ? '' : newOid,
      status: STATUS[letter] ?? 'unknown',
      similarity: letter === 'R' || letter === 'C' ? score : null,
      path, oldPath,
    });
  }
  // git separates the raw records from the patch with one extra NUL.
  if (pos < buf.length && buf[pos] === 0) pos += 1;
  return { entries, patchOffset: pos };
}
