// Maps line numbers between the base and head versions of a file through its hunks, so that
// decorations, blame and session state can follow a line from one side to the other.

import { Hunk } from './changeSetTypes';

type Side = 'old' | 'new';

function mapLine(hunks: readonly Hunk[], line: number, from: Side): number | null {
  let delta = 0;
  for (const h of hunks) {
    const fromStart = from === 'old' ? h.oldStart : h.newStart;
    const fromLines = from === 'old' ? h.oldLines : h.newLines;
    // A zero-length side is anchored after line `start`; its hunk covers no line of this side.
    const first = fromLines === 0 ? fromStart + 1 : fromStart;
    if (line < first) break;
    if (line < first + fromLines) {
      let o = from === 'old' ? h.oldStart : h.newStart;
      let n = from === 'old' ? h.newStart : h.oldStart;
      for (const l of h.lines) {
        const c = l[0];
        const mine = from === 'old' ? '-' : '+';
        const theirs = from === 'old' ? '+' : '-';
        if (c === ' ') {
          if (o === line) return n;
          o++;
          n++;
        } else if (c === mine) {
          if (o === line) return null;
          o++;
        } else if (c === theirs) {
          n++;
        }
      }
      return null;
    }
    delta += from === 'old' ? h.newLines - h.oldLines : h.oldLines - h.newLines;
  }
  return line + delta;
}

/** The head line showing base line `line`, or null when that line was removed. */
export function oldToNew(hunks: readonly Hunk[], line: number): number | null {
  return mapLine(hunks, line, 'old');
}

/** The base line shown at head line `line`, or null when the line was added. */
export function newToOld(hunks: readonly Hunk[], line: number): number | null {
  return mapLine(hunks, line, 'new');
}

/** Head line numbers of the added lines of a hunk. */
export function addedLines(h: Hunk): number[] {
  const out: number[] = [];
  let n = h.newStart;
  for (const l of h.lines) {
    if (l[0] === '+') out.push(n++);
    else if (l[0] === ' ') n++;
  }
  return out;
}

/** Base line numbers of the removed lines of a hunk. */
export function removedLines(h: Hunk): number[] {
  const out: number[] = [];
  let o = h.oldStart;
  for (const l of h.lines) {
    if (l[0] === '-') out.push(o++);
    else if (l[0] === ' ') o++;
  }
  return out;
}

/**
 * The head line a reviewer should look at first: the first added line, or for a pure deletion the
 * head line that now follows the removed lines (the one before them at the end of the file). Git
 * starts a hunk with up to three context lines, so `newStart` is usually not a changed line.
 */
export function firstChangedLine(h: Hunk): number {
  let n = h.newStart;
  let deletedAt: number | null = null;
  for (const l of h.lines) {
    if (l[0] === '+') return n;
    if (l[0] === ' ') n++;
    else if (l[0] === '-' && deletedAt === null) deletedAt = n;
  }
  if (deletedAt === null) return Math.max(1, h.newStart);
  const lastHeadLine = h.newLines ? h.newStart + h.newLines - 1 : h.newStart;
  return Math.max(1, Math.min(deletedAt, lastHeadLine));
}
