// The risk score: reasons with their figures, levels by thresholds, unavailable signals named,
// analyze attaching risk everywhere, the backtest's no-leakage rule, SZZ labels and the metrics.
import assert from 'node:assert/strict';
import { scoreRisk, levelOf } from '../../../src/core/risk/scoreRisk';
import { addLines, emptyInputs, isDocPath, isSourcePath } from '../../../src/core/risk/riskInputs';
import { backtest } from '../../../src/core/risk/backtest';
import { szzLabels } from '../../../src/core/risk/evaluation/szz';
import { aucGainInterval, rocAuc, recallAtEffort, rankBy } from '../../../src/core/risk/evaluation/metrics';
import { analyzeChangeSet } from '../../../src/core/analysis/analyze';
import { hoverMarkdown } from '../../../src/vscode/review/viewModel';
import { createDemoRepo } from '../../../src/demo/demoRepo';
import { Person } from '../../../src/demo/repoBuilder';
import { tempRepo, cleanupRepos, cli } from '../../helpers/repos';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DEV: Person = { name: 'Dev', email: 'dev@example.com' };

describe('risk', () => {
  after(cleanupRepos);

  it('explains the score with ranked reasons and their figures', () => {
    const i = emptyInputs();
    Object.assign(i, { linesAdded: 120, linesRemoved: 30, files: 1, dirs: 1, callers: 47, callerFiles: 12, callerDirs: 3, entryPoints: 2,
      fileCommitsWindow: 38, fixesWindow: 9, fixCommitsWindow: 38, fixShare: 0.24, hotspotPercentile: 99, hotspotRank: 3, hotspotOf: 1204, isHotspot: true, knowledgeLossShare: 0.74, inactiveMonths: 14,
      ageMonths: 60, authorFileCommits: 0, authorRepoCommits: 3, aiAssistedShare: 0.5, isFix: false });
    const r = scoreRisk(i);
    assert.equal(r.level, 'critical');
    assert.equal(r.score, 100);
    const texts = r.reasons.map((x) => x.text);
    assert.ok(texts.includes('47 callers in 12 files across 3 top-level directories'), texts.join(' | '));
    assert.ok(texts.includes('9 of 38 commits in the last 12 months were fixes (24%)'), texts.join(' | '));
    assert.ok(texts.includes('74% of touched lines by authors inactive for up to 14 months'));
    assert.ok(texts.includes('50% of added lines from AI-assisted commits'));
    assert.ok(texts.includes('hotspot #3 of 1,204 source files: changed 38 times in the last 12 months'), texts.join(' | '));
    const several = scoreRisk({ ...i, hotspotsTouched: 3, hotspotPath: 'src/core.ts' }).reasons.find((x) => x.code === 'hotspot')!;
    assert.equal(several.text, '3 hotspots touched; the busiest, src/core.ts (#3 of 1,204 source files), changed 38 times in the last 12 months');
    assert.deepEqual(r.unavailable, []);
    for (let k = 1; k < r.reasons.length; k++) assert.ok(r.reasons[k - 1].points >= r.reasons[k].points);
    const small = scoreRisk({ ...emptyInputs(), linesAdded: 2, files: 1, dirs: 1, touchesTests: true });
    assert.equal(small.level, 'low');
    assert.deepEqual(small.unavailable, ['callers', 'entry-points', 'hotspot', 'fixes', 'knowledge-loss', 'legacy', 'new-to-file', 'new-to-repo', 'fix-commit']);
    assert.equal(levelOf(55, { medium: 10, high: 60, critical: 90 }), 'medium');
    // Size counts program source only; tests and documentation are named as not counted, configuration has its own few points.
    const scored = (path: string, lines = 100) => {
      const x = emptyInputs();
      addLines(x, path, lines, 0);
      return scoreRisk(x).reasons;
    };
    const sized = (path: string) => scored(path).find((r) => r.code === 'size');
    assert.equal(sized('src/a.ts')!.text, '100 lines of code changed (+100 −0)');
    assert.equal(sized('src/a.ts')!.points, 26.1);
    assert.deepEqual(sized('test/a.test.ts'), { code: 'size', text: 'no code changed; not counted: 100 lines of tests', points: 0 });
    assert.equal(sized('docs/guide.md')!.text, 'no code changed; not counted: 100 lines of documentation');
    const mixed = emptyInputs();
    addLines(mixed, 'src/a.ts', 1, 0);
    addLines(mixed, 'test/a.test.ts', 3, 1);
    addLines(mixed, 'README.md', 2, 0);
    assert.equal(scoreRisk(mixed).reasons.find((r) => r.code === 'size')!.text, '1 line of code changed (+1 −0); not counted: 4 lines of tests, 2 lines of documentation');
    const ci = scored('.github/workflows/ci.yml');
    assert.deepEqual(ci.find((r) => r.code === 'configuration'), { code: 'configuration', text: '100 lines of configuration, manifests or data changed', points: 3 });
    assert.equal(ci.find((r) => r.code === 'size')!.points, 0, 'configuration is not code size');
    assert.equal(scored('package.json', 1).find((r) => r.code === 'configuration')!.text, '1 line of configuration, manifests or data changed');
    assert.equal(scored('src/a.ts').find((r) => r.code === 'configuration'), undefined);
    assert.ok(isDocPath('README.md') && isDocPath('docs/src/page.js') && isDocPath('templates/formatters.md.ejs') && !isDocPath('src/docsy.ts') && !isDocPath('views/index.ejs'));
    assert.ok(isSourcePath('lib/router.js') && isSourcePath('src/a.go') && !isSourcePath('package.json') && !isSourcePath('test/a.test.ts') && !isSourcePath('docs/x.js'));
  });

  it('weighs per-line signals by the code changed, but not reach: a one-line edit to a hotspot is not a rewrite of it', () => {
    const hot = (lines: number) => {
      const x = emptyInputs();
      addLines(x, 'src/core.ts', lines, 0);
      Object.assign(x, { files: 1, dirs: 1, callers: 47, callerFiles: 12, callerDirs: 3, entryPoints: 2, fileCommitsWindow: 38, fixesWindow: 9, fixShare: 0.24,
        hotspotPercentile: 99, isHotspot: true, knowledgeLossShare: 0, ageMonths: 0, authorFileCommits: 20, authorRepoCommits: 100, touchesTests: true, isFix: false });
      return scoreRisk(x).reasons;
    };
    const points = (rs: ReturnType<typeof hot>, code: string) => rs.find((r) => r.code === code)?.points;
    const [one, many] = [hot(1), hot(200)];
    assert.equal(points(many, 'fixes'), 24, 'a full-size change takes the fix history in full');
    assert.ok(points(one, 'fixes')! < 0.75 * points(many, 'fixes')!, `${points(one, 'fixes')} vs ${points(many, 'fixes')}`);
    assert.ok(points(one, 'fixes')! >= 0.5 * points(many, 'fixes')!, 'one line in a hotspot keeps at least half its history');
    assert.equal(points(one, 'callers'), points(many, 'callers'), 'reach does not depend on the number of lines');
    const docsOnly = emptyInputs();
    addLines(docsOnly, 'docs/guide.md', 300, 0);
    Object.assign(docsOnly, { files: 1, dirs: 1, fileCommitsWindow: 38, fixesWindow: 9, fixShare: 0.5, isHotspot: true, authorFileCommits: 0, authorRepoCommits: 0 });
    assert.equal(scoreRisk(docsOnly).score, 0, 'no code changed, no per-line risk');
  });

  it('reads history from program source only: a changelog, a CI workflow or a test every commit edits is no hotspot of the code', async () => {
    const r = await tempRepo('2024-01-01T00:00:00Z');
    const busy = (k: number) => ({ 'CHANGELOG.md': `- fix ${k}\n`.repeat(k + 1), '.github/workflows/ci.yml': `# bump ${k}\n`, 'test/all.test.ts': `// case ${k}\n` });
    for (let k = 0; k < 10; k++) {
      await r.commit({ message: `fix: issue ${k}`, author: DEV, files: { ...busy(k), [`src/m${k}.ts`]: `export const m${k} = ${k};\n` } });
    }
    const base = await r.git('rev-parse', 'HEAD');
    const last = await r.commit({ message: 'add a module', author: DEV, files: { ...busy(10), 'src/new.ts': 'export const n = 1;\n' } });
    const { entries } = await backtest({ cwd: r.dir });
    const e = entries.find((x) => x.sha === last)!;
    assert.equal(e.inputs.fixesWindow, 0, 'the ten fixes of the changelog, the workflow and the test are not the new module\'s');
    assert.equal(e.inputs.fileCommitsWindow, 0);
    assert.equal(e.inputs.docLinesAdded, 11);
    // The same for a pull request in `analyze`: the new module's (empty) history speaks for the change.
    const cs = await analyzeChangeSet({ repo: r.dir, base: base.trim(), head: last });
    const pr = cs.risk as { reasons: Array<{ code: string }> };
    assert.ok(!pr.reasons.some((x) => x.code === 'fixes' || x.code === 'hotspot'), JSON.stringify(pr.reasons));
    const workflow = cs.files.find((f) => f.path === '.github/workflows/ci.yml')!;
    assert.equal((workflow.history as { fixes: { window: number } }).fixes.window, 10, 'the workflow itself does have the fix history');
  });

  it('is attached to every hunk, file and the PR by analyze, riskiest where history says so', async () => {
    const demo = await createDemoRepo(join(mkdtempSync(join(tmpdir(), 'sr-risk-')), 'repo'));
    try {
      const cs = await analyzeChangeSet({ repo: demo.dir });
      const risk = (x: unknown) => (x as { risk: { score: number; level: string; reasons: Array<{ code: string; text: string }> } }).risk;
      for (const f of cs.files) {
        assert.ok(risk(f).score >= 0 && risk(f).score <= 100);
        for (const h of f.hunks) assert.ok(['low', 'medium', 'high', 'critical'].includes(risk(h).level));
      }
      const by = new Map(cs.files.map((f) => [f.path, risk(f).score]));
      assert.ok(by.get('src/billing/invoice.ts')! > by.get('src/billing/discounts.ts')!, 'the hotspot outranks the new file');
      assert.ok(by.get('test/discounts.test.ts')! < by.get('src/billing/discounts.ts')!, 'tests-only changes rank lowest');
      assert.ok(risk(cs).reasons.some((r) => r.code === 'ai-assisted'));
      // The hover lets the reviewer check the arithmetic of the per-line signals.
      const invoice = cs.files.find((f) => f.path === 'src/billing/invoice.ts')!;
      const hunk = invoice.hunks[invoice.hunks.length - 1];
      const factor = (hunk.risk as { perLineFactor: number }).perLineFactor;
      assert.ok(factor > 0.5 && factor < 1, String(factor));
      assert.match(hoverMarkdown(invoice, hunk, () => ''), new RegExp(`History, author and fix signals count ×${factor} for a change of this size`));
      const tests = cs.files.find((f) => f.path === 'test/discounts.test.ts')!;
      assert.match(hoverMarkdown(tests, tests.hunks[0], () => ''), /no code changed; not counted: 8 lines of tests[\s\S]*History, author and fix signals do not count: no program source changed here/);
      // The demo touches one hotspot (invoice.ts); the PR's reason says so without a count.
      assert.match(risk(cs).reasons.find((r) => r.code === 'hotspot')!.text, /^src\/billing\/invoice\.ts: hotspot #1 of \d+ source files: changed \d+ times? in the last 12 months$/);
    } finally {
      demo.cleanup();
    }
  });

  it('backtests without leakage: later commits never change an earlier score', async () => {
    const r = await tempRepo('2024-01-01T00:00:00Z');
    for (let k = 0; k < 12; k++) await r.commit({ message: k % 4 === 3 ? `fix: bug ${k}` : `work ${k}`, author: DEV, files: { 'src/core.ts': `v${k}\n`.repeat(k + 1) } });
    const before = await backtest({ cwd: r.dir });
    for (let k = 12; k < 20; k++) await r.commit({ message: `fix: later ${k}`, author: DEV, files: { 'src/core.ts': `w${k}\n` } });
    const after = await backtest({ cwd: r.dir });
    assert.equal(before.entries.length, 12);
    assert.deepEqual(after.entries.slice(0, 12).map((e) => [e.sha, e.risk.score]), before.entries.map((e) => [e.sha, e.risk.score]));
    const json = await cli(['backtest', '--repo', r.dir]);
    assert.equal(json.code, 0);
    const rows = JSON.parse(json.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(Object.keys(rows[0]), ['sha', 'score', 'level', 'reasons']);
    assert.match(json.stderr, /call-graph impact is not part of the backtest/);
  });

  it('labels the commit that introduced the lines a later fix changed (SZZ), and reverted ones', async () => {
    const r = await tempRepo('2024-01-01T00:00:00Z');
    await r.commit({ message: 'base', author: DEV, files: { 'src/a.ts': 'one\ntwo\nthree\n', 'src/b.ts': 'b\n' } });
    const culprit = await r.commit({ message: 'introduce a bug', author: DEV, files: { 'src/a.ts': 'one\nTWO buggy\nthree\n' } });
    const innocent = await r.commit({ message: 'unrelated work', author: DEV, files: { 'src/b.ts': 'b2\n' } });
    await r.commit({ message: 'fix: the bug in a', author: DEV, files: { 'src/a.ts': 'one\ntwo fixed\nthree\n' } });
    const reverted = await r.commit({ message: 'risky change', author: DEV, files: { 'src/b.ts': 'b3\n' } });
    await r.commit({ message: `Revert "risky change"\n\nThis reverts commit ${reverted}.`, author: DEV, files: { 'src/b.ts': 'b2\n' } });
    // A typo fixed in documentation is not a defect of the commit that wrote it.
    const docs = await r.commit({ message: 'write the guide', author: DEV, files: { 'docs/guide.md': 'Use teh API.\n' } });
    await r.commit({ message: 'fix: typo in the guide', author: DEV, files: { 'docs/guide.md': 'Use the API.\n' } });
    // Nor is a dependency bump that the next bump (titled as a fix, as bots do) rewrites.
    const bump = await r.commit({ message: 'chore(deps): update left-pad to 1.1.0', author: DEV, files: { 'package.json': '{\n  "left-pad": "1.1.0"\n}\n' } });
    await r.commit({ message: 'fix(deps): update left-pad to 1.2.0', author: DEV, files: { 'package.json': '{\n  "left-pad": "1.2.0"\n}\n' } });
    const { entries } = await backtest({ cwd: r.dir });
    const buggy = await szzLabels(entries, { cwd: r.dir });
    assert.ok(!buggy.has(docs));
    assert.ok(!buggy.has(bump));
    assert.ok(buggy.has(culprit));
    assert.ok(buggy.has(reverted));
    assert.ok(!buggy.has(innocent));
  });

  it('evaluates a window against its SZZ labels from the command line, and refuses a window without defects', async () => {
    const r = await tempRepo('2024-01-01T00:00:00Z');
    await r.commit({ message: 'base', author: DEV, files: { 'src/a.ts': 'export const a = 0;\n' } });
    // Eight feature commits, each adding its own file; the big ones are fixed later.
    const shas: string[] = [];
    for (let k = 0; k < 8; k++) shas.push(await r.commit({ message: `feature ${k}`, author: DEV, files: { [`src/f${k}.ts`]: `export const v${k} = ${k};\n`.repeat(1 + (k % 4) * 5) } }));
    const dates = (await r.git('log', '--reverse', '--format=%cI')).trim().split('\n');
    for (const k of [3, 7]) await r.commit({ message: `fix: f${k}`, author: DEV, files: { [`src/f${k}.ts`]: `export const v${k} = -1;\n` } });
    const json = await cli(['evaluate', '--repo', r.dir, '--since', dates[1], '--until', dates[8], '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const e = JSON.parse(json.stdout) as { commits: number; defectInducing: number; auc: { risk: number; linesAdded: number; gain: number; gainInterval: [number, number] }; gating: Array<{ top: number; gated: number; caught: number }> };
    assert.equal(e.commits, 8);
    assert.equal(e.defectInducing, 2, 'the two fixed commits');
    assert.equal(e.auc.linesAdded, 1, 'the fixed commits are the two largest');
    assert.ok(Math.abs(e.auc.gain - (e.auc.risk - e.auc.linesAdded)) < 0.002);
    assert.ok(e.auc.gainInterval[0] <= e.auc.gain && e.auc.gain <= e.auc.gainInterval[1], JSON.stringify(e.auc));
    // The gating curve: gating the top half by score (4 of 8) catches both defect-inducing commits.
    assert.deepEqual(e.gating.map((g) => g.top), [5, 10, 20, 50]);
    assert.deepEqual(e.gating[3], { top: 50, gated: 50, caught: 1 });
    assert.ok(e.gating.every((g, k) => g.gated <= g.top && (k === 0 || g.caught >= e.gating[k - 1].caught)), JSON.stringify(e.gating));
    const md = await cli(['evaluate', '--repo', r.dir, '--since', dates[1], '--until', dates[8]]);
    assert.match(md.stdout, /\| 8 \| 2 \| [\d.]+ \| 1 \| -?[\d.]+ \(-?[\d.]+ – -?[\d.]+\) \|/);
    assert.match(md.stdout, /\| top 50% \| 50% \| 100% \|/);
    const empty = await cli(['evaluate', '--repo', r.dir, '--since', dates[1], '--until', dates[2]]);
    assert.equal(empty.code, 1);
    assert.match(empty.stderr, /^senior-review evaluate: the window has 2 commits, 0 of them defect-inducing: AUC needs at least one of each/m);
    assert.doesNotMatch(empty.stderr, /\n\s+at /, 'no stack trace');
  });

  it('computes AUC and Recall@20%Effort as defined', () => {
    assert.equal(rocAuc([1, 2, 3, 4], [false, false, true, true]), 1);
    assert.equal(rocAuc([4, 3, 2, 1], [false, false, true, true]), 0);
    assert.equal(rocAuc([1, 1, 1, 1], [false, true, false, true]), 0.5);
    assert.equal(rocAuc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]), 0.75);
    // effort 10 each (total 100): 20% allows two changes.
    const effort = Array(10).fill(10);
    const labels = [true, false, false, false, false, false, false, false, false, true];
    assert.equal(recallAtEffort(rankBy([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]), effort, labels), 0.5);
    assert.equal(recallAtEffort(rankBy([10, 0, 0, 0, 0, 0, 0, 0, 0, 9]), effort, labels), 1);
    assert.deepEqual(rankBy([3, 1, 2], true), [1, 2, 0]);
    // Paired bootstrap: equal rankings differ by exactly nothing; a perfect one against a useless
    // one has an interval well above zero that holds the point estimate; and it is reproducible.
    const y = Array.from({ length: 60 }, (_, k) => k % 3 === 0);
    const perfect = y.map((l) => (l ? 1 : 0));
    const useless = y.map((_, k) => (k * 7919) % 13);
    assert.deepEqual(aucGainInterval(perfect, perfect, y), [0, 0]);
    const [lo, hi] = aucGainInterval(perfect, useless, y);
    const gain = rocAuc(perfect, y) - rocAuc(useless, y);
    assert.ok(lo > 0.2 && lo <= gain && gain <= hi, `${lo} ${gain} ${hi}`);
    assert.deepEqual(aucGainInterval(perfect, useless, y), [lo, hi]);
  });
});
