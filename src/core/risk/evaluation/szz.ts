// SZZ labelling: a commit "needed a fix" when lines it introduced were later removed or changed by
// a fix commit (blamed at the fix's parent), or when it was reverted. Blame runs only for the fix
// commits, a few at a time; large mechanical fixes are skipped as SZZ implementations usually do,
// and only program source is blamed: not tests, not documentation (a typo fixed in a README is
// not a defect of the commit that wrote it), not manifests or configuration (the next dependency
// bump is no fix of the previous one).

import { runGit } from '../../git/runGit';
import { RepoContext, commitsOnly, commonGitDir } from '../../git/repository';
import { BlameLine, blameRanges, toRanges } from '../../git/blame';
import { BacktestEntry } from '../backtest';
import { isSourcePath } from '../riskInputs';
import { mapLimit } from '../../concurrency';

const MAX_FILES_PER_FIX = 8;
const MAX_LINES_PER_FILE = 200;

/** Old-side line numbers removed or changed by a commit, per file (from a -U0 diff). */
export async function changedOldLines(sha: string, ctx: RepoContext): Promise<Map<string, number[]>> {
  const out = (await runGit(['show', '--format=', '-U0', '--no-color', '--no-ext-diff', '--no-renames', '-w', sha, '--'], ctx)).stdout.toString('utf8');
  const res = new Map<string, number[]>();
  let path: string | null = null;
  let oldLine = 0;
  for (const line of out.split('\n')) {
    if (line.startsWith('--- ')) {
      path = line === '--- /dev/null' ? null : line.replace(/^--- a\//, '').replace(/\t$/, '');
      continue;
    }
    if (line.startsWith('+++ ')) continue;
    const h = /^@@ -(\d+)(?:,(\d+))? \+/.exec(line);
    if (h) {
      oldLine = Number(h[1]);
      continue;
    }
    if (path && line.startsWith('-')) {
      if (line.slice(1).trim()) (res.get(path) ?? res.set(path, []).get(path)!).push(oldLine);
      oldLine++;
    }
  }
  return res;
}

export interface SzzOptions {
  onProgress?: (done: number, total: number) => void;
  /**
   * Per fix commit, the commits its blame found (a fix's blame never changes): read, and filled for
   * the fixes blamed in this run. Only valid with the same `since`.
   */
  cache?: Record<string, string[]>;
  /** Bounds each blame's walk: lines older than this stay on boundary commits and label nothing. */
  since?: number;
}

/** The set of commits labelled as having needed a fix. */
export async function szzLabels(all: readonly BacktestEntry[], ctx: RepoContext, opts: SzzOptions = {}): Promise<Set<string>> {
  // The fixes' diffs and blames read commits only: a checkout's `-diff` would hide every changed line.
  ctx = commitsOnly(ctx, await commonGitDir(ctx));
  const buggy = new Set<string>();
  const shas = all.map((e) => e.sha);
  for (const e of all) {
    if (e.revertOf) {
      const full = shas.find((s) => s.startsWith(e.revertOf!));
      if (full) buggy.add(full);
    }
  }
  const fixes = all.filter((e) => e.isFix && !e.revertOf);
  let done = 0;
  await mapLimit(fixes, 2, async (fix) => {
    let found = opts.cache?.[fix.sha];
    if (!found) {
      const blamed = new Set<string>();
      const lines = await changedOldLines(fix.sha, ctx);
      const targets = [...lines.entries()].filter(([p, l]) => isSourcePath(p) && l.length <= MAX_LINES_PER_FILE).slice(0, MAX_FILES_PER_FIX);
      for (const [path, ls] of targets) {
        const blame: Map<number, BlameLine> = await blameRanges(`${fix.sha}^`, path, toRanges(ls), ctx, { since: opts.since }).catch(() => new Map());
        // Without `since` the only boundaries are root commits, labelled as before.
        for (const b of blame.values()) if (!(b.boundary && opts.since !== undefined)) blamed.add(b.sha);
      }
      found = [...blamed].sort();
      if (opts.cache) opts.cache[fix.sha] = found;
    }
    for (const sha of found) buggy.add(sha);
    opts.onProgress?.(++done, fixes.length);
  });
  return buggy;
}
