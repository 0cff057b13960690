// Range resolution: default base candidates in order, detached HEAD, and the clear errors.
import assert from 'node:assert/strict';
import { resolveRange } from '../../../src/core/review/resolveRange';
import { GitError } from '../../../src/core/git/gitError';
import { tempRepo, cleanupRepos } from '../../helpers/repos';

describe('resolveRange', () => {
  after(cleanupRepos);

  it('prefers origin/HEAD, then main, then master', async () => {
    const r = await tempRepo();
    const c1 = await r.commit({ message: 'one', files: { 'a.txt': 'a\n' } });
    await r.branch('feature');
    await r.checkout('feature');
    const c2 = await r.commit({ message: 'two', files: { 'a.txt': 'b\n' } });
    let range = await resolveRange({}, { cwd: r.dir });
    assert.equal(range.base, 'main');
    assert.equal(range.mergeBase, c1);
    assert.equal(range.headCommit, c2);
    await r.git('update-ref', 'refs/remotes/origin/trunk', c2);
    await r.git('symbolic-ref', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/trunk');
    range = await resolveRange({}, { cwd: r.dir });
    assert.equal(range.base, 'origin/HEAD');
    assert.equal(range.mergeBase, c2);
    await r.git('symbolic-ref', '--delete', 'refs/remotes/origin/HEAD');
    await r.git('branch', '-m', 'main', 'master');
    range = await resolveRange({}, { cwd: r.dir });
    assert.equal(range.base, 'master');
  });

  it('works on a detached HEAD and explains missing bases', async () => {
    const r = await tempRepo();
    const c1 = await r.commit({ message: 'one', files: { 'a.txt': 'a\n' } });
    await r.commit({ message: 'two', files: { 'a.txt': 'b\n' } });
    await r.git('checkout', '-q', '--detach', 'HEAD');
    const range = await resolveRange({ base: c1 }, { cwd: r.dir });
    assert.equal(range.mergeBase, c1);
    await r.git('branch', '-m', 'main', 'trunk');
    await assert.rejects(resolveRange({}, { cwd: r.dir }), (e: GitError) => /no base branch found/.test(e.message));
    await assert.rejects(resolveRange({ base: 'nope' }, { cwd: r.dir }), (e: GitError) => e.message === "unknown base 'nope'");
  });

  it('refuses unrelated histories and empty repositories', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'one', files: { 'a.txt': 'a\n' } });
    await r.git('checkout', '-q', '--orphan', 'other');
    await r.commit({ message: 'unrelated', files: { 'b.txt': 'b\n' } });
    await assert.rejects(resolveRange({ base: 'main', head: 'other' }, { cwd: r.dir }), (e: GitError) => e.code === 'NoMergeBase');
    const empty = await tempRepo();
    await assert.rejects(resolveRange({}, { cwd: empty.dir }), /no commits yet/);
  });
});
