// The private tree the language server reads: made from git objects, never by a checkout; writes
// only files we create, only inside our own directory; regular files only, names as raw bytes;
// rebuilt when damaged; old `git worktree` trees of earlier versions migrated away.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeChangeSet } from '../../../src/core/analysis/analyze';
import { HunkImpact, ChangeSetImpact } from '../../../src/core/impact/impactTypes';
import { ChangeSet } from '../../../src/core/review/changeSetTypes';
import { privateTreeDir } from '../../../src/core/impact/privateTree';
import { cli, cleanupRepos, tempRepo } from '../../helpers/repos';
import { RepoBuilder } from '../../../src/demo/repoBuilder';

const LIB = "function total(xs) {\n  return xs.reduce((a, b) => a + b, 0);\n}\nmodule.exports = { total };\n";
const USE = "const { total } = require('./lib');\nfunction report(xs) {\n  return 'sum ' + total(xs);\n}\nmodule.exports = { report };\n";

function impactOf(cs: ChangeSet, path: string): HunkImpact {
  const f = cs.files.find((x) => x.path === path);
  assert.ok(f, `no change in ${path}`);
  return f.hunks[0].impact as HunkImpact;
}
const callerNames = (m: HunkImpact) => [...new Set(m.callers.map((c) => c.name))].sort();

/** Plain JavaScript without a project file; the head changes total(). */
async function jsRepo(headFiles: Record<string, Parameters<RepoBuilder['writeFile']>[1]> = {}): Promise<RepoBuilder> {
  const r = await tempRepo();
  await r.commit({ message: 'base', files: { 'lib.js': LIB, 'use.js': USE } });
  await r.branch('feature');
  await r.checkout('feature');
  await r.commit({ message: 'change', files: { 'lib.js': LIB.replace('0);', '0) || 0;'), ...headFiles } });
  await r.checkout('main');
  return r;
}

const analyze = (r: RepoBuilder, extra: Partial<Parameters<typeof analyzeChangeSet>[0]> = {}) =>
  analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false }, ...extra });

