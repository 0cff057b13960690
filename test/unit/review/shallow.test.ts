// A shallow clone whose history is cut above the merge base: the one-line error says it is
// shallow and what to fetch, instead of "no common history" (which would be false).
import assert from 'node:assert/strict';
import { cli, cleanupRepos, tempRepo } from '../../helpers/repos';

describe('shallow clones', () => {
  after(cleanupRepos);

  it('say what to fetch when the merge base is not in the clone', async () => {
    const origin = await tempRepo();
    await origin.commit({ message: 'base', files: { 'a.txt': 'a\n' } });
    await origin.branch('feature');
    await origin.commit({ message: 'main moves on', files: { 'b.txt': 'b\n' } });
    await origin.checkout('feature');
    await origin.commit({ message: 'feature work', files: { 'a.txt': 'a2\n' } });
    const clone = await tempRepo();
    clone.cleanup();
    await origin.git('clone', '-q', '--depth', '1', '--no-single-branch', `file://${origin.dir}`, clone.dir);

    const r = await cli(['analyze', '--repo', clone.dir, '--base', 'origin/main', '--head', 'origin/feature', '--no-impact']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
    assert.match(r.stderr, /^senior-review analyze: 'origin\/main' and 'origin\/feature' have no common history in this shallow clone/);
    assert.match(r.stderr, /git fetch --unshallow/);
    assert.match(r.stderr, /git fetch --deepen=\d+ origin main feature/);

    // The advice works: after fetching the history, the same command succeeds.
    await origin.git('-C', clone.dir, 'fetch', '-q', '--unshallow');
    const again = await cli(['analyze', '--repo', clone.dir, '--base', 'origin/main', '--head', 'origin/feature', '--no-impact']);
    assert.equal(again.code, 0, again.stderr);
  });

  it('still call unrelated histories unrelated in a full clone', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'one', files: { 'a.txt': 'a\n' } });
    await r.git('checkout', '-q', '--orphan', 'other');
    await r.commit({ message: 'unrelated', files: { 'b.txt': 'b\n' } });
    const out = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'other', '--no-impact']);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /^senior-review analyze: 'main' and 'other' have no common history\n$/);
  });
  it('note partial history in a shallow clone, and never in a full clone of the same repository', async () => {
    const origin = await tempRepo();
    for (let i = 1; i <= 6; i++) await origin.commit({ message: `step ${i}`, files: { 'src/a.ts': `export const a = ${i};\n` } });
    const full = await tempRepo();
    full.cleanup();
    await origin.git('clone', '-q', `file://${origin.dir}`, full.dir);
    const shallow = await tempRepo();
    shallow.cleanup();
    await origin.git('clone', '-q', '--depth', '3', `file://${origin.dir}`, shallow.dir);
    const note = /partial \(shallow clone\)|shallow/i;
    for (const [dir, isShallow] of [[full.dir, false], [shallow.dir, true]] as const) {
      const md = await cli(['analyze', '--repo', dir, '--base', 'HEAD~1', '--head', 'HEAD', '--no-impact', '--format', 'markdown']);
      assert.equal(md.code, 0, md.stderr);
      const json = await cli(['analyze', '--repo', dir, '--base', 'HEAD~1', '--head', 'HEAD', '--no-impact']);
      const history = (JSON.parse(json.stdout) as { history: { shallow: boolean; partial: string[] } }).history;
      assert.equal(history.shallow, isShallow, dir);
      if (isShallow) assert.match(md.stdout, /partial \(shallow clone\): /);
      else {
        assert.doesNotMatch(md.stdout + md.stderr + json.stderr, note);
        assert.deepEqual(history.partial, []);
      }
    }
  });
});
