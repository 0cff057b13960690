// Turns one `diff --git` section of a patch into hunks with the `diff` package; sizes are checked
// before any decoding, so an enormous file costs a byte count, not a parse.

import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { parsePatch } from 'diff';
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
  const slice = buf.subarray(headerEnd, end);
  const encoding = isUtf8(slice) ? 'utf8' : 'latin1';
  const text = slice.toString(encoding);
  const [parsed] = parsePatch(text);
  const headers = headerRanges.map(([a, b]) => buf.toString(encoding, a, b));
  const hunks: Hunk[] = (parsed?.hunks ?? []).map((h, i) => {
    const headerLine = (headers[i] ?? '').replace(/\r$/, '');
    const section = headerLine.replace(/^@@ [^@]* @@ ?/, '');
    // git's own numbers: a zero-length side names the line *after which* the change sits, where
    // the diff package would shift it by one.
    const m = HEADER_RE.exec(headerLine);
    let added = 0;
    let removed = 0;
    for (const l of h.lines) {
      if (l[0] === '+') added++;
      else if (l[0] === '-') removed++;
    }
    return {
      id: hunkId(path, h.lines),
      oldStart: m ? Number(m[1]) : h.oldStart,
      oldLines: m ? Number(m[2] ?? 1) : h.oldLines,
      newStart: m ? Number(m[3]) : h.newStart,
      newLines: m ? Number(m[4] ?? 1) : h.newLines,
      header: headerLine,
      section,
      lines: h.lines,
      added,
      removed,
    };
  });
  return { binary: false, tooLarge: false, encoding, hunks, ...counts };
}
