// `senior-review hotspots` with its caches: the last report is answered again only for the same
// commit and settings, an index 10 commits behind is extended (also when the 12-month window drops
// commits), and every answer is the one a run without any cache prints.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RepoBuilder } from '../../../src/demo/repoBuilder';
import { hotspotReport } from '../../../src/core/history/hotspotReport';
import { historyOptions } from '../../../src/core/history/historyOptions';
import { cli, cleanupRepos, tempRepo } from '../../helpers/repos';

interface Report {
  cache: string;
  files: Array<{ path: string; commits: { window: number; allTime: number } }>;
}

/** The report without the fields that describe the run (cache outcome, time). */
const comparable = (stdout: string): unknown => JSON.parse(stdout, (k, v) => (k === 'ms' || k === 'cache' ? undefined : v));

/**
 * 15 commits from 2024-01-01 (one a day; old.ts only there), then 15 from 2025-01-05: at the head,
 * the 12-month window starts after the first block; ten commits earlier it still held a week of it.
 */
async function twoBlocks(): Promise<RepoBuilder> {
  const r = await tempRepo('2024-01-01T10:00:00Z');
  for (let i = 0; i < 30; i++) {
    if (i === 15) r.setDate('2025-01-04T10:00:00Z');
    const file = i < 15 ? 'src/old.ts' : `src/new${i % 3}.ts`;
    await r.commit({ message: i % 4 === 0 ? `fix: case ${i}` : `work ${i}`, files: { [file]: `export function f() {\n  if (x) {\n    return ${i};\n  }\n}\n`, 'src/both.ts': `export const b = ${i};\n  // ${i}\n` } });
  }
  return r;
}

describe('hotspots caches', () => {
  after(cleanupRepos);

  it('extends an index 10 commits behind when the window drops commits, as a run without cache does', async () => {
    const r = await twoBlocks();
    const head = (await r.git('rev-parse', 'HEAD')).trim();
    const behind = (await r.git('rev-parse', 'HEAD~10')).trim();
    const run = async (...extra: string[]) => {
      const c = await cli(['hotspots', '--repo', r.dir, '--format', 'json', ...extra]);
      assert.equal(c.code, 0, c.stderr);
      return c.stdout;
    };
    const before = JSON.parse(await run('--as-of', behind)) as Report;
    assert.equal(before.cache, 'cold');
    const moved = await run('--as-of', head);
    assert.equal((JSON.parse(moved) as Report).cache, 'extended');
    assert.deepEqual(comparable(moved), comparable(await run('--as-of', head, '--no-cache')));
    // The window moved past the first block: old.ts changed in it ten commits ago, not now.
    const old = (rep: Report) => rep.files.find((f) => f.path === 'src/old.ts')?.commits;
    assert.ok(old(before)!.window > 0, JSON.stringify(old(before)));
    assert.deepEqual(old(JSON.parse(moved) as Report), { window: 0, allTime: 15 });
  });

  it('answers the same commit and settings from the last report, and nothing else', async () => {
    const r = await twoBlocks();
    const traced = async (...extra: string[]) => {
      const c = await cli(['hotspots', '--repo', r.dir, '-v', ...extra]);
      assert.equal(c.code, 0, c.stderr);
      // Only a report computed anew lists the tree.
      return { stdout: c.stdout, computed: c.stderr.includes('git ls-tree'), warnings: c.stderr.split('\n').filter((l) => l.startsWith('[warn]')) };
    };
    const first = await traced();
    assert.equal(first.computed, true);
    const again = await traced();
    assert.deepEqual([again.computed, again.stdout], [false, first.stdout]);
    // Other settings, another limit or format: computed (from the warm index), equal to a run without cache.
    for (const extra of [['--window-months', '1'], ['--limit', '2'], ['--format', 'json'], ['--as-of', 'HEAD~1']]) {
      const other = await traced(...extra);
      assert.equal(other.computed, true, extra.join(' '));
      const uncached = (await cli(['hotspots', '--repo', r.dir, '--no-cache', ...extra])).stdout;
      if (extra[1] === 'json') assert.deepEqual(comparable(other.stdout), comparable(uncached));
      else assert.equal(other.stdout, uncached, extra.join(' '));
    }
    const windowed = (await traced('--window-months', '1')).stdout;
    assert.notEqual(windowed, first.stdout, 'the window is part of what the report depends on');
    // A damaged report is rebuilt with one warning, and the same table printed.
    const file = join(r.dir, '.git', 'senior-review', 'history', 'hotspots-v1.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { key: string; report: { files: unknown[] } };
    for (const damaged of ['{"key": ', JSON.stringify({ ...stored, report: { ...stored.report, files: [{ path: 'src/old.ts' }] } })]) {
      writeFileSync(file, damaged);
      const run = await traced('--window-months', '1');
      assert.equal(run.stdout, windowed);
      assert.equal(run.warnings.length, 1, run.warnings.join('\n'));
      assert.match(run.warnings[0], /^\[warn\] cache .*hotspots-v1\.json is damaged \(.*\): rebuilt$/);
      assert.equal((await traced('--window-months', '1')).computed, false, 'the rebuilt report is used');
    }
  });

  it('does not answer with a report cached before people were numbered from the sorted identities', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'a', files: { 'src/a.ts': 'export const a = 1;\n' }, author: { name: 'Zoe', email: 'zoe@example.com' } });
    await r.commit({ message: 'b', files: { 'src/a.ts': 'export const a = 2;\n' }, author: { name: 'Adam', email: 'adam@example.com' } });
    const ctx = { cwd: r.dir };
    const fresh = await hotspotReport({ asOf: 'HEAD' }, ctx);
    // The report as the previous format stored it: its key had no format number, and its people
    // were numbered by first appearance (Adam, the newest, was 0).
    const file = join(r.dir, '.git', 'senior-review', 'history', 'hotspots-v1.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { key: string; report: { files: Array<{ ownership: { authors: Array<{ person: number }> } }> } };
    const oldKey = createHash('sha256').update(JSON.stringify([fresh.commit, false, historyOptions(), null, null, false])).digest('hex');
    for (const a of stored.report.files[0].ownership.authors) a.person = 1 - a.person;
    writeFileSync(file, JSON.stringify({ key: oldKey, report: stored.report }));
    // Served from that cache, the people would come back swapped.
    assert.deepEqual((await hotspotReport({ asOf: 'HEAD' }, ctx)).files, fresh.files);
  });
});
