// `senior-review analyze` as a reviewer runs it, on real ranges of a vite clone (SR_BENCH_VITE):
// cold (no cache under .git/senior-review) twice and warm once, with and without call-graph impact,
// each beside `git diff` of the same range in the same run; the peak memory of the whole process
// tree (language servers included: at one moment, and the sum of each process's own peak); where a
// cold run's time went; and whether the three JSON outputs agree apart from `timings`.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench, BenchResult } from './run';
import { DIFF_ARGS } from '../src/core/review/changeSet';
import { loadAverage, runMeasured } from './processTree';

interface Range {
  name: string;
  base: string;
  head: string;
  /** Targets in seconds: cold and warm, without and with impact. */
  targets: { noImpact?: [number, number]; impact: [number, number] };
}

const RANGES: Range[] = [
  // 138 files, 495 hunks, 30 commits.
  { name: '138-file range', base: '1e0d05408bd6c987407b9b54cc8459fdd3218ad3', head: 'eac0cc84aa2472a85a19ee84561c1ba71e381a55', targets: { noImpact: [10, 1.5], impact: [30, 2] } },
  // One 15-file fix.
  { name: '15-file fix', base: 'ef0b8916160c4d2a677decc062f6faa48fbf1578^', head: 'ef0b8916160c4d2a677decc062f6faa48fbf1578', targets: { impact: [12, 1] } },
];

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

const withoutTimings = (out: Buffer): string => {
  const v = JSON.parse(out.toString('utf8')) as { timings?: unknown };
  delete v.timings;
  return JSON.stringify(v);
};

export const bench: Bench = {
  name: 'analyze',
  async run(): Promise<BenchResult> {
    const src = process.env.SR_BENCH_VITE;
    if (!src) return { name: 'analyze', skipped: 'set SR_BENCH_VITE to a clone of vite (github.com/vitejs/vite) holding the pinned ranges', figures: {} };
    // A clone of our own: the caches go under its .git, never into the repository given.
    const repo = join(mkdtempSync(join(tmpdir(), 'sr-bench-analyze-')), 'vite');
    execFileSync('git', ['clone', '-q', '--no-checkout', src, repo]);
    const figures: Record<string, unknown> = { repo: 'vite (clone of SR_BENCH_VITE)', loadBefore: loadAverage() };
    const targets: NonNullable<BenchResult['targets']> = [];
    try {
      for (const range of RANGES) {
        for (const impact of [false, true]) {
          const limits = impact ? range.targets.impact : range.targets.noImpact;
          if (!limits) continue;
          const label = `${range.name}, ${impact ? 'with' : 'without'} impact`;
          process.stderr.write(`  ${label}…\n`);
          const args = [CLI, 'analyze', '--repo', repo, '--base', range.base, '--head', range.head, ...(impact ? [] : ['--no-impact'])];
          const run = async (cold: boolean) => {
            if (cold) rmSync(join(repo, '.git', 'senior-review'), { recursive: true, force: true });
            const m = await runMeasured(process.execPath, args, { cwd: repo, keepStdout: true });
            if (m.code !== 0) throw new Error(`${label}: analyze exited ${m.code}: ${m.stderr.split('\n')[0]}`);
            return m;
          };
          const gitDiff = await runMeasured('git', ['diff', '--raw', '-z', '-p', ...DIFF_ARGS, `${range.base}...${range.head}`, '--'], { cwd: repo });
          const load = loadAverage();
          const coldA = await run(true);
          const coldB = await run(true);
          const warm = await run(false);
          const same = withoutTimings(coldA.stdout) === withoutTimings(coldB.stdout) && withoutTimings(warm.stdout) === withoutTimings(coldA.stdout);
          if (!same) {
            // Kept for finding what moved: bench/work is not tracked.
            const keep = join(__dirname, '..', '..', 'bench', 'work', `analyze-differ-${label.replace(/\W+/g, '-')}`);
            mkdirSync(keep, { recursive: true });
            for (const [name, m] of [['cold-a', coldA], ['cold-b', coldB], ['warm', warm]] as const) writeFileSync(join(keep, `${name}.json`), m.stdout);
            process.stderr.write(`  outputs differ: kept in ${keep}\n`);
          }
          const cs = JSON.parse(warm.stdout.toString('utf8')) as { stats: { files: number; hunks: number }; timings: { analysis: string } };
          // Where a cold run's time went (change set, history, impact).
          const phases = [coldA, coldB].map((m) => {
            const t = (JSON.parse(m.stdout.toString('utf8')) as { timings: { ms: Record<string, number> } }).timings;
            return t.ms;
          });
          const cold = Math.min(coldA.ms, coldB.ms);
          figures[label] = {
            base: range.base, head: range.head, files: cs.stats.files, hunks: cs.stats.hunks, load,
            gitDiffMs: Math.round(gitDiff.ms),
            coldMs: [Math.round(coldA.ms), Math.round(coldB.ms)], coldPhasesMs: phases, warmMs: Math.round(warm.ms), warmAnalysis: cs.timings.analysis,
            coldVsGitDiff: +(cold / gitDiff.ms).toFixed(1), warmVsGitDiff: +(warm.ms / gitDiff.ms).toFixed(1),
            peakTreeMb: Math.max(coldA.treeMb, coldB.treeMb, warm.treeMb), peakConcurrentMb: Math.max(coldA.concurrentMb, coldB.concurrentMb, warm.concurrentMb), processes: Math.max(coldA.processes, coldB.processes),
            jsonEqualApartFromTimings: same,
          };
          targets.push(
            { what: `${label}: cold`, value: +(cold / 1000).toFixed(1), limit: limits[0], unit: 's', met: cold / 1000 <= limits[0] },
            { what: `${label}: warm`, value: +(warm.ms / 1000).toFixed(2), limit: limits[1], unit: 's', met: warm.ms / 1000 <= limits[1] },
            // At one moment (peakTreeMb adds up git processes that ran one after another).
            { what: `${label}: peak RSS of the process tree`, value: Math.max(coldA.concurrentMb, coldB.concurrentMb), limit: 1024, unit: 'MB', met: Math.max(coldA.concurrentMb, coldB.concurrentMb) <= 1024 },
            { what: `${label}: cold, cold and warm JSON equal apart from timings`, value: same ? 1 : 0, limit: 1, unit: 'yes', met: same },
          );
        }
      }
    } finally {
      rmSync(join(repo, '..'), { recursive: true, force: true });
    }
    figures.loadAfter = loadAverage();
    return { name: 'analyze', figures, targets };
  },
};
