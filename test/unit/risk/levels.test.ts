// Levels from the repository's own history: the lines drawn through the window's changes (at most
// the configured share at each level, ties never pushing it over), the percentile in words, the
// configuration (riskLevels or riskThresholds, never both), the distribution cached beside the
// history index, levels and required hunks final before call-graph impact, and the gating figure.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cutoffFor, distributionOf, historyThresholds, levelScale, percentileOf } from '../../../src/core/risk/levelScale';
import { gatingCurve } from '../../../src/core/risk/evaluation/metrics';
import { parseConfig, ConfigError } from '../../../src/core/checklist/loadConfig';
import { analyzeChangeSet } from '../../../src/core/analysis/analyze';
import { attachRisk } from '../../../src/core/risk/attachRisk';
import { mustVisitHunks } from '../../../src/core/checklist/evaluate';
import { ChangeSetHistory } from '../../../src/core/history/historyTypes';
import { AnalysisTimings } from '../../../src/core/analysis/analysisTimings';
import { ChangeSet } from '../../../src/core/review/changeSetTypes';
import { Risk } from '../../../src/core/risk/scoreRisk';
import { hoverMarkdown } from '../../../src/vscode/review/viewModel';
import { Person, RepoBuilder } from '../../../src/demo/repoBuilder';
import { tempRepo, cleanupRepos, cli } from '../../helpers/repos';

/**
 * An analysis of main...feature without the whole-analysis cache (which would answer before the
 * levels are read), and what the levels' own cache did in it (a run's fact: kept in its timings).
 */
async function levelsRun(dir: string): Promise<{ cs: ChangeSet; h: ChangeSetHistory; levels: { cache: string; walked: number } }> {
  rmSync(join(dir, '.git', 'senior-review', 'analysis'), { recursive: true, force: true });
  const cs = await analyzeChangeSet({ repo: dir, base: 'main', head: 'feature' });
  return { cs, h: cs.history as ChangeSetHistory, levels: (cs.timings as AnalysisTimings).passes.distribution as { cache: string; walked: number } };
}

const A: Person = { name: 'Ann Author', email: 'ann@example.com' };
const B: Person = { name: 'Ben Builder', email: 'ben@example.com' };

const code = (tag: string, n: number) => 'export function f() {\n' + Array.from({ length: n }, (_, i) => `  const v${i} = '${tag} ${i}';`).join('\n') + '\n}\n';

/** Forty changes of varied sizes over a year, some fixing lines of earlier ones, then a feature branch. */
async function yearOfChanges(r: RepoBuilder, start: string): Promise<void> {
  r.setDate(start);
  for (let k = 0; k < 40; k++) {
    const files: Record<string, string> = { [`src/m${k % 8}.ts`]: code(`v${k}`, 2 + ((k * 7) % 60)) };
    if (k % 5 === 0) files[`docs/page${k}.md`] = `# page ${k}\n`;
    await r.commit({ message: k % 4 === 3 ? `fix: module ${k % 8}` : `work ${k}`, author: k % 3 ? A : B, date: new Date(Date.parse(start) + k * 8 * 86_400_000).toISOString(), files });
  }
}

