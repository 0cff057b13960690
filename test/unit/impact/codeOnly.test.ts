// Callers only for code (issue #16): documentation, data, configuration, snapshots and lockfiles get
// no text-search "callers"; the file types without a server are named once in the change set's
// notes and once in the Markdown report, not once per file.
import assert from 'node:assert/strict';
import { analyzeChangeSet } from '../../../src/core/analysis/analyze';
import { ChangeSetImpact, HunkImpact } from '../../../src/core/impact/impactTypes';
import { analyzeMarkdown } from '../../../src/cli/analyzeMarkdown';
import { cleanupRepos, tempRepo } from '../../helpers/repos';

const BASE: Record<string, string> = {
  'README.md': '# area\n\nCall `area(r)`.\n',
  'docs/guide.md': 'Use area() and volume().\n',
  'package.json': '{\n  "name": "area",\n  "version": "1.0.0"\n}\n',
  'pnpm-lock.yaml': "lockfileVersion: '9.0'\npackages:\n  area@1.0.0: {}\n",
  '.github/ci.yml': 'jobs:\n  area:\n    runs-on: linux\n',
  'test/__snapshots__/area.test.ts.snap': 'exports[`area 1`] = `3`;\n',
  'a.py': 'def area(r):\n    return 3 * r\n',
  'b.py': 'from a import area\n\nprint(area(2))\n',
};

describe('callers only for code', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  it('computes no callers for documentation, data, configuration, snapshots and lockfiles, and says so once', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: BASE });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({
      message: 'change',
      files: {
        'README.md': '# area\n\nCall `area(r)` with a radius.\n',
        'docs/guide.md': 'Use area(), volume() and area again.\n',
        'package.json': '{\n  "name": "area",\n  "version": "1.0.1"\n}\n',
        'pnpm-lock.yaml': "lockfileVersion: '9.0'\npackages:\n  area@1.0.1: {}\n",
        '.github/ci.yml': 'jobs:\n  area:\n    runs-on: linux-large\n',
        'test/__snapshots__/area.test.ts.snap': 'exports[`area 1`] = `3.14`;\n',
        'a.py': 'def area(r):\n    return 3.14 * r * r\n',
      },
    });
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false } });
    for (const f of cs.files) {
      const impacts = f.hunks.map((h) => h.impact as HunkImpact | undefined);
      if (f.path === 'a.py') assert.ok(impacts.every((m) => m?.source === 'text' && m.callers.some((c) => c.path === 'b.py')), 'code keeps its (labelled) text search');
      else assert.deepEqual(impacts, f.hunks.map(() => undefined), `${f.path} got callers`);
    }
    const pr = cs.impact as ChangeSetImpact;
    assert.deepEqual(pr.files, ['b.py']);
    assert.deepEqual(pr.notes, [
      'no language server for .py files: callers are an approximate text search (git grep)',
      'no language server for .json, .md, .snap, .yaml, .yml files: callers not computed',
    ]);
    const md = analyzeMarkdown(cs);
    assert.equal(md.split('no language server for').length - 1, 2, md);
    assert.equal(md.split('callers not computed').length - 1, 1, md);
    const lockRow = md.split('\n').find((l) => l.includes('pnpm-lock.yaml'));
    assert.ok(lockRow && !/approx/.test(lockRow), lockRow);
  });
});
