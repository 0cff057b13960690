// Change-set speed: range resolution + computeChangeSet against the bare `git diff base...head`,
// measured alternately in the same run (median of several runs). Target: ≤ 1.5× git's own time;
// on a real range also as whole processes with their peak memory (target: ≤ 2× git's).

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Bench, BenchResult } from './run';
import { RepoBuilder } from '../src/demo/repoBuilder';
import { computeChangeSet, DIFF_ARGS } from '../src/core/review/changeSet';
import { hunkId } from '../src/core/review/patchSections';
import { resolveEnds } from '../src/core/review/resolveRange';
import { gitEnv } from '../src/core/git/runGit';
import { loadAverage, median as medianOf, runMeasured } from './processTree';

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

/**
 * The change set's hunks against git's own patch of the range read line by line here: the same
 * headers, the same lines, the same ids (hashed from git's lines as hunkId() does). Counts the
 * hunks that differ; binary and too-large files have no hunks to compare.
 */
async function differencesFromGit(repo: string, base: string, head: string): Promise<{ files: number; hunks: number; differing: number }> {
  const ctx = { cwd: repo };
  const cs = await computeChangeSet(repo, await resolveEnds({ base, head }, ctx), ctx);
  const patch = execFileSync('git', ['-c', 'core.quotepath=false', 'diff', ...DIFF_ARGS, `${base}...${head}`], { cwd: repo, env: gitEnv([]), maxBuffer: 1 << 30 }).toString('utf8');
  const git = new Map<string, Array<{ header: string; lines: string[] }>>();
  let file: Array<{ header: string; lines: string[] }> = [];
  for (const line of patch.split('\n')) {
    const d = /^diff --git .* b\/(.*)$/.exec(line);
    if (d) git.set(d[1], (file = []));
    else if (line.startsWith('@@ ')) file.push({ header: line, lines: [] });
    else if (file.length && /^[ +\-\\]/.test(line)) file[file.length - 1].lines.push(line);
  }
  let hunks = 0;
  let differing = 0;
  for (const f of cs.files) {
    if (f.binary || f.tooLarge) continue;
    const theirs = git.get(f.path) ?? [];
    if (theirs.length !== f.hunks.length) differing += Math.max(theirs.length, f.hunks.length);
    else f.hunks.forEach((h, i) => {
      const g = theirs[i];
      if (g.header !== h.header || g.lines.join('\n') !== h.lines.join('\n') || hunkId(f.path, g.lines) !== h.id) differing++;
    });
    hunks += f.hunks.length;
  }
  return { files: cs.files.length, hunks, differing };
}

/**
 * The change set in a process of its own (what `analyze --no-history --no-impact` does before
 * printing: the ends and the git directory from one git process, then the diff) against
 * `git diff` in its own, alternately: wall time and peak memory of each process.
 */
async function wholeProcesses(repo: string, base: string, head: string, runs: number) {
  const script = `const { computeChangeSet } = require(${JSON.stringify(join(__dirname, '..', 'src', 'core', 'review', 'changeSet.js'))});
const { resolveEndsAndGitDir } = require(${JSON.stringify(join(__dirname, '..', 'src', 'core', 'review', 'resolveRange.js'))});
const ctx = { cwd: process.cwd() };
resolveEndsAndGitDir({ base: ${JSON.stringify(base)}, head: ${JSON.stringify(head)} }, ctx).then(({ gitDir, ...e }) => computeChangeSet(process.cwd(), e, ctx, undefined, gitDir)).then((cs) => process.stdout.write(String(cs.stats.hunks)));`;
  const gitArgs = ['-c', 'core.quotepath=false', 'diff', '--raw', '-z', '-p', ...DIFF_ARGS, `${base}...${head}`, '--'];
  const ours: Array<{ ms: number; selfMb: number; treeMb: number }> = [];
  const theirs: Array<{ ms: number; selfMb: number }> = [];
  await runMeasured('git', gitArgs, { cwd: repo });
  for (let i = 0; i < runs; i++) {
    theirs.push(await runMeasured('git', gitArgs, { cwd: repo }));
    ours.push(await runMeasured(process.execPath, ['-e', script], { cwd: repo }));
  }
  const ms = medianOf(ours.map((x) => x.ms));
  const gitMs = medianOf(theirs.map((x) => x.ms));
  const selfMb = medianOf(ours.map((x) => x.selfMb));
  const gitMb = medianOf(theirs.map((x) => x.selfMb));
  return {
    runs, changeSetMs: Math.round(ms), gitDiffMs: Math.round(gitMs), ratio: +(ms / gitMs).toFixed(2),
    changeSetRssMb: selfMb, changeSetTreeRssMb: medianOf(ours.map((x) => x.treeMb)), gitDiffRssMb: gitMb, rssRatio: +(selfMb / gitMb).toFixed(2),
  };
}

export const bench: Bench = {
  name: 'changeset',
  async run() {
    const work = join(__dirname, '..', '..', 'bench', 'work', 'changeset-synthetic');
    await syntheticRepo(work);
    const synthetic = await measure(work, 'bench-base', 'main', 7);
    const figures: Record<string, unknown> = { synthetic };
    const targets = [{ what: 'synthetic change set / git diff', value: synthetic.ratio, limit: 1.5, unit: '×', met: synthetic.ratio <= 1.5 }];
    const real = process.env.SR_BENCH_CHANGESET_REPO ?? process.env.SR_BENCH_VITE;
    if (real) {
      // Default: vite HEAD~2000..HEAD of the clone the figures name (1,685 files, 3,674 hunks).
      const base = process.env.SR_BENCH_CHANGESET_BASE ?? '826c81a40bb25914d55cd2e96b548f1a2c384a19';
      const head = process.env.SR_BENCH_CHANGESET_HEAD ?? 'a98c8d95d552c6fa98ab66fb810f5b39ad5abf49';
      const load = loadAverage();
      const r = await measure(real, base, head, 11);
      const w = await wholeProcesses(real, base, head, 7);
      const git = await differencesFromGit(real, base, head);
      figures.real = { repo: real, base, head, load, ...r, wholeProcess: w, sameAsGit: git };
      targets.push(
        { what: `real repo change set / git diff (${base.slice(0, 8)}...${head.slice(0, 8)})`, value: r.ratio, limit: 1.5, unit: '×', met: r.ratio <= 1.5 },
        { what: 'real repo change set / git diff, whole processes (node start-up included)', value: w.ratio, limit: 1.5, unit: '×', met: w.ratio <= 1.5 },
        { what: 'real repo change set: peak RSS of our process / git diff\'s', value: w.rssRatio, limit: 2, unit: '×', met: w.rssRatio <= 2 },
        { what: "real repo change set: hunks differing from git's own patch", value: git.differing, limit: 0, unit: 'hunks', met: git.differing === 0 },
      );
    } else {
      figures.real = 'skipped: set SR_BENCH_VITE (a vite clone) or SR_BENCH_CHANGESET_REPO (and optionally SR_BENCH_CHANGESET_BASE/HEAD) to measure a real repository';
    }
    return { name: 'changeset', figures, targets };
  },
};
