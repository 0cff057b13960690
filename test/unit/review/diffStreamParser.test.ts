// The streaming parser gives the same files whatever the chunk boundaries, including paths that
// contain "diff --git " and files whose content looks like patch headers.
import assert from 'node:assert/strict';
import { runGit } from '../../../src/core/git/runGit';
import { DIFF_ARGS, parseDiffOutput } from '../../../src/core/review/changeSet';
import { DiffStreamParser } from '../../../src/core/review/diffStreamParser';
import { tempRepo, cleanupRepos } from '../../helpers/repos';

describe('diff stream parser', () => {
  after(cleanupRepos);

  it('is independent of chunk boundaries', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'a.txt': 'x\n', 'diff --git a/b b/c': 'one\n', 'fake.patch': 'ctx\n' } });
    await r.commit({ message: 'head', files: {
      'a.txt': 'y\n', 'diff --git a/b b/c': 'two\n', 'fake.patch': 'ctx\ndiff --git a/x b/x\n@@ -1 +1 @@\n', 'new\nfile': 'n\n',
    } });
    const out = (await runGit(['diff', '--raw', '-z', '-p', ...DIFF_ARGS, 'HEAD~1', 'HEAD', '--'], { cwd: r.dir })).stdout;
    const whole = parseDiffOutput(out);
    assert.deepEqual(whole.map((f) => f.path).sort(), ['a.txt', 'diff --git a/b b/c', 'fake.patch', 'new\nfile']);
    assert.deepEqual(whole.find((f) => f.path === 'fake.patch')!.hunks[0].lines.slice(-2), ['+diff --git a/x b/x', '+@@ -1 +1 @@']);
    for (const size of [1, 2, 3, 7, 11, 12, 13, 64, 500]) {
      const p = new DiffStreamParser();
      for (let i = 0; i < out.length; i += size) p.push(out.subarray(i, i + size));
      assert.deepEqual(p.end(), whole, `chunk size ${size}`);
    }
  });
});
