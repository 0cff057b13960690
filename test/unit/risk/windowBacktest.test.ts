// The window backtest rebuilt from the history index gives every commit of the window the same
// inputs and score as the full backtest walking the whole history (every commit, commit-time
// order), on a repository with the awkward parts: renames before and inside the window, a side
// branch merged with a merge commit, a rebased series sharing one commit second, one person under
// two emails, fixes and reverts, excluded lockfiles, a binary file; and after the base moved (the
// index extended) as after a cold build.
import assert from 'node:assert/strict';
import { backtest } from '../../../src/core/risk/backtest';
import { windowBacktest, CommitFactsCache } from '../../../src/core/risk/windowBacktest';
import { loadHistory } from '../../../src/core/history/historyStore';
import { historyOptions, monthsAgo } from '../../../src/core/history/historyOptions';
import { peopleOfIndex } from '../../../src/core/history/identities';
import { commitOrder } from '../../../src/core/risk/commitOrder';
import { Person, RepoBuilder } from '../../../src/demo/repoBuilder';
import { tempRepo, cleanupRepos } from '../../helpers/repos';

const ANN: Person = { name: 'Ann Author', email: 'ann@example.com' };
const ANN_LAPTOP: Person = { name: 'Ann Author', email: 'ann@laptop.example' };
const BEN: Person = { name: 'ben', email: 'ben@example.com' };
const CY: Person = { name: 'Cy Contributor', email: 'cy@example.com' };

const code = (tag: string, n = 6) => 'export function f() {\n' + Array.from({ length: n }, (_, i) => `  const v${i} = '${tag} ${i}';`).join('\n') + '\n}\n';

async function build(r: RepoBuilder): Promise<void> {
  // Before the window: the files' older history.
  await r.commit({ message: 'start', author: ANN, files: { 'src/core.ts': code('a'), 'src/util.ts': code('u'), 'lib/old.ts': code('o'), 'package-lock.json': '{}\n', 'logo.png': Buffer.from([0, 1, 2]) } });
  for (let k = 0; k < 4; k++) await r.commit({ message: k % 2 ? `fix: core bug ${k}` : `core work ${k}`, author: k % 2 ? BEN : ANN, files: { 'src/core.ts': code(`c${k}`, 6 + k), 'package-lock.json': `{"v":${k}}\n` } });
  await r.commit({ message: 'move old', author: CY, renames: { 'lib/old.ts': 'lib/older.ts' } });
  r.setDate('2024-09-01T00:00:00Z');
  // In the window.
  await r.commit({ message: 'util work', author: ANN_LAPTOP, files: { 'src/util.ts': code('u2'), 'logo.png': Buffer.from([0, 1, 3]) } });
  await r.branch('side');
  await r.checkout('side');
  await r.commit({ message: 'side: core', author: CY, files: { 'src/core.ts': code('side', 9) } });
  await r.commit({ message: 'fix: side bug in util', author: CY, files: { 'src/util.ts': code('side u') } });
  await r.checkout('main');
  await r.commit({ message: 'main: rename util', author: ANN, renames: { 'src/util.ts': 'src/utils/index.ts' } });
  await r.git('merge', '--no-ff', '-q', '-m', 'Merge branch side', 'side');
  // A rebased series: three commits in the same second, parents first.
  const same = '2025-01-10T12:00:00Z';
  await r.commit({ message: 'series 1', author: BEN, date: same, files: { 'src/core.ts': code('s1', 10) } });
  await r.commit({ message: 'series 2', author: BEN, date: same, files: { 'src/core.ts': code('s2', 11), 'src/new.ts': code('n') } });
  await r.commit({ message: 'fix: series 3', author: BEN, date: same, files: { 'src/new.ts': code('n2'), 'test/core.test.ts': 'test\n' } });
  const reverted = await r.commit({ message: 'risky', author: CY, files: { 'lib/older.ts': code('risky') } });
  await r.commit({ message: `Revert "risky"\n\nThis reverts commit ${reverted}.`, author: ANN_LAPTOP, files: { 'lib/older.ts': code('o') } });
  await r.commit({ message: 'lockfile only', author: ANN, files: { 'package-lock.json': '{"v":9}\n' } });
  await r.commit({ message: 'docs', author: ANN, files: { 'README.md': '# hi\n' } });
  await r.commit({ message: 'ai work\n\nAssisted-by: Claude', author: CY, files: { 'src/utils/index.ts': code('ai', 8) } });
}

