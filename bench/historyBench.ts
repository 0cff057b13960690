// History index speed on a real repository (SR_BENCH_HISTORY_REPO, ≥ 9,000 commits), each figure
// beside its baseline in the same run: cold build vs bare `git log --numstat`, warm load, +10
// commits, peak RSS, and the npm package code-complexity on the same repository (whose "churn" is
// a commit count, as in our index). Line churn is counted on demand, so the bench also reports,
// as figures, that cost for the files of a review (the last 20 commits' files) from cold, and for
// every file of the repository.

import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Bench, BenchResult } from './run';

interface ChildResult {
  ms: number;
  outcome: string;
  commits: number;
  files: number;
  churnCounted: number;
  maxRssMb: number;
}

function child(repo: string, rev: string, churnPaths: string[] = []): ChildResult {
  const out = execFileSync(process.execPath, [join(__dirname, 'historyChild.js'), repo, rev, 'cache', churnPaths.join('\n')], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out);
}

function timeCommand(cmd: string, args: string[], cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr?.toString().split('\n')[0]}`);
  return performance.now() - t0;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export const bench: Bench = {
  name: 'history',
  async run(): Promise<BenchResult> {
    const repo = process.env.SR_BENCH_HISTORY_REPO;
    if (!repo) return { name: 'history', skipped: 'set SR_BENCH_HISTORY_REPO to a clone with ≥ 9,000 commits', figures: {} };
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim();
    const commitCount = Number(execFileSync('git', ['rev-list', '--count', head], { cwd: repo, encoding: 'utf8' }).trim());
    const cache = join(repo, '.git', 'senior-review', 'history');
    const gitLog: number[] = [];
    const cold: number[] = [];
    let coldRss = 0;
    let coldInfo = { commits: 0, files: 0 };
    // Alternate baseline and ours so both see the same machine state.
    for (let i = 0; i < 3; i++) {
      gitLog.push(timeCommand('git', ['log', '--numstat', head], repo));
      rmSync(cache, { recursive: true, force: true });
      const c = child(repo, head);
      cold.push(c.ms);
      coldRss = Math.max(coldRss, c.maxRssMb);
      coldInfo = { commits: c.commits, files: c.files };
    }
    // A review's files: what the last 20 commits touched that still exists at head.
    const reviewFiles = execFileSync('git', ['diff', '--name-only', '--no-renames', '--diff-filter=M', `${head}~20`, head], { cwd: repo, encoding: 'utf8' }).split('\n').filter(Boolean);
    const allFiles = execFileSync('git', ['ls-tree', '-r', '--name-only', head], { cwd: repo, encoding: 'utf8' }).split('\n').filter(Boolean);
    const coldReview: number[] = [];
    let reviewRecords = 0;
    for (let i = 0; i < 3; i++) {
      rmSync(cache, { recursive: true, force: true });
      const c = child(repo, head, reviewFiles);
      coldReview.push(c.ms);
      reviewRecords = c.churnCounted;
      coldRss = Math.max(coldRss, c.maxRssMb);
    }
    const allChurn: number[] = [];
    let allRecords = 0;
    for (let i = 0; i < 2; i++) {
      rmSync(cache, { recursive: true, force: true });
      child(repo, head);
      const c = child(repo, head, allFiles);
      allChurn.push(c.ms);
      allRecords = c.churnCounted;
      coldRss = Math.max(coldRss, c.maxRssMb);
    }
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push(child(repo, head).ms);
    const extended: number[] = [];
    for (let i = 0; i < 3; i++) {
      rmSync(cache, { recursive: true, force: true });
      // A commit id, as a review's base always is (the index records its tip as one).
      child(repo, execFileSync('git', ['rev-parse', `${head}~10`], { cwd: repo, encoding: 'utf8' }).trim());
      const e = child(repo, head);
      if (e.outcome !== 'extended') throw new Error(`expected an extended index, got ${e.outcome}`);
      extended.push(e.ms);
    }
    const cc: number[] = [];
    const ccBin = join(__dirname, '..', '..', 'node_modules', '.bin', 'code-complexity');
    for (let i = 0; i < 2; i++) cc.push(timeCommand(ccBin, [repo, '--limit', '10', '--sort', 'score', '--format', 'json'], repo));
    const figures = {
      repo, head, commitCount, indexedCommits: coldInfo.commits, filesAtHead: coldInfo.files,
      gitLogNumstatMs: Math.round(median(gitLog)), coldIndexMs: Math.round(median(cold)),
      coldRatio: +(median(cold) / median(gitLog)).toFixed(2),
      warmMs: Math.round(median(warm)), plus10CommitsMs: Math.round(median(extended)),
      peakRssMb: Math.round(coldRss), codeComplexityMs: Math.round(median(cc)),
      speedupVsCodeComplexity: +(median(cc) / median(cold)).toFixed(2),
      reviewFiles: reviewFiles.length, reviewChurnRecords: reviewRecords,
      coldWithReviewChurnMs: Math.round(median(coldReview)),
      speedupWithReviewChurnVsCodeComplexity: +(median(cc) / median(coldReview)).toFixed(2),
      allFiles: allFiles.length, allChurnRecords: allRecords,
      churnAllFilesAfterColdMs: Math.round(median(allChurn)),
      // code-complexity has no cache: every run of it starts cold, while a review opens on a warm index.
      warmSpeedupVsCodeComplexity: +(median(cc) / median(warm)).toFixed(1),
    };
    return {
      name: 'history',
      figures,
      targets: [
        { what: 'cold index / git log --numstat', value: figures.coldRatio, limit: 1.25, unit: '×', met: figures.coldRatio <= 1.25 },
        { what: 'warm load', value: figures.warmMs, limit: 100, unit: 'ms', met: figures.warmMs <= 100 },
        { what: '+10 commits', value: figures.plus10CommitsMs, limit: 200, unit: 'ms', met: figures.plus10CommitsMs <= 200 },
        { what: 'peak RSS (cold)', value: figures.peakRssMb, limit: 300, unit: 'MB', met: figures.peakRssMb <= 300 },
        { what: 'cold index speed-up over code-complexity (≥ 2×)', value: figures.speedupVsCodeComplexity, limit: 2, unit: '×', met: figures.speedupVsCodeComplexity >= 2 },
        { what: 'warm index speed-up over code-complexity (≥ 2×)', value: figures.warmSpeedupVsCodeComplexity, limit: 2, unit: '×', met: figures.warmSpeedupVsCodeComplexity >= 2 },
      ],
    };
  },
};
