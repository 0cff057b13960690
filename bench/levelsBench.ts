// Levels on real repositories (SR_BENCH_LEVELS_REPOS="path[,path…]", each at its HEAD): the share
// of the year's changes at each level (critical must stay at about 5 % at most), the cost of the
// distribution cold, warm and after the base moved by 10 commits beside `git log --numstat` over
// the same window (the baseline, in the same run), the proof that the window backtest from the
// history index scores every change exactly as the full backtest of every commit does, and the
// gating curve with its cost cold and warm. The machine's load is recorded with the figures.

import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Bench, BenchResult } from './run';
import { median } from './processTree';
import { RISK_LEVELS } from '../src/core/checklist/checklistTypes';
import { commonGitDir, readBlobAt, resolveCommit } from '../src/core/git/repository';
import { historyOptions, monthsAgo } from '../src/core/history/historyOptions';
import { loadHistory } from '../src/core/history/historyStore';
import { peopleOfIndex } from '../src/core/history/identities';
import { backtest } from '../src/core/risk/backtest';
import { gatingEvaluation } from '../src/core/risk/gatingEvaluation';
import { levelDistribution } from '../src/core/risk/levelDistribution';
import { levelScale } from '../src/core/risk/levelScale';
import { levelOf } from '../src/core/risk/scoreRisk';
import { windowBacktest } from '../src/core/risk/windowBacktest';

type Targets = NonNullable<BenchResult['targets']>;

