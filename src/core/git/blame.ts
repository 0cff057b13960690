// `git blame --porcelain` for chosen line ranges of one file, parsed into the commit and author of
// each line; one git call per file however many ranges.

import { runGit } from './runGit';
import { RepoContext } from './repository';

export interface BlameLine {
  sha: string;
  authorName: string;
  authorEmail: string;
  authorTime: number;
  /** Blamed on a commit at the edge of a `since`-limited walk: the line is older than that, its commit unknown. */
  boundary?: true;
}

export interface BlameBounds {
  /** Global options before `blame` (the base's mailmap). */
  extraArgs?: string[];
  /** Lines older than this time (seconds) are left on boundary commits instead of being followed to their origin. */
  since?: number;
  /** A commit (id) whose history is not walked: lines that come from it or before are left on boundary commits. */
  notFrom?: string;
}

/** Line number (at `commit`) → who last changed it. Ranges are 1-based and inclusive. */
export async function blameRanges(
  commit: string,
  path: string,
  ranges: ReadonlyArray<[number, number]>,
  ctx: RepoContext,
  bounds: BlameBounds = {},
): Promise<Map<number, BlameLine>> {
  const out = new Map<number, BlameLine>();
  if (ranges.length === 0) return out;
  const since = bounds.since === undefined ? [] : [`--since=@${bounds.since}`];
  // `^id` rather than `id..`: every revision stays a bare id, so git reads no filter configuration for the call.
  const notFrom = bounds.notFrom === undefined ? [] : [`^${bounds.notFrom}`];
  const args = [...(bounds.extraArgs ?? []), 'blame', '--porcelain', ...since, ...ranges.flatMap(([a, b]) => ['-L', `${a},${b}`]), commit, ...notFrom, '--', path];
  const text = (await runGit(args, { ...ctx, timeoutMs: 60_000 })).stdout.toString('utf8');
  const meta = new Map<string, Omit<BlameLine, 'sha'>>();
  let sha = '';
  let line = 0;
  let pending: Partial<Omit<BlameLine, 'sha'>> = {};
  for (const l of text.split('\n')) {
    if (l.startsWith('\t')) {
      const m = meta.get(sha) ?? { authorName: pending.authorName ?? '', authorEmail: pending.authorEmail ?? '', authorTime: pending.authorTime ?? 0, ...(pending.boundary ? { boundary: true as const } : {}) };
      meta.set(sha, m);
      out.set(line, { sha, ...m });
      continue;
    }
    const header = /^([0-9a-f]{40}) \d+ (\d+)/.exec(l);
    if (header) {
      sha = header[1];
      line = Number(header[2]);
      pending = {};
    } else if (l.startsWith('author ')) pending.authorName = l.slice(7);
    else if (l.startsWith('author-mail ')) pending.authorEmail = l.slice(12).replace(/^<|>$/g, '');
    else if (l.startsWith('author-time ')) pending.authorTime = Number(l.slice(12));
    else if (l === 'boundary') pending.boundary = true;
  }
  return out;
}

/** Merges sorted 1-based line numbers into inclusive ranges for -L. */
export function toRanges(lines: readonly number[]): Array<[number, number]> {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  for (const n of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else ranges.push([n, n]);
  }
  return ranges;
}
