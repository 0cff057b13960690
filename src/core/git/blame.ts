// `git blame --porcelain` for chosen line ranges of one file, parsed into the commit and author of
// each line; one git call per file however many ranges.

import { runGit } from './runGit';
import { RepoContext } from './repository';

export interface BlameLine {
  sha: string;
  authorName: string;
  authorEmail: string;
  authorTime: number;
}

/** Line number (at `commit`) → who last changed it. Ranges are 1-based and inclusive. */
export async function blameRanges(
  commit: string,
  path: string,
  ranges: ReadonlyArray<[number, number]>,
  ctx: RepoContext,
  extraArgs: string[] = [],
): Promise<Map<number, BlameLine>> {
  const out = new Map<number, BlameLine>();
  if (ranges.length === 0) return out;
  const args = [...extraArgs, 'blame', '--porcelain', ...ranges.flatMap(([a, b]) => ['-L', `${a},${b}`]), commit, '--', path];
  const text = (await runGit(args, { ...ctx, timeoutMs: 60_000 })).stdout.toString('utf8');
  const meta = new Map<string, Omit<BlameLine, 'sha'>>();
  let sha = '';
  let line = 0;
  let pending: Partial<Omit<BlameLine, 'sha'>> = {};
  for (const l of text.split('\n')) {
    if (l.startsWith('\t')) {
      const m = meta.get(sha) ?? { authorName: pending.authorName ?? '', authorEmail: pending.authorEmail ?? '', authorTime: pending.authorTime ?? 0 };
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
