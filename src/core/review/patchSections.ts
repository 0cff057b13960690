// Turns one `diff --git` section of a patch into hunks, reading git's bytes directly (one decode per
// hunk, ids hashed from the raw bytes); sizes are checked before any decoding, so an enormous file
// costs a byte count, not a parse.

import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { ChangeSetLimits, Hunk } from './changeSetTypes';
import { encodeGitPath } from '../git/gitPath';

const HUNK_START = Buffer.from('\n@@ ');
const HEADER_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const BINARY_MARK = /\n(Binary files .* differ|GIT binary patch)\n/;

export interface ParsedSection {
  binary: boolean;
  tooLarge: boolean;
  encoding: 'utf8' | 'latin1';
  hunks: Hunk[];
  additions: number;
  deletions: number;
}

/**
 * One pass over the raw bytes after the first hunk header: counts '+' and '-' lines (enough for
 * an oversized file, which is never decoded) and collects the '@@' header lines for the rest.
 */
function scanLines(buf: Buffer, start: number, end: number): { additions: number; deletions: number; headers: Array<[number, number]> } {
  let additions = 0;
  let deletions = 0;
  const headers: Array<[number, number]> = [];
  let i = start;
  while (i < end) {
    const c = buf[i];
    let nl = buf.indexOf(10, i);
    if (nl < 0 || nl > end) nl = end;
    if (c === 0x2b) additions++;
    else if (c === 0x2d) deletions++;
    else if (c === 0x40 && buf[i + 1] === 0x40) headers.push([i, nl]);
    i = nl + 1;
  }
  return { additions, deletions, headers };
}

export function hunkId(path: string, lines: readonly string[]): string {
  // Over the path's bytes, so names that differ only in bytes that are not UTF-8 differ here too
  // (a UTF-8 name hashes exactly as its text always did). One update for the lines: hashing line
  // by line costs more than the whole parse.
  return createHash('sha1').update(encodeGitPath(path)).update(`\0${lines.join('\n')}\n`).digest('hex').slice(0, 16);
}

const NUL = Buffer.from([0]);
const NEWLINE = Buffer.from('\n');

/**
 * hunkId() of a hunk whose body git printed as UTF-8 at buf[from, to): the bytes are exactly what
 * `lines.join('\n') + '\n'` encodes to, so they are hashed as they are, without building the string.
 */
function hunkIdOfBytes(pathBytes: Buffer, buf: Buffer, from: number, to: number): string {
  const h = createHash('sha1').update(pathBytes).update(NUL).update(buf.subarray(from, to));
  if (to === from || buf[to - 1] !== 0x0a) h.update(NEWLINE);
  return h.digest('hex').slice(0, 16);
}

export function parseSection(buf: Buffer, start: number, end: number, path: string, limits: ChangeSetLimits): ParsedSection {
  const firstHunk = buf.indexOf(HUNK_START, start);
  const headerEnd = firstHunk >= 0 && firstHunk < end ? firstHunk + 1 : end;
  const header = buf.toString('latin1', start, headerEnd);
  if (BINARY_MARK.test('\n' + header)) {
    return { binary: true, tooLarge: false, encoding: 'utf8', hunks: [], additions: 0, deletions: 0 };
  }
  if (headerEnd === end) return { binary: false, tooLarge: false, encoding: 'utf8', hunks: [], additions: 0, deletions: 0 };
  const { headers: headerRanges, ...counts } = scanLines(buf, headerEnd, end);
  if (end - headerEnd > limits.maxPatchBytesPerFile || counts.additions + counts.deletions > limits.maxLinesPerFile) {
    return { binary: false, tooLarge: true, encoding: 'utf8', hunks: [], ...counts };
  }
  const encoding = isUtf8(buf.subarray(headerEnd, end)) ? 'utf8' : 'latin1';
  const pathBytes = encodeGitPath(path);
  const hunks: Hunk[] = headerRanges.map(([a, b], i) => {
    const headerLine = buf.toString(encoding, a, b).replace(/\r$/, '');
    const m = HEADER_RE.exec(headerLine);
    if (!m) throw new Error(`git printed a hunk header that is not one: ${headerLine.slice(0, 80)}`);
    // The body runs to the next hunk header or the end of the section; every line keeps its prefix.
    const from = Math.min(b + 1, end);
    const to = i + 1 < headerRanges.length ? headerRanges[i + 1][0] : end;
    const lines = from < to ? buf.toString(encoding, from, to).split('\n') : [];
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    let added = 0;
    let removed = 0;
    for (const l of lines) {
      const c = l.charCodeAt(0);
      if (c === 0x2b) added++;
      else if (c === 0x2d) removed++;
    }
    return {
      // A body decoded as latin1 would encode back to other bytes: those hash the text, as always.
      id: encoding === 'utf8' ? hunkIdOfBytes(pathBytes, buf, from, to) : hunkId(path, lines),
      // git's own numbers: a zero-length side names the line *after which* the change sits.
      oldStart: Number(m[1]),
      oldLines: Number(m[2] ?? 1),
      newStart: Number(m[3]),
      newLines: Number(m[4] ?? 1),
      header: headerLine,
      section: headerLine.replace(/^@@ [^@]* @@ ?/, ''),
      lines,
      added,
      removed,
    };
  });
  return { binary: false, tooLarge: false, encoding, hunks, ...counts };
}
