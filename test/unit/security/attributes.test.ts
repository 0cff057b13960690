// A head's .gitattributes is data: git reads the attributes of the work tree it runs in, and a
// reviewer often has the head checked out, so every diff of the review runs where no work tree's
// attributes apply. Otherwise `-diff` turned the head's sources into "binary, 0 hunks".
import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { analyzeChangeSet } from '../../../src/core/analysis/analyze';
import { hotspotReport } from '../../../src/core/history/hotspotReport';
import { levelsReport } from '../../../src/core/risk/levelsReport';
import { backtest } from '../../../src/core/risk/backtest';
import { szzLabels } from '../../../src/core/risk/evaluation/szz';
import { cleanupRepos, tempRepo } from '../../helpers/repos';

describe("security: the head's .gitattributes", function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it('cannot hide the changed sources as binary, whatever is checked out', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'src/a.ts': 'export function f(): number {\n  return 1;\n}\n' } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'hide', files: { 'src/a.ts': 'export function f(): number {\n  return 2;\n}\n', '.gitattributes': '*.ts -diff\n*.ts binary\n' } });
    const shown = async () => {
      const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: false, cache: false });
      return cs.files.map((f) => [f.path, f.kind, f.hunks.map((h) => h.lines.join('\n'))]);
    };
    const expected = [
      ['.gitattributes', 'text', ['+*.ts -diff\n+*.ts binary']],
      ['src/a.ts', 'text', [' export function f(): number {\n-  return 1;\n+  return 2;\n }']],
    ];
    assert.deepEqual(await shown(), expected, 'the head checked out');
    await r.checkout('main');
    assert.deepEqual(await shown(), expected, 'the base checked out');
  });

  it("cannot blank the base's history (line counts, hotspots) while the head is checked out", async () => {
    const r = await tempRepo();
    for (let i = 1; i <= 3; i++) await r.commit({ message: `fix: step ${i}`, files: { 'src/a.ts': `export function f(): number {\n${'  return 1;\n'.repeat(i)}}\n` } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'hide', files: { '.gitattributes': '* -diff\n' } });
    await r.commit({ message: 'change', files: { 'src/a.ts': 'export function f(): number {\n  return 2;\n}\n' } });
    const report = async () => JSON.stringify((await hotspotReport({ asOf: 'main', churn: true, cache: false }, { cwd: r.dir })).files);
    // The review's own history pass (analyze), as the reviewer sees it.
    const reviewed = async () => {
      const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', impact: false, cache: false });
      return JSON.stringify([cs.history, cs.files.find((f) => f.path === 'src/a.ts')!.history, cs.files.map((f) => f.risk)]);
    };
    // Timing fields aside.
    const levels = async () => JSON.stringify(await levelsReport({ base: 'main', gating: false, cache: false }, { cwd: r.dir }), (k, v: unknown) => (/ms$/i.test(k) ? undefined : v));
    const withHead = await report();
    const reviewWithHead = await reviewed();
    const levelsWithHead = await levels();
    await r.checkout('main');
    assert.equal(withHead, await report());
    assert.equal(reviewWithHead, await reviewed());
    assert.equal(levelsWithHead, await levels());
    assert.match(withHead, /"allTime":\{"added":5,"deleted":0\}/, 'three lines, then one more twice');
  });

  it("cannot blank the backtest's line counts or its SZZ labels while the head is checked out", async () => {
    const r = await tempRepo();
    await r.commit({ message: 'add f', files: { 'src/a.ts': 'export function f(n: number): number {\n  return n;\n}\n' } });
    await r.commit({ message: 'feat: scale f', files: { 'src/a.ts': 'export function f(n: number): number {\n  return n * 3;\n}\n' } });
    await r.commit({ message: 'fix: f scales by two', files: { 'src/a.ts': 'export function f(n: number): number {\n  return n * 2;\n}\n' } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'hide', files: { '.gitattributes': '* -diff\n' } });
    // The commands run on the checkout's HEAD; the history read is main's either way.
    const measured = async () => {
      const { entries } = await backtest({ cwd: r.dir }, { tip: 'main' });
      const labels = [...(await szzLabels(entries, { cwd: r.dir }))].map((sha) => entries.find((e) => e.sha === sha)!.subject);
      return { lines: entries.map((e) => [e.subject, e.linesAdded, e.linesDeleted]), labels };
    };
    const withHead = await measured();
    await r.checkout('main');
    const withBase = await measured();
    assert.deepEqual(withBase, {
      lines: [['add f', 3, 0], ['feat: scale f', 1, 1], ['fix: f scales by two', 1, 1]],
      labels: ['feat: scale f'],
    });
    assert.deepEqual(withHead, withBase);
  });

  it("scores a linked worktree's own HEAD, although the history is read in the shared git directory", async () => {
    const r = await tempRepo();
    for (let i = 1; i <= 3; i++) await r.commit({ message: `step ${i}`, files: { 'src/a.ts': `export const a = ${i};\n` } });
    const wt = join(r.dir, '..', `${basename(r.dir)}-wt`);
    await r.git('worktree', 'add', '--detach', wt, 'HEAD~1');
    try {
      const { entries } = await backtest({ cwd: wt });
      assert.deepEqual(entries.map((e) => e.subject), ['step 1', 'step 2']);
    } finally {
      await r.git('worktree', 'remove', '--force', wt);
    }
  });
});
