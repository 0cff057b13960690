// Call-graph impact. Speed on a real TypeScript repository (SR_BENCH_IMPACT_REPO, range from
// SR_BENCH_IMPACT_BASE..SR_BENCH_IMPACT_HEAD): server ready time, a 50-hunk range end to end from a
// cold start, warm per-hunk p50/p95, server RSS, and the text fallback's precision and recall
// against the server's call sites on the same hunks. Accuracy (SR_BENCH_CALLER_REPOS): recall and
// precision of the direct callers against TypeScript's find-all-references (callerAccuracy.ts).

import { execFileSync } from 'node:child_process';
import { Bench, BenchResult } from './run';
import { computeChangeSet } from '../src/core/review/changeSet';
import { resolveRange } from '../src/core/review/resolveRange';
import { ImpactSession, DEFAULT_IMPACT_OPTIONS } from '../src/core/impact/impactSession';
import { grepCallers } from '../src/core/impact/textFallback';
import { ChangeSet, ChangedFile, Hunk } from '../src/core/review/changeSetTypes';
import { attachImpact } from '../src/core/impact/attachImpact';
import { HunkImpact } from '../src/core/impact/impactTypes';
import { isTestPath } from '../src/core/risk/riskInputs';
import { COVERS, KINDS, RepoFigures, callerAccuracy } from './callerAccuracy';

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

type Target = NonNullable<BenchResult['targets']>[number];

export const bench: Bench = {
  name: 'impact',
  async run(): Promise<BenchResult> {
    const speedRepo = process.env.SR_BENCH_IMPACT_REPO;
    const callerRepos = (process.env.SR_BENCH_CALLER_REPOS ?? '').split(',').filter(Boolean);
    if (!speedRepo && !callerRepos.length) {
      return { name: 'impact', skipped: 'set SR_BENCH_IMPACT_REPO (speed) and/or SR_BENCH_CALLER_REPOS (caller recall and precision, comma-separated repositories, each path[@commit][#project file])', figures: {} };
    }
    const figures: Record<string, unknown> = {};
    const targets: Target[] = [];
    if (speedRepo) {
      const speed = await speedFigures(speedRepo);
      figures.speed = speed.figures;
      targets.push(...speed.targets);
    }
    if (callerRepos.length) {
      const acc = await accuracyFigures(callerRepos);
      figures.callers = acc.figures;
      targets.push(...acc.targets);
    }
    return { name: 'impact', figures, targets };
  },
};

const SAMPLE = Number(process.env.SR_BENCH_CALLER_SAMPLE ?? 30);
const SEED = 16;
const RECALL = 0.97;
const PRECISION = 0.98;

async function accuracyFigures(repos: string[]): Promise<{ figures: Record<string, unknown>; targets: Target[] }> {
  const load = () => `load ${require('node:os').loadavg().map((x: number) => x.toFixed(2)).join(' ')}`;
  const figures: Record<string, unknown> = { covers: COVERS, perKind: SAMPLE, seed: SEED, loadBefore: load() };
  process.stderr.write(`  callers: ${COVERS}\n`);
  const targets: Target[] = [];
  for (const spec of repos) {
    const [where, project = null] = spec.split('#');
    const [repo, rev = 'HEAD'] = where.split('@');
    const commit = execFileSync('git', ['rev-parse', '--verify', `${rev}^{commit}`], { cwd: repo, encoding: 'utf8' }).trim();
    const r: RepoFigures = await callerAccuracy(repo, commit, project, SAMPLE, SEED, (s) => process.stderr.write(`${s}\n`));
    const name = repo.replace(/\/+$/, '').split('/').pop()!;
    figures[name] = r;
    for (const k of KINDS) {
      const c = r.kinds[k].callers;
      if (c.recall !== null) targets.push({ what: `${name} ${k} caller recall`, value: c.recall, limit: RECALL, unit: 'ratio', met: c.recall >= RECALL });
      if (c.precision !== null) targets.push({ what: `${name} ${k} caller precision`, value: c.precision, limit: PRECISION, unit: 'ratio', met: c.precision >= PRECISION });
    }
  }
  figures.loadAfter = load();
  return { figures, targets };
}

