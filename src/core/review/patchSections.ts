// Splits `git diff -p` output into one section per file pair (same order as the raw records) and
// turns each section into hunks with the `diff` package; sizes are checked before any decoding.

import { createHash } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import { parsePatch } from 'diff';
import { ChangeSetLimits, Hunk } from './changeSetTypes';

const SECTION_START = Buffer.from('\ndiff --git ');
const HUNK_START = Buffer.from('\n@@ ');
const HEADER_RE = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const BINARY_MARK = /\n(Binary files .* differ|GIT binary patch)\n/;

/** Byte ranges [start, end) of each `diff --git` section in the patch text starting at `from`. */
export function splitSections(buf: Buffer, from: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = from;
  if (buf.toString('latin1', from, from + 11) !== 'diff --git ') {
    const i = buf.indexOf(SECTION_START, from);
    if (i < 0) return out;
    start = i + 1;
  }
  for (;;) {
    const nl = buf.indexOf(SECTION_START, start);
    if (nl < 0) {
      out.push([start, buf.length]);
      return out;
    }
    out.push([start, nl + 1]);
    start = nl + 1;
  }
}

export interface ParsedSection {
  binary: boolean;
  tooLarge: boolean;
  encoding: 'utf8' | 'latin1';
  hunks: Hunk[];
  additions: number;
  deletions: number;
}

/** Counts '+' and '-' lines after the first hunk header without decoding (for oversized files). */
function countChanges(buf: Buffer, start: number, end: number): { additions: number; deletions: number } {
  let additions = 0;
  let deletions = 0;
  let i = start;
  while (i < end) {
    const c = buf[i];
    if (c === 0x2b) additions++;
    else if (c === 0x2d) deletions++;
    const nl = buf.indexOf(10, i);
    if (nl < 0 || nl >= end) break;
    i = nl + 1;
  }
  return { additions, deletions };
}

export function hunkId(path: string, lines: readonly string[]): string {
  const h = createHash('sha1');
  h.update(path);
  h.update('\0');
  for (const l of lines) {
    h.update(l);
    h.update('\n');
  }
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
  const counts = countChanges(buf, headerEnd, end);
  if (end - headerEnd > limits.maxPatchBytesPerFile || counts.additions + counts.deletions > limits.maxLinesPerFile) {
    return { binary: false, tooLarge: true, encoding: 'utf8', hunks: [], ...counts };
  }
  const slice = buf.subarray(headerEnd, end);
  const encoding = isUtf8(slice) ? 'utf8' : 'latin1';
  const text = slice.toString(encoding);
  const [parsed] = parsePatch(text);
  const headers = text.match(/^@@ .*$/gm) ?? [];
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
