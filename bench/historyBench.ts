// `senior-review hotspots` as a whole process (what it prints included) on real repositories
// (SR_BENCH_HISTORY_REPO: one clone or several joined by ':', e.g. eslint ~11k and git ~82k
// commits), each figure beside its baseline in the same run: cold against `git log --raw -M` over
// the same history (pairs in turn, ratio per pair), warm, +10 commits from an index at HEAD~10, and
// +10 commits where the 12-month window also drops commits. Node's own start-up is measured too.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Bench, BenchResult } from './run';
import { loadAverage, median, runMeasured } from './processTree';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
/** An average month, as the window counts it (src/core/history/historyOptions.ts). */
const MONTH_SECONDS = 30.4375 * 86_400;
const COLD_PAIRS = 3;
const WARM_RUNS = 5;
const PLUS10_RUNS = 3;

type Target = NonNullable<BenchResult['targets']>[number];

function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 });
}

async function hotspots(repo: string, ...extra: string[]): Promise<{ ms: number; stdout: string; treeMb: number }> {
  const m = await runMeasured(process.execPath, [CLI, 'hotspots', '--repo', repo, ...extra], { cwd: repo, keepStdout: true });
  if (m.code !== 0) throw new Error(`hotspots ${extra.join(' ')} failed: ${m.stderr.split('\n')[0]}`);
  return { ms: m.ms, stdout: m.stdout.toString('utf8'), treeMb: m.treeMb };
}

/**
 * The first-parent commit (among the newest 3,000) whose 10-commit step drops the most commits
 * from the 12-month window: the window-move case of the issue (+10 commits after a gap).
 */
