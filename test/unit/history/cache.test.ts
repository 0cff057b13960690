// The persisted history index: warm reuse, incremental extension equal to a cold rebuild (renames
// included), rebuild after a history rewrite, concurrent writers, and shallow clones flagged partial.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadHistory } from '../../../src/core/history/historyStore';
import { countChurn } from '../../../src/core/history/churnCounter';
import { IndexData, NOT_COUNTED, shaAt } from '../../../src/core/history/historyIndex';
import { historyOptions } from '../../../src/core/history/historyOptions';
import { hotspotReport } from '../../../src/core/history/hotspotReport';
import { decodeIndex } from '../../../src/core/history/indexFormat';
import { RepoBuilder } from '../../../src/demo/repoBuilder';
import { silentLogger } from '../../../src/core/logger';
import { tempRepo, cleanupRepos } from '../../helpers/repos';

const o = historyOptions();

async function grow(r: RepoBuilder, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) {
    const files: Record<string, string> = { [`f${i % 5}.ts`]: `export const v = ${i};\n  indented ${i}\n` };
    if (i === 7) await r.commit({ message: `rename at ${i}`, renames: { 'f1.ts': 'moved/f1.ts' } });
    else await r.commit({ message: i % 3 === 0 ? `fix: bug ${i}` : `work ${i}`, files });
  }
}

/** Four commits indexed at their tip (`old`), then the last two rewritten into one other commit. */
async function rewrittenUnderCache(): Promise<{ r: RepoBuilder; ctx: { cwd: string }; old: string }> {
  const r = await tempRepo();
  await grow(r, 0, 4);
  const ctx = { cwd: r.dir };
  const old = (await r.git('rev-parse', 'HEAD')).trim();
  await loadHistory(old, o, ctx);
  await r.git('reset', '-q', '--hard', 'HEAD~2');
  await r.commit({ message: 'rewritten', files: { 'z.ts': 'z\n' } });
  return { r, ctx, old };
}

