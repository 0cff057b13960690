// The whole-analysis cache: a warm run reads it, a moved base or other options make a new entry, a
// damaged entry (bad JSON, wrong shape, a folder in its place) is analysed again with one warning,
// the folder stays bounded; and the CLI's progress line on stderr (forced without a terminal).
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, cleanupRepos } from '../../helpers/repos';
import { RepoBuilder } from '../../../src/demo/repoBuilder';
import { MAX_ENTRIES, pruneAnalyses } from '../../../src/core/analysis/analysisCache';
import { fixtureProject } from './fixtureProject';

const analysis = (stdout: string) => (JSON.parse(stdout) as { timings: { analysis: string } }).timings.analysis;

describe('whole-analysis cache', function () {
  this.timeout(120_000);
  let r: RepoBuilder;
  let dir: string;
  const args = () => ['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--no-impact'];
  before(async () => {
    r = await fixtureProject();
    dir = join(r.dir, '.git', 'senior-review', 'analysis');
  });
  after(cleanupRepos);

  it('is read by the next run, and a new entry is made when the base moves or an option changes a number', async () => {
    const first = await cli(args());
    assert.equal(first.code, 0, first.stderr);
    assert.equal(analysis(first.stdout), 'cold');
    assert.equal(analysis((await cli(args())).stdout), 'warm');
    assert.equal(analysis((await cli([...args(), '--window-months', '6'])).stdout), 'cold');
    await r.commit({ message: 'main moves on', files: { 'docs/notes.md': 'more\n' } });
    const moved = await cli(args());
    assert.equal(analysis(moved.stdout), 'cold');
    assert.notEqual((JSON.parse(moved.stdout) as { baseCommit: string }).baseCommit, (JSON.parse(first.stdout) as { baseCommit: string }).baseCommit);
    assert.equal(readdirSync(dir).length, 3);
  });

  for (const [what, damage, why] of [
    ['not JSON', (f: string) => writeFileSync(f, '{"v":1,"key":'), 'not valid JSON'],
    ['of the wrong shape', (f: string) => writeFileSync(f, JSON.stringify({ v: 1, key: 'x', cs: { files: 'none' } })), 'not of the expected shape'],
    ['a folder', (f: string) => { rmSync(f); mkdirSync(join(f, 'inside'), { recursive: true }); }, 'a folder is in its place'],
  ] as const) {
    it(`analyses again, with one warning, when the entry is ${what}`, async () => {
      await cli(args());
      const newest = readdirSync(dir).map((n) => join(dir, n)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
      damage(newest);
      const run = await cli(args());
      assert.equal(run.code, 0, run.stderr);
      assert.equal(analysis(run.stdout), 'cold');
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, new RegExp(`^\\[warn\\] analysis cache .* is damaged \\(${why}\\): rebuilt$`, 'm'));
      assert.ok(statSync(newest).isFile(), 'written again');
      assert.equal(analysis((await cli(args())).stdout), 'warm');
    });
  }

  it('keeps at most the most recently used entries, and never the files of others', () => {
    const scratch = join(r.dir, '.git', 'prune-test');
    mkdirSync(scratch, { recursive: true });
    const name = (i: number) => `${'a'.repeat(12)}-${i.toString(16).padStart(24, '0')}.json`;
    for (let i = 0; i < MAX_ENTRIES + 6; i++) {
      const f = join(scratch, name(i));
      writeFileSync(f, '{}');
      utimesSync(f, new Date(1_700_000_000_000 + i * 1000), new Date(1_700_000_000_000 + i * 1000));
    }
    writeFileSync(join(scratch, 'notes.txt'), 'not ours');
    // The oldest is the one just written: it stays whatever its age.
    pruneAnalyses(scratch, join(scratch, name(0)));
    const left = readdirSync(scratch).sort();
    assert.equal(left.length, MAX_ENTRIES + 1);
    assert.ok(left.includes('notes.txt') && left.includes(name(0)) && left.includes(name(MAX_ENTRIES + 5)));
    assert.ok(!left.includes(name(1)) && !left.includes(name(6)) && left.includes(name(7)));
  });

  it('draws a progress line on stderr only on a terminal or with --progress', async () => {
    rmSync(dir, { recursive: true, force: true });
    const quiet = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stderr, '');
    rmSync(dir, { recursive: true, force: true });
    const shown = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--progress']);
    assert.equal(shown.code, 0, shown.stderr);
    const cs = JSON.parse(shown.stdout) as { stats: { files: number; hunks: number }; status: { impact: { total: number } } };
    // Code hunks only: documentation and data get no callers.
    assert.ok(cs.status.impact.total > 0 && cs.status.impact.total < cs.stats.hunks);
    const lines = shown.stderr.trim().split('\n');
    assert.ok(lines.includes(`changes ${cs.stats.files}/${cs.stats.files} files`), shown.stderr);
    assert.ok(lines.includes(`history ${cs.stats.files}/${cs.stats.files} files`), shown.stderr);
    assert.ok(lines.includes(`impact ${cs.status.impact.total}/${cs.status.impact.total} hunks`), shown.stderr);
    assert.ok(lines.every((l) => /^(changes|history|risk|impact) \d+\/\d+ \w+$/.test(l)), shown.stderr);
  });
});