function windowMoveHead(repo: string): { head: string; dropped: number } {
  const all = git(repo, 'log', '--format=%ct').split('\n').filter(Boolean).map(Number).sort((a, b) => a - b);
  const countBefore = (t: number) => {
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const line = git(repo, 'log', '--first-parent', '-n', '3000', '--format=%H %ct').split('\n').filter(Boolean).map((l) => l.split(' '));
  let best = { head: line[0][0], dropped: -1 };
  for (let i = 0; i + 10 < line.length; i++) {
    const dropped = countBefore(Number(line[i][1]) - 12 * MONTH_SECONDS) - countBefore(Number(line[i + 10][1]) - 12 * MONTH_SECONDS);
    if (dropped > best.dropped) best = { head: line[i][0], dropped };
  }
  return best;
}

/** Times `hotspots --as-of head` from a cache built at head~10 (restored before each run); checks the output against `expected`. */
async function plusTen(repo: string, head: string, expected: string): Promise<number[]> {
  const cache = join(repo, '.git', 'senior-review');
  const saved = mkdtempSync(join(tmpdir(), 'sr-bench-history-'));
  try {
    rmSync(cache, { recursive: true, force: true });
    await hotspots(repo, '--as-of', git(repo, 'rev-parse', `${head}~10`).trim());
    cpSync(cache, saved, { recursive: true });
    const ms: number[] = [];
    for (let i = 0; i < PLUS10_RUNS; i++) {
      rmSync(cache, { recursive: true, force: true });
      cpSync(saved, cache, { recursive: true });
      const r = await hotspots(repo, '--as-of', head);
      if (r.stdout !== expected) throw new Error(`+10 commits to ${head} printed something else than a run without cache`);
      ms.push(r.ms);
    }
    return ms;
  } finally {
    rmSync(saved, { recursive: true, force: true });
  }
}

async function measure(repo: string): Promise<{ figures: Record<string, unknown>; targets: Target[] }> {
  const name = basename(repo);
  const head = git(repo, 'rev-parse', 'HEAD').trim();
  const commits = Number(git(repo, 'rev-list', '--count', head).trim());
  const cache = join(repo, '.git', 'senior-review');
  const loads = [loadAverage()];
  // Cold, in turn with the bare walk: git's output is read and thrown away as ours is.
  const gitMs: number[] = [];
  const coldMs: number[] = [];
  const ratios: number[] = [];
  let coldOut = '';
  let coldTreeMb = 0;
  for (let i = 0; i < COLD_PAIRS; i++) {
    const g = await runMeasured('git', ['log', '--raw', '-M', head], { cwd: repo });
    rmSync(cache, { recursive: true, force: true });
    const c = await hotspots(repo, '--as-of', head);
    if (coldOut && c.stdout !== coldOut) throw new Error('two cold runs printed different reports');
    coldOut = c.stdout;
    coldTreeMb = Math.max(coldTreeMb, c.treeMb);
    gitMs.push(g.ms);
    coldMs.push(c.ms);
    ratios.push(c.ms / g.ms);
  }
  // Warm: the same command again; then with only the index warm (the last report set aside), and node alone.
  const warmMs: number[] = [];
  const warmIndexMs: number[] = [];
  const nodeMs: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const w = await hotspots(repo, '--as-of', head);
    if (w.stdout !== coldOut) throw new Error('a warm run printed another report');
    warmMs.push(w.ms);
    rmSync(join(cache, 'history', 'hotspots-v1.json'), { force: true });
    const wi = await hotspots(repo, '--as-of', head);
    if (wi.stdout !== coldOut) throw new Error('a run on the warm index printed another report');
    warmIndexMs.push(wi.ms);
    nodeMs.push((await runMeasured(process.execPath, ['-e', '0'], { cwd: repo })).ms);
  }
  loads.push(loadAverage());
  const plus10 = await plusTen(repo, head, coldOut);
  const moved = windowMoveHead(repo);
  const movedExpected = (await hotspots(repo, '--as-of', moved.head, '--no-cache')).stdout;
  const plus10Moved = await plusTen(repo, moved.head, movedExpected);
  loads.push(loadAverage());
  const r = (xs: number[]) => Math.round(median(xs));
  const figures = {
    repo, head, commits, loads,
    gitLogRawMs: r(gitMs), coldMs: r(coldMs), coldRatio: +median(ratios).toFixed(2), coldTreeRssMb: coldTreeMb,
    warmMs: r(warmMs), warmIndexOnlyMs: r(warmIndexMs), nodeStartMs: r(nodeMs),
    plus10Ms: r(plus10), windowMoveHead: moved.head, windowMoveDropped: moved.dropped, plus10WindowMoveMs: r(plus10Moved),
  };
  const targets: Target[] = [
    { what: `${name}: hotspots cold / git log --raw -M`, value: figures.coldRatio, limit: 2, unit: '×', met: figures.coldRatio <= 2 },
    { what: `${name}: hotspots warm`, value: figures.warmMs, limit: 300, unit: 'ms', met: figures.warmMs <= 300 },
    { what: `${name}: hotspots +10 commits`, value: figures.plus10Ms, limit: 500, unit: 'ms', met: figures.plus10Ms <= 500 },
    { what: `${name}: hotspots +10 commits, window moved (${moved.dropped} commits dropped)`, value: figures.plus10WindowMoveMs, limit: 500, unit: 'ms', met: figures.plus10WindowMoveMs <= 500 },
  ];
  return { figures, targets };
}

export const bench: Bench = {
  name: 'history',
  async run(): Promise<BenchResult> {
    const repos = (process.env.SR_BENCH_HISTORY_REPO ?? '').split(':').filter(Boolean);
    if (!repos.length) return { name: 'history', skipped: 'set SR_BENCH_HISTORY_REPO to one or more clones (joined by \':\') of ~10k and ~80k commits', figures: {} };
    const figures: Record<string, unknown> = {};
    const targets: Target[] = [];
    for (const repo of repos) {
      const m = await measure(repo);
      figures[basename(repo)] = m.figures;
      targets.push(...m.targets);
    }
    return { name: 'history', figures, targets };
  },
};