describe('history index cache', () => {
  after(cleanupRepos);

  it('is warm for the same base, extends for a newer one and equals a cold build', async () => {
    const r = await tempRepo();
    await grow(r, 0, 6);
    const ctx = { cwd: r.dir };
    const tip1 = (await r.git('rev-parse', 'HEAD')).trim();
    assert.equal((await loadHistory(tip1, o, ctx)).outcome, 'cold');
    assert.equal((await loadHistory(tip1, o, ctx)).outcome, 'warm');
    await grow(r, 6, 16);
    const tip2 = (await r.git('rev-parse', 'HEAD')).trim();
    const extended = await loadHistory(tip2, o, ctx);
    assert.equal(extended.outcome, 'extended');
    assert.equal(extended.commitsAdded, 10);
    const cold = await loadHistory(tip2, o, ctx, false);
    assert.equal(cold.outcome, 'cold');
    // The same records by commit id, line counts included: the extension counted its 10 commits
    // with numstat, the cold raw build counts them on demand.
    const paths = Object.keys(cold.index.files);
    assert.ok(paths.every((p) => cold.index.files[p][1] === NOT_COUNTED), 'a cold build leaves line counts to countChurn');
    assert.ok((await countChurn(cold.index, paths, ctx)) > 0);
    await countChurn(extended.index, paths, ctx);
    const bySha = (idx: IndexData) =>
      Object.fromEntries(Object.entries(idx.files).map(([k, v]) => {
        const recs: string[] = [];
        for (let i = 0; i < v.length; i += 3) recs.push(`${shaAt(idx, v[i])} +${v[i + 1]} -${v[i + 2]}`);
        return [k, recs.sort()];
      }).sort());
    assert.deepEqual(bySha(extended.index), bySha(cold.index));
    // Oracle: git's own numstat following the moved file.
    const follow = await r.git('log', '--follow', '--numstat', '--format=', '--', 'moved/f1.ts');
    const added = follow.trim().split('\n').reduce((s, l) => s + Number(l.split('\t')[0]), 0);
    const movedRecs = cold.index.files['moved/f1.ts'];
    let ours = 0;
    for (let i = 1; i < movedRecs.length; i += 3) ours += movedRecs[i];
    assert.equal(ours, added);
    assert.ok(extended.index.files['moved/f1.ts'].length / 3 >= 3, 'the moved file kept its history');
    // f1.ts was created again after the move (commit 11): a new file with a history of its own.
    assert.equal(extended.index.files['f1.ts'].length / 3, 1);
    const a = await hotspotReport({ asOf: tip2 }, ctx);
    const b = await hotspotReport({ asOf: tip2, cache: false }, ctx);
    assert.deepEqual(a.files, b.files);
  });

  it('numbers people the same in an extended index as in a cold build', async () => {
    const r = await tempRepo();
    const by = (name: string) => ({ name, email: `${name.toLowerCase()}@example.com` });
    await r.commit({ message: 'a', files: { 'a.ts': 'a\n' }, author: by('Alice') });
    await r.commit({ message: 'b', files: { 'a.ts': 'b\n' }, author: by('Bob') });
    const ctx = { cwd: r.dir };
    await hotspotReport({ asOf: 'HEAD' }, ctx);
    // A new author: last in the extended index's list, first in a cold build's (newest first).
    await r.commit({ message: 'c', files: { 'a.ts': 'c\n' }, author: by('Carol') });
    const extended = await hotspotReport({ asOf: 'HEAD' }, ctx);
    assert.equal(extended.cache, 'extended');
    const cold = await hotspotReport({ asOf: 'HEAD', cache: false }, ctx);
    assert.equal(cold.cache, 'cold');
    assert.deepEqual(extended.files[0].ownership.authors.map((a) => [a.name, a.person]), cold.files[0].ownership.authors.map((a) => [a.name, a.person]));
    assert.deepEqual(extended.files, cold.files);
  });

  it('names a person by the same identity in an extended index as in a cold build', async () => {
    const r = await tempRepo();
    // One person (one email) under two names, one commit each to the file: a tie for the name shown.
    await r.commit({ message: 'a', files: { 'a.ts': 'a\n' }, author: { name: 'Pixel', email: 'pixel@example.com' } });
    const ctx = { cwd: r.dir };
    await hotspotReport({ asOf: 'HEAD' }, ctx);
    await r.commit({ message: 'b', files: { 'a.ts': 'b\n' }, author: { name: 'Pixel998', email: 'pixel@example.com' } });
    const extended = await hotspotReport({ asOf: 'HEAD' }, ctx);
    assert.equal(extended.cache, 'extended');
    const cold = await hotspotReport({ asOf: 'HEAD', cache: false }, ctx);
    assert.deepEqual(cold.files[0].ownership.authors.map((a) => [a.name, a.commits]), [['Pixel', 2]]);
    assert.deepEqual(extended.files, cold.files);
  });

  it("counts a moved file's lines without those of a new file that took its old name", async () => {
    const r = await tempRepo();
    await r.commit({ message: 'a', files: { 'a.ts': 'one\ntwo\nthree\n' } });
    await r.commit({ message: 'grow a', files: { 'a.ts': 'one\ntwo\nthree\nfour\n' } });
    await r.commit({ message: 'move a', renames: { 'a.ts': 'lib/a.ts' } });
    // One commit changes the moved file and creates a new a.ts: git's fsck.c and builtin/fsck.c.
    await r.commit({ message: 'new a', files: { 'a.ts': '1\n2\n3\n4\n5\n', 'lib/a.ts': 'one\ntwo\nthree\nfour\nfive\nsix\n' } });
    const report = await hotspotReport({ asOf: 'HEAD', cache: false, churn: true }, { cwd: r.dir });
    const moved = report.files.find((f) => f.path === 'lib/a.ts')!;
    // Oracle: git's own numstat, following the move.
    const follow = (await r.git('log', '--follow', '--numstat', '--format=', '--', 'lib/a.ts')).trim().split('\n').filter(Boolean);
    const sum = (col: number) => follow.reduce((t, l) => t + Number(l.split('\t')[col]), 0);
    assert.deepEqual(moved.churn?.allTime, { added: sum(0), deleted: sum(1) });
    assert.equal(sum(0), 6);
    assert.deepEqual(report.files.find((f) => f.path === 'a.ts')?.churn?.allTime, { added: 5, deleted: 0 });
  });

  it('builds the index again when the .mailmap changed since it was built', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'a', files: { 'a.ts': 'a\n' }, author: { name: 'Ann', email: 'ann@old.example' } });
    const ctx = { cwd: r.dir };
    await hotspotReport({ asOf: 'HEAD' }, ctx);
    // The .mailmap now says the old address is Ann Proper's: every identity of the old index changes.
    await r.commit({ message: 'mailmap', files: { '.mailmap': 'Ann Proper <ann@new.example> <ann@old.example>\n', 'a.ts': 'b\n' }, author: { name: 'Ann Proper', email: 'ann@new.example' } });
    const again = await loadHistory((await r.git('rev-parse', 'HEAD')).trim(), o, ctx);
    assert.equal(again.outcome, 'cold');
    assert.deepEqual(again.index.authors, ['Ann Proper <ann@new.example>']);
    const cached = await hotspotReport({ asOf: 'HEAD' }, ctx);
    const cold = await hotspotReport({ asOf: 'HEAD', cache: false }, ctx);
    assert.deepEqual(cached.files, cold.files);
    assert.deepEqual(cold.files.find((f) => f.path === 'a.ts')?.ownership.authors.map((a) => [a.name, a.commits]), [['Ann Proper', 2]]);
  });

  it('extends without asking git whether the cached tip is an ancestor, also when a merge brought it in', async () => {
    const r = await tempRepo();
    await grow(r, 0, 4);
    await r.branch('side');
    await r.checkout('side');
    await r.commit({ message: 'side work', files: { 's.ts': 'export const s = 1;\n' } });
    const sideTip = (await r.git('rev-parse', 'HEAD')).trim();
    await r.checkout('main');
    await grow(r, 4, 8);
    const traces: string[] = [];
    const ctx = { cwd: r.dir, logger: { ...silentLogger, trace: (m: string) => traces.push(m) } };
    await loadHistory(sideTip, o, ctx);
    // The cached tip is the merge's second parent: only the merge commit names it.
    await r.git('merge', '-q', '--no-ff', '-m', 'merge side', 'side');
    const merged = (await r.git('rev-parse', 'HEAD')).trim();
    traces.length = 0;
    const extended = await loadHistory(merged, o, ctx);
    assert.equal(extended.outcome, 'extended');
    assert.equal(extended.commitsAdded, 5);
    assert.ok(traces.some((t) => /ls-tree/.test(t)), traces.join('\n'));
    assert.deepEqual(traces.filter((t) => /merge-base/.test(t)), []);
    const a = await hotspotReport({ asOf: merged }, { cwd: r.dir });
    const b = await hotspotReport({ asOf: merged, cache: false }, { cwd: r.dir });
    assert.deepEqual(a.files, b.files);
  });

  it('rebuilds when the cached tip was rewritten away', async () => {
    const { r, ctx } = await rewrittenUnderCache();
    const again = await loadHistory((await r.git('rev-parse', 'HEAD')).trim(), o, ctx);
    assert.equal(again.outcome, 'cold');
    assert.equal(again.index.commits.length / 3, 3);
  });

  it('rebuilds when the cached tip was rewritten away and pruned, so git no longer knows it', async () => {
    const { r, ctx, old } = await rewrittenUnderCache();
    await r.git('reflog', 'expire', '--expire=now', '--all');
    await r.git('gc', '-q', '--prune=now');
    assert.equal((await r.git('cat-file', '-t', old).catch(() => 'gone')).trim(), 'gone', 'the old tip is gone from the object store');
    const again = await loadHistory((await r.git('rev-parse', 'HEAD')).trim(), o, ctx);
    assert.equal(again.outcome, 'cold');
    assert.equal(again.index.commits.length / 3, 3);
  });

  it('rebuilds with one warning when the cached index of an older tip is damaged after its header', async () => {
    const r = await tempRepo();
    await grow(r, 0, 4);
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (m: string) => warnings.push(m) };
    const ctx = { cwd: r.dir, logger };
    await loadHistory((await r.git('rev-parse', 'HEAD')).trim(), o, ctx);
    const file = join(r.dir, '.git', 'senior-review', 'history', readdirSync(join(r.dir, '.git', 'senior-review', 'history')).find((n) => n.startsWith('history-index'))!);
    // The header (tip and settings) still reads, so the update's git work starts; the bulk does not.
    writeFileSync(file, readFileSync(file).subarray(0, -7));
    await grow(r, 4, 6);
    const tip = (await r.git('rev-parse', 'HEAD')).trim();
    const again = await loadHistory(tip, o, ctx);
    assert.equal(again.outcome, 'cold');
    assert.equal(again.index.commits.length / 3, 6);
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0], /is damaged \(truncated\): rebuilt/);
    assert.deepEqual(again.index.files, (await loadHistory(tip, o, { cwd: r.dir }, false)).index.files);
  });

  it('survives concurrent writers and leaves no temp files', async () => {
    const r = await tempRepo();
    await grow(r, 0, 8);
    const ctx = { cwd: r.dir };
    const tip = (await r.git('rev-parse', 'HEAD')).trim();
    const results = await Promise.all(Array.from({ length: 6 }, () => loadHistory(tip, o, ctx)));
    assert.ok(results.every((x) => x.index.commits.length === 24));
    const dir = join(r.dir, '.git', 'senior-review', 'history');
    const names = readdirSync(dir);
    assert.deepEqual(names.filter((n) => n.endsWith('.tmp')), []);
    const stored = decodeIndex(readFileSync(join(dir, 'history-index-v3.bin')));
    assert.equal(typeof stored === 'string' ? stored : stored.tip, tip);
    assert.equal((await loadHistory(tip, o, ctx)).outcome, 'warm');
  });

  it('flags signals of a shallow clone as partial', async () => {
    const r = await tempRepo();
    await grow(r, 0, 10);
    const clone = await tempRepo();
    clone.cleanup();
    await r.git('clone', '-q', '--depth', '3', `file://${r.dir}`, clone.dir);
    const rep = await hotspotReport({}, { cwd: clone.dir });
    assert.equal(rep.shallow, true);
    assert.equal(rep.commitsIndexed, 3);
    assert.ok(rep.files[0].partial.includes('commits.allTime'));
    assert.ok(rep.files[0].partial.includes('commits.window'), 'the window reaches past the shallow boundary');
  });

  it('explains an empty repository', async () => {
    const r = await tempRepo();
    await assert.rejects(hotspotReport({}, { cwd: r.dir }), /unknown as-of revision 'HEAD'/);
  });
});