function timeGit(args: string[], cwd: string): number {
  const t0 = performance.now();
  const r = spawnSync('git', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr?.toString().split('\n')[0]}`);
  return performance.now() - t0;
}

const load = () => loadavg().map((x) => Math.round(x * 10) / 10);

async function one(repo: string, targets: Targets): Promise<Record<string, unknown>> {
  const ctx = { cwd: repo };
  const name = repo.split('/').pop()!;
  const base = await resolveCommit('HEAD', ctx);
  const o = historyOptions();
  const loadStart = load();
  const loaded = await loadHistory(base, o, ctx);
  const mailmap = await readBlobAt(base, '.mailmap', ctx);
  const h = { base, index: loaded.index, baseTime: loaded.baseTime, who: peopleOfIndex(loaded.index, mailmap?.toString('utf8') ?? null) };
  const dir = join(await commonGitDir(ctx), 'senior-review', 'history');
  const since = Math.floor(monthsAgo(loaded.baseTime, o.windowMonths));
  const clear = (...files: string[]) => files.forEach((f) => rmSync(join(dir, f), { force: true }));

  // Distribution: cold (no facts, no levels cached) beside the baseline, warm, then a base moved by 10 commits.
  const baseline: number[] = [];
  const cold: number[] = [];
  let dist = await levelDistribution(h, o, ctx, { useCache: true });
  for (let i = 0; i < 3; i++) {
    baseline.push(timeGit(['log', '-z', '--numstat', '-M', '--format=%H', `--since=@${since}`, base, '--'], repo));
    clear('levels-v1.json', 'window-facts-v1.json');
    dist = await levelDistribution(h, o, ctx, { useCache: true });
    cold.push(dist.ms);
  }
  const warm: number[] = [];
  for (let i = 0; i < 3; i++) warm.push((await levelDistribution(h, o, ctx, { useCache: true })).ms);
  // The base moved by 10 commits: their facts are not cached yet and the window is scored again.
  const factsFile = join(dir, 'window-facts-v1.json');
  const facts = JSON.parse(readFileSync(factsFile, 'utf8')) as { commits: Record<string, unknown> };
  const newest = spawnSync('git', ['rev-list', '--max-count=10', base], { cwd: repo, encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const s of newest) delete facts.commits[s];
  writeFileSync(factsFile, JSON.stringify(facts));
  clear('levels-v1.json');
  const moved = await levelDistribution(h, o, ctx, { useCache: true });

  const scale = levelScale(dist);
  const shares = Object.fromEntries(RISK_LEVELS.map((l) => [l, 0])) as Record<string, number>;
  dist.scoreCounts.forEach((k, s) => (shares[levelOf(s, scale.thresholds)] += k));
  for (const l of RISK_LEVELS) shares[l] = Math.round((1000 * shares[l]) / dist.commits) / 10;
  targets.push({ what: `share of the year's changes that are critical (${name}, ${dist.commits} changes)`, value: shares.critical, limit: 5, unit: '%', met: shares.critical <= 5 });
  const medCold = median(cold);
  const medBase = median(baseline);
  targets.push({ what: `distribution cold ÷ git log --numstat over the same window (${name})`, value: Math.round((medCold / medBase) * 100) / 100, limit: 2, unit: '×', met: medCold <= 2 * medBase });

  // The proof: every change of the window scored alike by the window backtest and the full backtest.
  const t0 = performance.now();
  const win = await windowBacktest(h, o, ctx, {});
  const winMs = performance.now() - t0;
  const full = await backtest(ctx, { commits: 'all', tip: base, since });
  const byShaFull = new Map(full.entries.map((e) => [e.sha, e]));
  let sameScore = 0;
  let sameInputs = 0;
  for (const e of win.entries) {
    const f = byShaFull.get(e.sha);
    if (f && f.risk.score === e.risk.score) sameScore++;
    if (f && JSON.stringify(f.inputs) === JSON.stringify(e.inputs)) sameInputs++;
  }
  targets.push({ what: `window backtest scores equal to the full backtest's (${name})`, value: sameScore, limit: full.entries.length, unit: `of ${full.entries.length}`, met: sameScore === full.entries.length && win.entries.length === full.entries.length });

  // Gating: cold (no fix blamed yet), then warm.
  clear('gating-v1.json');
  const gCold = await gatingEvaluation(h, o, ctx, { useCache: true });
  const gWarm = await gatingEvaluation(h, o, ctx, { useCache: true });
  return {
    repo: name,
    base,
    commitsIndexed: loaded.index.commits.length / 3,
    window: { since: dist.since, until: dist.until, changes: dist.commits },
    thresholds: scale.thresholds,
    levelShares: shares,
    distributionMs: { cold: cold.map(Math.round), warm: warm.map(Math.round), movedBy10: moved.ms, movedWalked: moved.walked, coldWalked: dist.walked },
    baselineGitLogNumstatMs: baseline.map(Math.round),
    proof: { windowChanges: win.entries.length, fullChanges: full.entries.length, sameScore, sameInputs, windowBacktestMs: Math.round(winMs), fullBacktestMs: Math.round(full.ms) },
    gating: {
      window: { since: gCold.since, until: gCold.until, labelsUntil: gCold.labelsUntil },
      changes: gCold.commits,
      defectInducing: gCold.defectInducing,
      fixesBlamed: gCold.fixesBlamed,
      levels: gCold.levels,
      curve: gCold.curve,
      notMeasurable: gCold.notMeasurable ?? null,
      ms: { cold: gCold.ms, warm: gWarm.ms },
    },
    loadAverage: { start: loadStart, end: load() },
  };
}

export const bench: Bench = {
  name: 'levels',
  async run(): Promise<BenchResult> {
    const repos = (process.env.SR_BENCH_LEVELS_REPOS ?? '').split(',').filter(Boolean);
    if (repos.length === 0) return { name: 'levels', skipped: 'set SR_BENCH_LEVELS_REPOS to clones (comma-separated), e.g. vite, eslint, apollo-client and git', figures: {} };
    const targets: Targets = [];
    const perRepo: unknown[] = [];
    for (const repo of repos) {
      process.stderr.write(`  levels: ${repo}…\n`);
      perRepo.push(await one(repo, targets));
    }
    return { name: 'levels', figures: { repos: perRepo }, targets };
  },
};