describe('risk levels from the repository\'s history', () => {
  after(cleanupRepos);

  it('draws the level lines through the distribution: at most the configured share at each level, ties left out', () => {
    const d = distributionOf(Array.from({ length: 100 }, (_, k) => k), 0, 0);
    assert.deepEqual(historyThresholds(d, { critical: 5, high: 15, medium: 30 }), { critical: 95, high: 80, medium: 50 });
    assert.equal(percentileOf(d, 97), 97);
    assert.equal(percentileOf(d, 0), 0);
    // Ten changes tied at 90 across the 5% line: none of them is critical.
    const tied = distributionOf([...Array.from({ length: 90 }, (_, k) => k % 50), ...Array(10).fill(90)], 0, 0);
    assert.equal(cutoffFor(tied.scoreCounts, 5), 91);
    assert.equal(cutoffFor(tied.scoreCounts, 10), 50, 'the ten at 90 are exactly the top 10%; nothing scores 50 to 89');
    // The gating curve gates the same way and counts what it catches.
    const scores = Array.from({ length: 100 }, (_, k) => k);
    const labels = scores.map((s) => s % 10 === 9);
    assert.deepEqual(gatingCurve(scores, labels), [
      { top: 5, gated: 5, caught: 0.1 },
      { top: 10, gated: 10, caught: 0.1 },
      { top: 20, gated: 20, caught: 0.2 },
      { top: 50, gated: 50, caught: 0.5 },
    ]);
    // Too few changes, or fixed thresholds asked for: the scale says so.
    assert.match((levelScale(distributionOf([1, 2, 3], 0, 86_400)) as { why: string }).why, /^only 3 changes between 1970-01-01 and 1970-01-02, too few to compare with$/);
    assert.equal(levelScale(d, { riskThresholds: { critical: 80 } }).by, 'thresholds');
    assert.deepEqual(levelScale(d, { riskLevels: { critical: 10 } }).thresholds, { critical: 90, high: 75, medium: 45 });
  });

  it('takes riskLevels or riskThresholds from the configuration, and refuses both in one line', () => {
    assert.deepEqual(parseConfig('{"riskLevels":{"critical":2,"high":8}}', 'cfg').riskLevels, { critical: 2, high: 8 });
    assert.deepEqual(parseConfig('{"riskThresholds":{"critical":80}}', 'cfg').riskThresholds, { critical: 80 });
    assert.throws(() => parseConfig('{"riskThresholds":{"critical":80},"riskLevels":{"critical":5}}', 'cfg'), (e: Error) => e instanceof ConfigError && /^cfg: riskThresholds \(fixed scores\) and riskLevels \(shares of this repository's changes\) cannot both be set; keep one$/.test(e.message));
    assert.throws(() => parseConfig('{"riskLevels":{"critical":50,"high":40,"medium":20}}', 'cfg'), /add up to 110%/);
  });

  it('compares a review with the year before its base, caches that beside the history index, and is final before call-graph impact', async () => {
    const r = await tempRepo('2024-01-01T00:00:00Z');
    await yearOfChanges(r, '2024-01-01T00:00:00Z');
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'big change', author: B, files: { 'src/m1.ts': code('feature', 80), 'src/m2.ts': code('small', 3) } });
    const { cs, h, levels } = await levelsRun(r.dir);
    assert.equal(h.distribution!.commits, 40, 'every change of the year before the base');
    assert.equal(levels.cache, 'cold');
    const pr = cs.risk as Risk;
    assert.deepEqual(pr.comparedWith, { commits: 40, since: h.distribution!.since, until: h.distribution!.until });
    assert.equal(pr.percentile, percentileOf(h.distribution!, pr.comparableScore));
    assert.ok(pr.percentile! > 50, String(pr.percentile));
    const m1 = cs.files.find((f) => f.path === 'src/m1.ts')!;
    const hunkRisk = m1.hunks[0].risk as Risk;
    assert.match(hoverMarkdown(m1, m1.hunks[0], () => ''), new RegExp(`^\\*\\*Risk ${hunkRisk.score} — ${hunkRisk.level}\\*\\*: riskier than ${Math.floor(hunkRisk.percentile!)}% of this repository's 40 changes in the last 12 months`));
    // At most 5% of the year's changes are critical on its own scale.
    const scale = levelScale(h.distribution);
    const critical = h.distribution!.scoreCounts.reduce((s, k, score) => s + (score >= scale.thresholds.critical ? k : 0), 0);
    assert.ok(critical <= 2, String(critical));

    // Call-graph impact arrives: scores may grow, levels, percentiles and the required hunks do not move.
    const before = JSON.stringify(cs.files.flatMap((f) => f.hunks.map((x) => [(x.risk as Risk).level, (x.risk as Risk).percentile])));
    const required = mustVisitHunks(cs, 'medium').map((x) => x.id);
    const impact = { transitiveCallers: 40, files: ['src/a.ts', 'lib/b.ts'], dirs: ['src', 'lib'], entryPoints: [{ path: 'src/a.ts', line: 1, kind: 'exported-api' }], callers: [], directCallers: [] };
    for (const f of cs.files) for (const x of f.hunks) x.impact = impact;
    cs.impact = { ...impact, callers: 40 };
    attachRisk(cs, {});
    assert.ok((m1.hunks[0].risk as Risk).score > hunkRisk.score, 'callers add points to the score');
    assert.equal((m1.hunks[0].risk as Risk).comparableScore, hunkRisk.comparableScore);
    assert.equal(JSON.stringify(cs.files.flatMap((f) => f.hunks.map((x) => [(x.risk as Risk).level, (x.risk as Risk).percentile]))), before);
    assert.deepEqual(mustVisitHunks(cs, 'medium').map((x) => x.id), required);

    // Warm for the same base; the base moved by one commit: only that commit is walked.
    assert.equal((await levelsRun(r.dir)).levels.cache, 'warm');
    await r.checkout('main');
    await r.commit({ message: 'one more', author: A, files: { 'src/m3.ts': code('more', 20) } });
    const moved = await levelsRun(r.dir);
    assert.deepEqual([moved.levels.cache, moved.levels.walked, moved.h.distribution!.commits], ['extended', 1, 41]);
    // A corrupt cache file is computed again, not trusted.
    const dir = join(r.dir, '.git', 'senior-review', 'history');
    writeFileSync(join(dir, 'levels-v1.json'), '{"version":1,"base":');
    writeFileSync(join(dir, 'window-facts-v1.json'), 'not json');
    const again = await levelsRun(r.dir);
    assert.deepEqual([again.levels.cache, again.levels.walked, again.h.distribution!.scoreCounts], ['cold', 41, moved.h.distribution!.scoreCounts]);
  });

  it('measures what gating each level catches (senior-review levels, analyze --gating), then shows it from the cache', async () => {
    const r = await tempRepo('2023-01-01T00:00:00Z');
    await yearOfChanges(r, '2023-01-01T00:00:00Z');
    // A year later: fixes of the biggest changes' lines, and a year of other work.
    for (let k = 0; k < 24; k++) {
      const m = k % 8;
      await r.commit({ message: k < 6 ? `fix: lines of module ${m}` : `later work ${k}`, author: A, date: new Date(Date.parse('2024-02-01T00:00:00Z') + k * 14 * 86_400_000).toISOString(), files: { [`src/m${m}.ts`]: code(`later ${k}`, 4 + k) } });
    }
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'feature', author: B, files: { 'src/m5.ts': code('feature', 90) } });

    const cached = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature' });
    assert.equal((cached.risk as { gating?: unknown }).gating, undefined, 'nothing measured yet, nothing computed by default');
    const levels = await cli(['levels', '--repo', r.dir, '--base', 'main']);
    assert.equal(levels.code, 0, levels.stderr);
    assert.match(levels.stdout, /^Risk levels at [0-9a-f]{12}: 24 changes \(non-merge commits\) of [\d-]+ – [\d-]+, scored by the backtest without call-graph impact/);
    assert.match(levels.stdout, /\| critical \| (none|[\d–\s]+) \| [\d.]+% \|/);
    assert.match(levels.stdout, /Gating, measured on 40 changes of [\d-]+ – [\d-]+ labelled by SZZ with the fixes up to [\d-]+ \(\d+ defect-inducing; cold/);
    assert.match(levels.stdout, /\| top 50% \| [\d.]+% \| [\d.]+% \|/);
    const json = JSON.parse((await cli(['levels', '--repo', r.dir, '--base', 'main', '--format', 'json'])).stdout) as { gating: { cache: string; defectInducing: number } };
    assert.equal(json.gating.cache, 'warm');
    assert.ok(json.gating.defectInducing > 0);
    // The PR now shows this repository's figure for its level, from the cache.
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature' });
    const g = (cs.risk as { gating?: { level: string; caught: number } }).gating!;
    assert.equal(g.level, (cs.risk as Risk).level);
    const md = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--format', 'markdown', '--no-impact']);
    assert.match(md.stdout, /^ {2}- (gating (critical changes|changes at (high|medium) risk or above) here \(the top [\d.]+%\) catches \d+% of defect-inducing changes|low-risk changes here \(the lower \d+%\) held \d+% of defect-inducing changes) \(SZZ on 40 changes of /m);
  });
});
