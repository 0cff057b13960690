// Indentation-based complexity: language-neutral, cheap, and known to track structural
// complexity well (each nesting level adds weight). Also finds the block enclosing a line range.

export interface Complexity {
  /** Sum of the indentation levels of all non-blank lines. */
  total: number;
  /** The deepest indentation level. */
  max: number;
  /** Non-blank lines counted. */
  lines: number;
}

/** Guesses the indentation unit: tabs count 1 each; spaces by the smallest common step (2 or 4). */
function indentUnit(lines: readonly string[]): number {
  const counts = new Map<number, number>();
  for (const l of lines) {
    const m = /^( +)\S/.exec(l);
    if (m) counts.set(m[1].length, (counts.get(m[1].length) ?? 0) + 1);
  }
  let twos = 0;
  let odd = 0;
  for (const [w, n] of counts) {
    if (w % 4 !== 0 && w % 2 === 0) twos += n;
    else if (w % 2 !== 0) odd += n;
  }
  if (odd > twos && odd > 0) return 1;
  return twos > 0 ? 2 : 4;
}

export function indentLevel(line: string, unit: number): number {
  let spaces = 0;
  let tabs = 0;
  for (const c of line) {
    if (c === ' ') spaces++;
    else if (c === '\t') tabs++;
    else break;
  }
  return tabs + Math.floor(spaces / unit);
}

export function complexityOfLines(lines: readonly string[], unit = indentUnit(lines)): Complexity {
  let total = 0;
  let max = 0;
  let count = 0;
  for (const l of lines) {
    if (!l.trim()) continue;
    const level = indentLevel(l, unit);
    total += level;
    if (level > max) max = level;
    count++;
  }
  return { total, max, lines: count };
}

export function complexityOf(text: string): Complexity {
  return complexityOfLines(text.split('\n'));
}

const CONTROL = /^\s*(\}\s*)?(else|if|for|foreach|while|switch|try|catch|finally|do|case|default|elif|except|with|unless|loop|match)\b/;

/** The nearest line at or above `from` indented less than `level` (not a closing bracket). */
function findHeader(lines: readonly string[], unit: number, from: number, level: number, first: number): number {
  for (let i = from; i >= 0; i--) {
    const l = lines[i];
    if (!l.trim() || /^\s*[)\]}]/.test(l)) continue;
    const lv = indentLevel(l, unit);
    if (lv < level || (level === 0 && lv === 0 && i <= first)) return i;
  }
  return -1;
}

export interface EnclosingBlock extends Complexity {
  /** The first line of the block, trimmed (e.g. the function signature). */
  name: string;
  startLine: number;
  endLine: number;
}

/**
 * The block around lines [from, to] (1-based): upwards to the nearest line indented less than the
 * range, that is not a closing bracket; downwards until indentation returns to that level.
 */
export function enclosingBlock(text: string, from: number, to: number): EnclosingBlock | null {
  const lines = text.split('\n');
  if (lines.length === 0 || from < 1) return null;
  const unit = indentUnit(lines);
  const first = Math.min(Math.max(from, 1), lines.length) - 1;
  const last = Math.min(Math.max(to, from), lines.length) - 1;
  let minLevel = Infinity;
  for (let i = first; i <= last; i++) if (lines[i].trim()) minLevel = Math.min(minLevel, indentLevel(lines[i], unit));
  if (minLevel === Infinity) minLevel = 0;
  let start = findHeader(lines, unit, first - (minLevel === 0 ? 0 : 1), minLevel, first);
  // Control statements are not what a reviewer calls "the function": keep climbing past them.
  while (start > 0 && CONTROL.test(lines[start]) && indentLevel(lines[start], unit) > 0) {
    const outer = findHeader(lines, unit, start - 1, indentLevel(lines[start], unit), start);
    if (outer < 0) break;
    start = outer;
  }
  if (start < 0) return null;
  const baseLevel = indentLevel(lines[start], unit);
  let end = Math.max(start, last);
  for (let i = Math.max(start + 1, last + 1); i < lines.length; i++) {
    const l = lines[i];
    if (!l.trim()) continue;
    const level = indentLevel(l, unit);
    if (level <= baseLevel) {
      if (/^\s*[)\]}]/.test(l)) end = i;
      break;
    }
    end = i;
  }
  const block = lines.slice(start, end + 1);
  const c = complexityOfLines(block.map((l) => l), unit);
  // Levels inside the block are counted relative to the block's own header.
  const total = c.total - baseLevel * c.lines;
  return { name: lines[start].trim().slice(0, 120), startLine: start + 1, endLine: end + 1, total: Math.max(0, total), max: Math.max(0, c.max - baseLevel), lines: c.lines };
}