async function speedFigures(repo: string): Promise<{ figures: Record<string, unknown>; targets: Target[] }> {
  const base = process.env.SR_BENCH_IMPACT_BASE ?? 'HEAD~40';
  const head = process.env.SR_BENCH_IMPACT_HEAD ?? 'HEAD';
  const ctx = { cwd: repo };
  // Read from git objects only (the analysis tree is made from them): the clone's checkout is left as it is.
  const cs = await computeChangeSet(repo, await resolveRange({ base, head }, ctx), ctx);
  const work: Array<[ChangedFile, Hunk]> = [];
  for (const f of cs.files) {
    // Source hunks, at most three per file, so the sample spreads over the code base.
    if (!/\.(ts|tsx)$/.test(f.path) || /\.d\.ts$/.test(f.path) || isTestPath(f.path) || /__tests__|__mocks__|testing\//.test(f.path) || f.status === 'deleted' || f.kind !== 'text') continue;
    for (const h of f.hunks.slice(0, 3)) if (work.length < 50) work.push([f, h]);
  }
  const sourceFiles = execFileSync('git', ['ls-tree', '-r', '-z', '--name-only', cs.headCommit], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 }).split('\0').filter((p) => /\.tsx?$/.test(p)).length;
  // The sample as a change set of its own, analysed the way `analyze` does it (attachImpact,
  // no cached answers).
  const files = [...new Set(work.map(([f]) => f))].map((f) => ({ ...f, hunks: work.filter(([g]) => g === f).map(([, h]) => h) }));
  const sample: ChangeSet = { ...cs, files };
  const t0 = performance.now();
  const session = new ImpactSession(ctx, DEFAULT_IMPACT_OPTIONS);
  let firstMs = 0;
  await attachImpact(sample, ctx, { session, useCache: false, onHunk: () => { firstMs ||= performance.now() - t0; } });
  const coldTotal = performance.now() - t0;
  const results = files.flatMap((f) => f.hunks.map((h) => h.impact as HunkImpact));
  const warm: number[] = [];
  // Warm = the same servers, but no answers remembered from the cold pass.
  session.clearCaches();
  for (const f of files) for (const h of f.hunks) {
    const s = performance.now();
    await session.hunkImpact(f, h, cs.headCommit, cs.mergeBase);
    warm.push(performance.now() - s);
  }
  const readyMs = Math.round(Math.max(0, ...session.serverReadyMs()));
  const rss = session.peakServerRssMb() ?? 0;
  // Text fallback vs the server, at the level of call sites (file:line), on the same hunks.
  let tp = 0;
  let textHits = 0;
  let lspSites = 0;
  for (let i = 0; i < results.length; i++) {
    const m = results[i];
    if (m.source !== 'lsp' || m.symbols.length === 0) continue;
    const lsp = new Set(m.directCallers.flatMap((c) => c.callLines.map((l) => `${c.path}:${l}`)));
    const decl = m.symbols.map((s) => ({ path: s.path, line: s.line }));
    const text = new Set<string>();
    for (const s of m.symbols) for (const c of await grepCallers(s.name, cs.headCommit, decl, ctx, 1000)) text.add(`${c.path}:${c.line}`);
    lspSites += lsp.size;
    textHits += text.size;
    for (const t of text) if (lsp.has(t)) tp++;
  }
  await session.dispose();
  const figures = {
    repo, base, head, sourceFiles, hunks: work.length,
    serverReadyMs: readyMs,
    firstHunkMs: Math.round(firstMs), coldRangeMs: Math.round(coldTotal),
    warmP50Ms: Math.round(pct(warm, 50)), warmP95Ms: Math.round(pct(warm, 95)),
    serverPeakRssMb: Math.round(rss),
    hunksWithSymbols: results.filter((r) => r.symbols.length).length,
    callersFound: results.reduce((s, r) => s + r.transitiveCallers, 0),
    textFallback: { precision: textHits ? +(tp / textHits).toFixed(3) : null, recall: lspSites ? +(tp / lspSites).toFixed(3) : null, textCallSites: textHits, serverCallSites: lspSites },
  };
  return {
    figures,
    targets: [
      { what: 'per-hunk p50 warm', value: figures.warmP50Ms, limit: 300, unit: 'ms', met: figures.warmP50Ms <= 300 },
      { what: `${work.length}-hunk range from a cold start`, value: figures.coldRangeMs, limit: 10_000, unit: 'ms', met: figures.coldRangeMs <= 10_000 },
      { what: 'server peak RSS', value: figures.serverPeakRssMb, limit: 1024, unit: 'MB', met: figures.serverPeakRssMb <= 1024 },
    ],
  };
}
