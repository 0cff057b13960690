// Line maps between base and head, checked against a hand-made file pair.
import assert from 'node:assert/strict';
import { parseDiffOutput } from '../../../src/core/review/changeSet';
import { addedLines, newToOld, oldToNew, removedLines } from '../../../src/core/review/lineMap';
import { computeChangeSet } from '../../../src/core/review/changeSet';
import { resolveRange } from '../../../src/core/review/resolveRange';
import { tempRepo, cleanupRepos } from '../../helpers/repos';

describe('line map', () => {
  after(cleanupRepos);

  it('maps every unchanged line both ways and nulls changed ones', async () => {
    const r = await tempRepo();
    const base = Array.from({ length: 40 }, (_, i) => `b${i + 1}`);
    await r.commit({ message: 'base', files: { 'f.txt': base.join('\n') + '\n' } });
    const head = [...base];
    head.splice(4, 2, 'new5', 'new6', 'new6b'); // base 5,6 replaced by 3 lines
    head.splice(20, 0, 'ins'); // pure insertion
    head.splice(35, 1); // deletion
    await r.commit({ message: 'head', files: { 'f.txt': head.join('\n') + '\n' } });
    const ctx = { cwd: r.dir };
    const cs = await computeChangeSet(r.dir, await resolveRange({ base: 'HEAD~1', head: 'HEAD' }, ctx), ctx);
    const hunks = cs.files[0].hunks;
    for (let n = 1; n <= head.length; n++) {
      const o = newToOld(hunks, n);
      if (head[n - 1].startsWith('b')) assert.equal(o, Number(head[n - 1].slice(1)), `head line ${n}`);
      else assert.equal(o, null, `head line ${n} is added`);
    }
    for (let o = 1; o <= base.length; o++) {
      const n = oldToNew(hunks, o);
      const idx = head.indexOf(`b${o}`);
      assert.equal(n, idx < 0 ? null : idx + 1, `base line ${o}`);
    }
    const added = hunks.flatMap(addedLines).map((n) => head[n - 1]);
    assert.deepEqual(added, ['new5', 'new6', 'new6b', 'ins']);
    assert.deepEqual(hunks.flatMap(removedLines), [5, 6, 34]); // head index 35 held b34 after the two edits above
    assert.ok(parseDiffOutput(Buffer.alloc(0)).length === 0);
  });
});
