// Anchors a comment to a line's content and finds that line again after the author pushes: the same
// text with the most matching neighbours, nearest to where it was; when the text is gone, outdated.

import { RepoContext, readBlobAt } from '../git/repository';
import { runGit } from '../git/runGit';
import { parseRawZ } from '../review/rawDiff';
import { CommentAnchor, CommentSide, CommentThread, LocatedThread } from './commentTypes';

const CONTEXT = 3;

export function fileLines(buf: Buffer): string[] {
  const text = buf.toString('utf8');
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export class AnchorError extends Error {}

/** The anchor of `line` of `path` at `commit`; fails in one line when the file or the line is not there. */
export async function makeAnchor(path: string, side: CommentSide, line: number, commit: string, ctx: RepoContext): Promise<CommentAnchor> {
  const blob = await readBlobAt(commit, path, ctx);
  if (!blob) throw new AnchorError(`${path} does not exist on the ${side} side (${commit.slice(0, 12)})`);
  const lines = fileLines(blob);
  if (!Number.isInteger(line) || line < 1 || line > lines.length) throw new AnchorError(`line ${line} is outside ${path} (${lines.length} lines on the ${side} side)`);
  const i = line - 1;
  return {
    path, side, line, commit, text: lines[i],
    before: lines.slice(Math.max(0, i - CONTEXT), i).reverse(),
    after: lines.slice(i + 1, i + 1 + CONTEXT),
  };
}

/** The 0-based index of the anchored line in `lines`, or null when its text is gone or cannot be told apart. */
export function findAnchoredLine(a: CommentAnchor, lines: readonly string[]): number | null {
  let best: { i: number; score: number; dist: number } | null = null;
  let candidates = 0;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== a.text) continue;
    candidates++;
    let score = 0;
    a.before.forEach((t, k) => { if (lines[i - 1 - k] === t) score++; });
    a.after.forEach((t, k) => { if (lines[i + 1 + k] === t) score++; });
    const dist = Math.abs(i + 1 - a.line);
    if (!best || score > best.score || (score === best.score && dist < best.dist)) best = { i, score, dist };
  }
  if (!best) return null;
  // A line with no matching neighbour is the same line only when it is the one line with that text.
  if (best.score === 0 && (candidates > 1 || a.text.trim() === '')) return null;
  return best.i;
}

/** Paths renamed between two commits, old → new. */
async function renames(from: string, to: string, ctx: RepoContext): Promise<Map<string, string>> {
  const out = (await runGit(['diff', '--raw', '-z', '--no-abbrev', '--find-renames', '--no-ext-diff', '--no-textconv', from, to, '--'], { ...ctx, timeoutMs: 0 })).stdout;
  return new Map(parseRawZ(out).entries.filter((e) => e.status === 'renamed' && e.oldPath).map((e) => [e.oldPath!, e.path]));
}

/** Places every thread in the diff mergeBase..headCommit (each side read from its commit). */
export async function locateThreads(threads: readonly CommentThread[], at: { mergeBase: string; headCommit: string }, ctx: RepoContext): Promise<LocatedThread[]> {
  const blobs = new Map<string, Promise<string[] | null>>();
  const renameMaps = new Map<string, Promise<Map<string, string>>>();
  const linesAt = (commit: string, path: string) => {
    const k = `${commit}:${path}`;
    if (!blobs.has(k)) blobs.set(k, readBlobAt(commit, path, ctx).then((b) => (b ? fileLines(b) : null)));
    return blobs.get(k)!;
  };
  const out: LocatedThread[] = [];
  for (const t of threads) {
    const a = t.anchor;
    const now = a.side === 'head' ? at.headCommit : at.mergeBase;
    if (now === a.commit) {
      out.push({ thread: t, path: a.path, line: a.line, outdated: false, readOnly: false });
      continue;
    }
    const rk = `${a.commit}..${now}`;
    // The anchor's commit may be gone after a force-push and gc; then the path is taken as it was.
    if (!renameMaps.has(rk)) renameMaps.set(rk, renames(a.commit, now, ctx).catch(() => new Map()));
    const path = (await renameMaps.get(rk)!).get(a.path) ?? a.path;
    const lines = await linesAt(now, path);
    const i = lines ? findAnchoredLine(a, lines) : null;
    out.push(i === null ? { thread: t, path: a.path, line: a.line, outdated: true, readOnly: false } : { thread: t, path, line: i + 1, outdated: false, readOnly: false });
  }
  return out;
}
