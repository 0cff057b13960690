// The change set on hand-made repositories: every file kind and status, odd paths, CRLF, missing
// final newlines, empty ranges and the too-large marker.
import assert from 'node:assert/strict';
import { computeChangeSet } from '../../../src/core/review/changeSet';
import { resolveRange } from '../../../src/core/review/resolveRange';
import { ChangeSet } from '../../../src/core/review/changeSetTypes';
import { RepoBuilder } from '../../../src/demo/repoBuilder';
import { tempRepo, cleanupRepos } from '../../helpers/repos';

async function diffOf(repo: RepoBuilder, base = 'HEAD~1', head = 'HEAD', limits?: { maxLinesPerFile: number; maxPatchBytesPerFile: number }): Promise<ChangeSet> {
  const ctx = { cwd: repo.dir };
  return computeChangeSet(repo.dir, await resolveRange({ base, head }, ctx), ctx, limits);
}

describe('change set', () => {
  after(cleanupRepos);

  it('keeps odd paths byte-exact and reports statuses, modes, symlinks and binaries', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: {
      'keep.txt': 'one\ntwo\nthree\nfour\nfive\nsix\n', 'gone.txt': 'bye\n', 'run.sh': 'echo hi\n', 'img.png': Buffer.from([0x89, 0x50, 0, 1, 2]),
      'old name.txt': 'a\nb\nc\nd\ne\nf\ng\nh\n',
    } });
    await r.commit({ message: 'head', renames: { 'old name.txt': 'dir/new "name"\n.txt' }, files: {
      'keep.txt': 'one\ntwo\nTHREE\nfour\nfive\nsix\n', 'gone.txt': null, 'run.sh': { content: 'echo hi\n', executable: true },
      'img.png': Buffer.from([0x89, 0x50, 0, 9, 9]), 'link': { symlink: 'keep.txt' }, 'ünï cödé.md': 'hallo\n',
    } });
    const cs = await diffOf(r);
    const by = new Map(cs.files.map((f) => [f.path, f]));
    assert.equal(by.get('keep.txt')?.status, 'modified');
    assert.deepEqual(by.get('keep.txt')?.hunks[0].lines, [' one', ' two', '-three', '+THREE', ' four', ' five', ' six']);
    assert.equal(by.get('gone.txt')?.status, 'deleted');
    assert.equal(by.get('gone.txt')?.newOid, null);
    const renamed = by.get('dir/new "name"\n.txt');
    assert.ok(renamed, `renamed path kept verbatim; got ${JSON.stringify([...by.keys()])}`);
    assert.equal(renamed.status, 'renamed');
    assert.equal(renamed.oldPath, 'old name.txt');
    assert.equal(renamed.similarity, 100);
    assert.deepEqual(renamed.hunks, []);
    assert.equal(by.get('run.sh')?.oldMode, '100644');
    assert.equal(by.get('run.sh')?.newMode, '100755');
    assert.equal(by.get('img.png')?.binary, true);
    assert.equal(by.get('img.png')?.kind, 'binary');
    assert.equal(by.get('link')?.kind, 'symlink');
    assert.equal(by.get('ünï cödé.md')?.status, 'added');
    assert.equal(cs.stats.files, 7);
  });

  it('keeps CR characters and the "no newline at end of file" marker', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'w.bat': 'a\r\nb\r\nc' } });
    await r.commit({ message: 'head', files: { 'w.bat': 'a\r\nB\r\nc\r\n' } });
    const [f] = (await diffOf(r)).files;
    assert.deepEqual(f.hunks[0].lines, [' a\r', '-b\r', '-c', '\\ No newline at end of file', '+B\r', '+c\r']);
    assert.equal(f.additions, 2);
    assert.equal(f.deletions, 2);
  });

  it('returns an empty change set when head equals base', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'only', files: { 'a.txt': 'a\n' } });
    const cs = await diffOf(r, 'HEAD', 'HEAD');
    assert.deepEqual(cs.files, []);
    assert.deepEqual(cs.stats, { files: 0, additions: 0, deletions: 0, hunks: 0 });
  });

  it('marks files past the limit as too large instead of parsing them', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'small.txt': 'x\n' } });
    const big = Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    await r.commit({ message: 'head', files: { 'big.txt': big, 'small.txt': 'y\n' } });
    const cs = await diffOf(r, 'HEAD~1', 'HEAD', { maxLinesPerFile: 1000, maxPatchBytesPerFile: 1 << 20 });
    const bigFile = cs.files.find((f) => f.path === 'big.txt')!;
    assert.equal(bigFile.tooLarge, true);
    assert.deepEqual(bigFile.hunks, []);
    assert.equal(bigFile.additions, 5000);
    assert.equal(cs.files.find((f) => f.path === 'small.txt')!.tooLarge, false);
  });

  it('reports a submodule pointer change as a submodule', async () => {
    const sub = await tempRepo();
    const c1 = await sub.commit({ message: 's1', files: { 's.txt': '1\n' } });
    const c2 = await sub.commit({ message: 's2', files: { 's.txt': '2\n' } });
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'a.txt': 'a\n' } });
    await r.git('update-index', '--add', '--cacheinfo', `160000,${c1},vendor/lib`);
    await r.git('commit', '-qm', 'add submodule');
    await r.git('update-index', '--cacheinfo', `160000,${c2},vendor/lib`);
    await r.git('commit', '-qm', 'bump submodule');
    const [f] = (await diffOf(r)).files;
    assert.equal(f.kind, 'submodule');
    assert.equal(f.oldOid, c1);
    assert.equal(f.newOid, c2);
  });

  it('gives a hunk the same id when its content is unchanged after the head moves', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'a.txt': Array.from({ length: 30 }, (_, i) => `l${i}`).join('\n') + '\n' } });
    await r.branch('base');
    const lines = Array.from({ length: 30 }, (_, i) => `l${i}`);
    lines[2] = 'first change';
    await r.commit({ message: 'one', files: { 'a.txt': lines.join('\n') + '\n' } });
    const before = await diffOf(r, 'base', 'HEAD');
    lines[25] = 'second change';
    await r.commit({ message: 'two', files: { 'a.txt': lines.join('\n') + '\n' } });
    const after = await diffOf(r, 'base', 'HEAD');
    assert.equal(after.files[0].hunks.length, 2);
    assert.equal(after.files[0].hunks[0].id, before.files[0].hunks[0].id);
    assert.notEqual(after.files[0].hunks[1].id, before.files[0].hunks[0].id);
  });
});
