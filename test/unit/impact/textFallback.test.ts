// The text search that confirms plain-JavaScript callers: searched in the head's private analysis
// tree, it must give the hits the commit gives in the files that tree holds, in the commit's order.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grepCallers } from '../../../src/core/impact/textFallback';
import { privateTree } from '../../../src/core/impact/privateTree';
import { treeFileTypes } from '../../../src/core/impact/servers';
import { cleanupRepos, tempRepo } from '../../helpers/repos';

describe('grepCallers in a private tree', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it("finds what the commit's search finds in the tree's files, in the commit's path order, and cuts at the limit the same way", async () => {
    const r = await tempRepo();
    const calls = (n: number) => Array.from({ length: n }, (_, i) => `total(${i});`).join('\n') + '\n';
    // Paths whose order differs between a folder walk and git's byte order ("a-b/" < "a.js" < "a/"),
    // a tracked file that .gitignore names (committed before it), a symbolic link (neither search
    // reads it) and a file of a type the TypeScript tree leaves out.
    await r.commit({ message: 'base', files: { 'ignored.js': calls(1) } });
    const head = await r.commit({
      message: 'more',
      files: {
        '.gitignore': 'ignored.js\n',
        'a/b.js': calls(2),
        'a-b/x.js': calls(1),
        'a.js': calls(3),
        'a/b/c.ts': calls(1),
        'notes.md': calls(2),
        'data.json': '{ "total": 1 }\n',
        'link.js': { symlink: 'total.js' },
        'z/last.mjs': 'export const t = total;\n',
      },
    });
    const trees = mkdtempSync(join(tmpdir(), 'sr-grep-tree-'));
    try {
      const ctx = { cwd: r.dir };
      const where = (hits: Array<{ path: string; line: number }>) => hits.map((h) => `${h.path}:${h.line}`);
      const fromCommit = where(await grepCallers('total', head, [], ctx));
      assert.deepEqual(fromCommit, ['a-b/x.js:1', 'a.js:1', 'a.js:2', 'a.js:3', 'a/b.js:1', 'a/b.js:2', 'a/b/c.ts:1', 'data.json:1', 'ignored.js:1', 'notes.md:1', 'notes.md:2', 'z/last.mjs:1']);
      // Every file (a server of the reviewer's own), .gitignore included: the same hits.
      const all = await privateTree(head, join(trees, 'all'), ctx, null);
      assert.deepEqual(where(await grepCallers('total', head, [], ctx, 200, { tree: all.root })), fromCommit);
      // Sources, declarations and JSON only: the same hits in those files, in the same order.
      const ts = await privateTree(head, join(trees, 'ts'), ctx, treeFileTypes([]));
      const expected = fromCommit.filter((p) => !p.startsWith('notes.md'));
      assert.deepEqual(where(await grepCallers('total', head, [], ctx, 200, { tree: ts.root })), expected);
      // The limit keeps the first hits in that order; declarations are left out before it counts.
      assert.deepEqual(where(await grepCallers('total', head, [{ path: 'a-b/x.js', line: 1 }], ctx, 4, { tree: ts.root })), expected.slice(1, 5));
      assert.deepEqual(await grepCallers('absent', head, [], ctx, 200, { tree: ts.root }), []);
    } finally {
      rmSync(trees, { recursive: true, force: true });
    }
  });

  it("is not blinded by the .gitattributes of a head the reviewer has checked out", async () => {
    // `-diff` marks files binary, and `git grep -I` then skips them: run in the work tree, git read
    // the checkout's attributes, and a hostile head hid every caller of the text search and of the
    // CommonJS confirmation.
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'lib.py': 'def total(xs):\n    return sum(xs)\n', 'use.py': 'from lib import total\n\nprint(total([1]))\n' } });
    const head = await r.commit({ message: 'hostile', files: { '.gitattributes': '*.py -diff\n*.js -diff\n' } });
    assert.equal((await r.git('rev-parse', 'HEAD')).trim(), head, 'the head is checked out, its .gitattributes in the work tree');
    const hits = await grepCallers('total', head, [{ path: 'lib.py', line: 1 }], { cwd: r.dir });
    assert.deepEqual(hits.map((h) => `${h.path}:${h.line}`), ['use.py:1', 'use.py:3']);
  });
});
