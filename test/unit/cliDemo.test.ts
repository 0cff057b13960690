// `senior-review demo --dir DIR` never deletes what is not its own: a folder with the user's files
// (or any other repository) is refused in one line and left byte for byte as it was; a previous
// demo is replaced, so `npm start` and the editor suites can run it again and again.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { git } from '../../src/core/git/runGit';
import { RepoBuilder } from '../../src/demo/repoBuilder';
import { DEMO_FEATURE_BRANCH } from '../../src/demo/demoRepo';
import { cli } from '../helpers/repos';

/** Every entry below `dir` with its type and content, to compare before and after. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const st = statSync(p, { throwIfNoEntry: false });
      if (st?.isDirectory()) {
        out.push(`${relative(dir, p)}/`);
        walk(p);
      } else out.push(`${relative(dir, p)} ${st ? readFileSync(p).toString('base64') : '(dangling)'}`);
    }
  };
  walk(dir);
  return out;
}

describe('cli demo', () => {
  const work = mkdtempSync(join(tmpdir(), 'sr-demo-dir-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('refuses a folder holding the user\'s files and touches nothing in it', async () => {
    const dir = join(work, 'mine');
    mkdirSync(join(dir, 'notes'), { recursive: true });
    writeFileSync(join(dir, 'thesis.tex'), 'five years of work\n');
    writeFileSync(join(dir, 'notes', 'todo.txt'), 'finish chapter 3\n');
    const before = snapshot(dir);
    const r = await cli(['demo', '--dir', dir]);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
    assert.match(r.stderr, /^senior-review demo: .*mine is not empty and is not a demo repository/);
    assert.deepEqual(snapshot(dir), before);
    assert.equal(r.stdout, '');
  });

  it('refuses another repository, a file and a broken link in its place', async () => {
    const other = await RepoBuilder.create({ dir: join(work, 'other') });
    await other.commit({ message: 'mine', files: { 'src/app.ts': 'export {};\n' } });
    const before = snapshot(other.dir);
    const head = (await other.git('rev-parse', 'HEAD')).trim();
    const r = await cli(['demo', '--dir', other.dir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /is not empty and is not a demo repository/);
    assert.deepEqual(snapshot(other.dir), before);
    assert.equal((await other.git('rev-parse', 'HEAD')).trim(), head);

    const file = join(work, 'a-file');
    writeFileSync(file, 'keep me\n');
    const f = await cli(['demo', '--dir', file]);
    assert.equal(f.code, 1);
    assert.match(f.stderr, /is not a folder/);
    assert.equal(readFileSync(file, 'utf8'), 'keep me\n');

    const link = join(work, 'dangling');
    symlinkSync(join(work, 'nowhere'), link);
    const l = await cli(['demo', '--dir', link]);
    assert.equal(l.code, 1);
    assert.match(l.stderr, /is not a folder/);
  });

  it('writes into an empty folder and replaces a previous demo', async () => {
    const dir = join(work, 'empty');
    mkdirSync(dir);
    const first = await cli(['demo', '--dir', dir]);
    assert.equal(first.code, 0, first.stderr);
    const head = (await git(['rev-parse', 'HEAD'], { cwd: dir })).trim();
    assert.equal((await git(['symbolic-ref', '--short', 'HEAD'], { cwd: dir })).trim(), DEMO_FEATURE_BRANCH);
    // What a session leaves in a demo: review state under .git, an edited file, an untracked one.
    writeFileSync(join(dir, 'README.md'), 'edited while trying the demo\n');
    writeFileSync(join(dir, 'scratch.txt'), 'untracked\n');
    mkdirSync(join(dir, '.git', 'senior-review', 'sessions'), { recursive: true });
    const again = await cli(['demo', '--dir', dir]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal((await git(['rev-parse', 'HEAD'], { cwd: dir })).trim(), head, 'the same reproducible demo');
    assert.deepEqual(readdirSync(dir).filter((n) => n === 'scratch.txt'), []);
    assert.equal(await git(['status', '--porcelain'], { cwd: dir }), '');
  });
});