describe('security: the analysis tree', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  it('never writes through a symlinked jsconfig.json of the head into the git directory', async () => {
    const r = await jsRepo({ 'jsconfig.json': { symlink: '../../../shallow' } });
    const cs = await analyze(r);
    assert.equal(existsSync(join(r.dir, '.git', 'shallow')), false, '.git/shallow was written through the link');
    assert.equal((await r.git('rev-parse', '--is-shallow-repository')).trim(), 'false');
    assert.deepEqual(callerNames(impactOf(cs, 'lib.js')), ['report']);
    // Our temporary project file is a regular file in our tree, nowhere else.
    const tree = privateTreeDir(join(r.dir, '.git'), cs.headCommit);
    const ours = lstatSync(join(tree, 'jsconfig.json'));
    assert.ok(ours.isFile() && !ours.isSymbolicLink());
    assert.match(readFileSync(join(tree, 'jsconfig.json'), 'utf8'), /"allowJs":true/);
    assert.equal(existsSync(join(r.dir, 'jsconfig.json')), false, "the reviewer's checkout is not written");
  });

  it('materialises regular files only, with names as raw bytes, and says what it left out', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'lib.js': LIB, 'use.js': USE } });
    const sub = await tempRepo();
    await sub.commit({ message: 'sub', files: { 'x.txt': 'x\n' } });
    await r.branch('feature');
    await r.checkout('feature');
    // A file name that is not UTF-8, a symlink and a submodule entry in the head.
    writeFileSync(Buffer.concat([Buffer.from(join(r.dir, 'caf')), Buffer.from([0xe9]), Buffer.from('.js')]), "require('./lib');\n");
    await r.commit({ message: 'change', files: { 'lib.js': LIB.replace('0);', '0) || 0;'), 'link.js': { symlink: 'lib.js' } } });
    await r.git('update-index', '--add', '--cacheinfo', `160000,${(await sub.git('rev-parse', 'HEAD')).trim()},vendor/sub`);
    await r.git('commit', '-q', '-m', 'add a submodule');
    await r.checkout('main');
    const cs = await analyze(r);
    const tree = privateTreeDir(join(r.dir, '.git'), cs.headCommit);
    const names = readdirSync(tree, { encoding: 'buffer' }).map((b) => b.toString('hex'));
    assert.ok(names.includes(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x6a, 0x73]).toString('hex')), 'the non-UTF-8 name kept its bytes');
    assert.equal(existsSync(join(tree, 'link.js')), false, 'no symlink materialised');
    assert.equal(existsSync(join(tree, 'vendor', 'sub')), false);
    assert.deepEqual(callerNames(impactOf(cs, 'lib.js')), ['report']);
    assert.ok((cs.impact as ChangeSetImpact).notes.some((n) => /1 symbolic link and 1 submodule/.test(n)), JSON.stringify((cs.impact as ChangeSetImpact).notes));
  });

  it('writes only the file types a TypeScript server reads, and every file once the reviewer names a server of their own', async () => {
    const r = await jsRepo();
    await r.checkout('feature');
    await r.commit({ message: 'assets', files: { 'README.md': '# lib\n', 'logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]), 'styles.css': 'a {}\n', 'data.json': '{"n": 1}\n', '.npmrc': 'x=1\n' } });
    await r.commit({ message: 'change again', files: { 'lib.js': LIB.replace('0);', '0) || -0;') } });
    await r.checkout('main');
    const files = (cs: ChangeSet) => readdirSync(privateTreeDir(join(r.dir, '.git'), cs.headCommit)).sort();
    const ts = await analyze(r);
    assert.deepEqual(files(ts), ['data.json', 'jsconfig.json', 'lib.js', 'use.js']);
    assert.deepEqual(callerNames(impactOf(ts, 'lib.js')), ['report']);
    // A server for .py files (none changed, so it never starts) may read any file of its project.
    const python = [{ extensions: ['.py'], command: 'pylsp', languageId: 'python' }];
    const all = await analyze(r, { impact: { useCache: false, servers: python } });
    assert.deepEqual(files(all), ['.npmrc', 'README.md', 'data.json', 'jsconfig.json', 'lib.js', 'logo.png', 'styles.css', 'use.js']);
    // The tree with every file serves the TypeScript server as it is.
    assert.deepEqual(files(await analyze(r)), files(all));
    assert.deepEqual(callerNames(impactOf(all, 'lib.js')), ['report']);
  });

  it("never writes the head's .gitattributes, which could mark its sources binary and hide their callers from the text confirmation", async () => {
    // git reads attributes in the tree's folder (it lies inside the git directory): `-diff` makes
    // `git grep -I` skip every JavaScript file, and the CommonJS caller of total() was lost.
    const hostile = '*.js -diff\n*.ts -diff\n';
    const r = await jsRepo({ '.gitattributes': hostile, 'sub/.GitAttributes': hostile, 'sub/keep.js': 'module.exports = 1;\n' });
    const python = [{ extensions: ['.py'], command: 'pylsp', languageId: 'python' }];
    const cs = await analyze(r, { impact: { useCache: false, servers: python } });
    assert.deepEqual(callerNames(impactOf(cs, 'lib.js')), ['report']);
    const tree = privateTreeDir(join(r.dir, '.git'), cs.headCommit);
    assert.deepEqual([existsSync(join(tree, '.gitattributes')), readdirSync(join(tree, 'sub'))], [false, ['keep.js']]);
    assert.ok(existsSync(join(tree, 'use.js')), 'every other file is there');
  });

  it('rebuilds a damaged tree instead of answering 0 callers', async () => {
    const r = await jsRepo();
    const first = await analyze(r);
    assert.deepEqual(callerNames(impactOf(first, 'lib.js')), ['report']);
    const tree = privateTreeDir(join(r.dir, '.git'), first.headCommit);
    rmSync(join(tree, 'use.js'));
    writeFileSync(join(tree, 'lib.js'), '');
    const again = await analyze(r);
    assert.deepEqual(callerNames(impactOf(again, 'lib.js')), ['report']);
    assert.equal(readFileSync(join(tree, 'use.js'), 'utf8'), USE);
  });

  it('gives the same callers with the head checked out or not', async () => {
    const r = await jsRepo();
    const away = await analyze(r);
    await r.checkout('feature');
    // Untracked files in the checkout (a local project file) do not change what is analysed.
    writeFileSync(join(r.dir, 'jsconfig.json'), '{"files": ["lib.js"]}');
    const here = await analyze(r);
    assert.deepEqual(impactOf(here, 'lib.js').callers, impactOf(away, 'lib.js').callers);
    assert.equal(impactOf(here, 'lib.js').callers.length, 1);
  });

  it('migrates the git worktrees of earlier versions away and prunes only its own directories', async () => {
    const r = await jsRepo();
    const oldHead = (await r.git('rev-parse', 'feature~1')).trim();
    const legacy = join(r.dir, '.git', 'senior-review', 'worktrees', oldHead);
    await r.git('-c', 'core.hooksPath=/dev/null', 'worktree', 'add', '--detach', '--force', legacy, oldHead);
    assert.match(await r.git('worktree', 'list', '--porcelain'), /senior-review\/worktrees/);
    // Something that is not ours, reachable through a link planted in our trees folder.
    const precious = mkdtempSync(join(tmpdir(), 'sr-precious-'));
    writeFileSync(join(precious, 'keep.txt'), 'keep\n');
    const trees = join(r.dir, '.git', 'senior-review', 'trees');
    mkdirSync(trees, { recursive: true });
    symlinkSync(precious, join(trees, 'a'.repeat(40)));
    try {
      const cs = await analyze(r);
      assert.doesNotMatch(await r.git('worktree', 'list', '--porcelain'), /senior-review/);
      assert.equal(existsSync(legacy), false);
      assert.equal(readFileSync(join(precious, 'keep.txt'), 'utf8'), 'keep\n', 'pruning followed a link out of our folder');
      assert.ok(existsSync(privateTreeDir(join(r.dir, '.git'), cs.headCommit)));
      // The head moves: the next review's tree replaces the old one.
      await r.checkout('feature');
      await r.commit({ message: 'more', files: { 'lib.js': LIB.replace('0);', '1);') } });
      await r.checkout('main');
      const next = await analyze(r);
      assert.ok(existsSync(privateTreeDir(join(r.dir, '.git'), next.headCommit)));
      assert.equal(existsSync(privateTreeDir(join(r.dir, '.git'), cs.headCommit)), false);
    } finally {
      rmSync(precious, { recursive: true, force: true });
    }
  });

  it('analyze through the CLI leaves the git directory as it was outside its own folder', async () => {
    const r = await jsRepo({ 'jsconfig.json': { symlink: '../../../config' } });
    const config = readFileSync(join(r.dir, '.git', 'config'), 'utf8');
    const a = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(readFileSync(join(r.dir, '.git', 'config'), 'utf8'), config);
  });
});
