// Change-set speed: range resolution + computeChangeSet against the bare `git diff base...head`,
// measured alternately in the same run (median of several runs). Target: ≤ 1.5× git's own time.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Bench, BenchResult } from './run';
import { RepoBuilder } from '../src/demo/repoBuilder';
import { computeChangeSet, DIFF_ARGS } from '../src/core/review/changeSet';
import { resolveEnds } from '../src/core/review/resolveRange';
import { gitEnv } from '../src/core/git/runGit';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Times the bare git command, draining its output as fast as a pipe allows. */
function timeBareGit(cwd: string, args: string[]): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let bytes = 0;
    const child = spawn('git', ['-c', 'core.quotepath=false', ...args], { cwd, env: gitEnv(args) });
    child.stdout.on('data', (c: Buffer) => { bytes += c.length; });
    child.on('error', reject);
    child.on('close', () => resolve({ ms: performance.now() - t0, bytes }));
  });
}

/** A synthetic range: 1,200 files, ~60,000 changed lines, renames and deletions among them. */
async function syntheticRepo(dir: string): Promise<RepoBuilder> {
  if (existsSync(join(dir, '.git'))) return RepoBuilder.open(dir);
  mkdirSync(dir, { recursive: true });
  const r = await RepoBuilder.create({ dir });
  const files: Record<string, string> = {};
  for (let f = 0; f < 1200; f++) {
    files[`pkg${f % 12}/mod${f}.ts`] = Array.from({ length: 120 }, (_, i) => `export const v${i} = ${i * f}; // line ${i}`).join('\n') + '\n';
  }
  await r.commit({ message: 'base', files });
  await r.branch('bench-base');
  const changed: Record<string, string | null> = {};
  for (let f = 0; f < 1200; f++) {
    const path = `pkg${f % 12}/mod${f}.ts`;
    if (f % 100 === 0) { changed[path] = null; continue; }
    const lines = files[path].split('\n');
    for (let i = 0; i < lines.length - 1; i += 5) lines[i] = `export const v${i} = ${i * f + 1}; // edited`;
    lines.splice(60, 0, ...Array.from({ length: 25 }, (_, k) => `export const added${k} = ${k};`));
    changed[path] = lines.join('\n');
  }
  await r.commit({ message: 'big change', files: changed });
  return r;
}

async function measure(repo: string, base: string, head: string, runs: number): Promise<BenchResult['figures'] & { ratio: number }> {
  const ctx = { cwd: repo };
  // The baseline is git's own `diff base...head` (it finds the merge base itself), as a PR shows it.
  const args = ['diff', '--raw', '-z', '-p', ...DIFF_ARGS, `${base}...${head}`, '--'];
  const gitMs: number[] = [];
  const ourMs: number[] = [];
  let files = 0;
  let lines = 0;
  let bytes = 0;
  await timeBareGit(repo, args); // warm the object cache for both sides alike
  for (let i = 0; i < runs; i++) {
    const g = await timeBareGit(repo, args);
    gitMs.push(g.ms);
    bytes = g.bytes;
    const t0 = performance.now();
    const cs = await computeChangeSet(repo, await resolveEnds({ base, head }, ctx), ctx);
    ourMs.push(performance.now() - t0);
    files = cs.stats.files;
    lines = cs.stats.additions + cs.stats.deletions;
  }
  const g = median(gitMs);
  const o = median(ourMs);
  return { files, changedLines: lines, patchBytes: bytes, gitDiffMs: +g.toFixed(1), changeSetMs: +o.toFixed(1), ratio: +(o / g).toFixed(2), runs };
}

export const bench: Bench = {
  name: 'changeset',
  async run() {
    const work = join(__dirname, '..', '..', 'bench', 'work', 'changeset-synthetic');
    await syntheticRepo(work);
    const synthetic = await measure(work, 'bench-base', 'main', 7);
    const figures: Record<string, unknown> = { synthetic };
    const targets = [{ what: 'synthetic change set / git diff', value: synthetic.ratio, limit: 1.5, unit: '×', met: synthetic.ratio <= 1.5 }];
    const real = process.env.SR_BENCH_CHANGESET_REPO;
    if (real) {
      const base = process.env.SR_BENCH_CHANGESET_BASE ?? 'HEAD~500';
      const head = process.env.SR_BENCH_CHANGESET_HEAD ?? 'HEAD';
      const r = await measure(real, base, head, 11);
      figures.real = { repo: real, base, head, ...r };
      targets.push({ what: `real repo change set / git diff (${base}...${head})`, value: r.ratio, limit: 1.5, unit: '×', met: r.ratio <= 1.5 });
    } else {
      figures.real = 'skipped: set SR_BENCH_CHANGESET_REPO (and optionally SR_BENCH_CHANGESET_BASE/HEAD) to measure a real repository';
    }
    return { name: 'changeset', figures, targets };
  },
};