async function both(r: RepoBuilder, base: string, facts: CommitFactsCache = {}) {
  const o = historyOptions();
  const ctx = { cwd: r.dir };
  const loaded = await loadHistory(base, o, ctx);
  const who = peopleOfIndex(loaded.index, null);
  const win = await windowBacktest({ index: loaded.index, baseTime: loaded.baseTime, who }, o, ctx, facts);
  const full = await backtest(ctx, { commits: 'all', tip: base, since: monthsAgo(loaded.baseTime, o.windowMonths) });
  return { win, full, loaded };
}

const view = (e: { sha: string; risk: { score: number }; inputs: object }) => ({ sha: e.sha, score: e.risk.score, inputs: e.inputs });

describe('window backtest from the history index', () => {
  after(cleanupRepos);

  it('scores each window commit exactly as the full backtest of every commit does', async () => {
    const r = await tempRepo('2023-06-01T00:00:00Z');
    await build(r);
    const base = (await r.git('rev-parse', 'HEAD')).trim();
    const { win, full } = await both(r, base);
    assert.equal(win.entries.length, 11, 'the 13 window commits less the merge and the lockfile-only commit');
    assert.deepEqual(win.entries.map(view), full.entries.map(view));
    // The fixture exercises what it claims: one person under two emails, renames followed, the series ordered.
    const byMsg = new Map(full.entries.map((e) => [e.subject, e]));
    assert.equal(byMsg.get('util work')!.inputs.authorFileCommits, 1, "Ann's laptop email counts her first commit to util.ts");
    assert.equal(byMsg.get('ai work')!.inputs.fileCommitsWindow, 3, 'the renamed util keeps its history: util work, the side branch fix, the rename');
    assert.equal(byMsg.get('series 2')!.inputs.fileCommitsWindow, 2, 'series 1 is before series 2 though both share one second');
    assert.equal(byMsg.get('ai work')!.inputs.aiAssistedShare, 1);
    assert.ok(!byMsg.has('lockfile only'));
  });

  it('gives the same scores after the base moved (index extended, facts cached) as on a cold index', async () => {
    const r = await tempRepo('2023-06-01T00:00:00Z');
    await build(r);
    const first = (await r.git('rev-parse', 'HEAD')).trim();
    const facts: CommitFactsCache = {};
    const before = await both(r, first, facts);
    assert.equal(before.win.walked, 13, 'a cold run walks every window commit, the merge and the lockfile-only one too');
    await r.commit({ message: 'fix: later core fix', author: CY, files: { 'src/core.ts': code('later', 12) } });
    await r.commit({ message: 'later util', author: ANN, files: { 'src/utils/index.ts': code('later u') } });
    const second = (await r.git('rev-parse', 'HEAD')).trim();
    const after = await both(r, second, facts);
    assert.equal(after.loaded.outcome, 'extended');
    assert.equal(after.win.walked, 2, 'only the two new commits are walked');
    assert.deepEqual(after.win.entries.map(view), after.full.entries.map(view));
  });

  it('orders commits by time, parents first within one second, then by id', () => {
    const c = (sha: string, time: number, parents: string[] = []) => ({ sha, time, parents });
    const ordered = commitOrder([c('d', 5, ['b']), c('b', 5, ['a']), c('a', 1), c('c', 5, ['a']), c('e', 3)]);
    assert.deepEqual(ordered.map((x) => x.sha), ['a', 'e', 'b', 'c', 'd']);
  });
});
