// Ids that are also names on Object.prototype (`constructor`, `__proto__`, `toString`,
// `hasOwnProperty`) are ordinary ids: a checklist item called `constructor` must be ticked and
// noted like any other, a session never reports an item as checked because a prototype has it,
// and a file named `constructor` is an ordinary file to the history index.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isChecked, loadSession, newSession, noteOf, notesOf, saveSession, setNote, tick } from '../../../src/core/checklist/session';
import { cli, cleanupRepos, tempRepo } from '../../helpers/repos';
import { ALL_CHECKS, featureRepo } from '../../helpers/signoffRepo';

const HOSTILE = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

describe('ids that are Object.prototype names', () => {
  after(cleanupRepos);

  it('a checklist item called constructor is required, noted and approved like any other', async () => {
    const r = await featureRepo({ items: [{ id: 'constructor', title: 'Constructors stay cheap', requiresNote: true }] });
    const refused = await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--yes']);
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stderr, /^senior-review approve: cannot approve yet \(2 missing\): check "Constructors stay cheap" \(constructor\); write a note for "Constructors stay cheap" \(constructor\)/);
    const ok = await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--check', 'constructor', '--note', 'constructor=no work in constructors', '--yes']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /Senior-Review-Note: constructor: no work in constructors/);
    const v = await cli(['verify', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(v.code, 0, v.stderr);
  });

  it('a session keeps such ids as data and reports nothing it was not given', () => {
    const gitDir = mkdtempSync(join(tmpdir(), 'sr-session-'));
    try {
      const fresh = newSession('Rita <rita@example.com>', 'main', 'feature', 'a'.repeat(40));
      for (const id of HOSTILE) {
        assert.equal(fresh.checked[id], undefined, `a fresh session has no check for ${id}`);
        assert.equal(fresh.notes[id], undefined, `a fresh session has no note for ${id}`);
        assert.equal(isChecked(fresh, id), false, id);
        assert.equal(noteOf(fresh, id), null, id);
      }
      // The accessors answer from own entries even on a record that still has a prototype.
      assert.equal(isChecked({ ...fresh, checked: { security: true } }, 'constructor'), false);
      assert.equal(noteOf({ ...fresh, notes: { security: 'x' } }, 'toString'), null);
      for (const id of HOSTILE) {
        tick(fresh, id);
        setNote(fresh, id, `note on ${id}`);
      }
      saveSession(gitDir, fresh);
      const back = loadSession(gitDir, fresh.reviewer, 'main', 'feature', fresh.headCommit);
      for (const id of HOSTILE) {
        assert.equal(back.checked[id], true, id);
        assert.equal(back.notes[id], `note on ${id}`, id);
        assert.equal(isChecked(back, id), true, id);
        assert.equal(noteOf(back, id), `note on ${id}`, id);
      }
      assert.deepEqual(notesOf(back).map(([id]) => id).sort(), [...HOSTILE].sort());
      assert.deepEqual(Object.keys(back.notes).sort(), [...HOSTILE].sort());
    } finally {
      rmSync(gitDir, { recursive: true, force: true });
    }
  });

  it('files named constructor and __proto__ have a history', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { constructor: 'a\n', ['__proto__']: 'b\n', toString: 'c\n', 'src/hasOwnProperty': 'd\n' } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'change', files: { constructor: 'a2\n', ['__proto__']: 'b2\n', toString: 'c2\n', 'src/hasOwnProperty': 'd2\n' } });
    const a = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--no-impact']);
    assert.equal(a.code, 0, a.stderr);
    const out = JSON.parse(a.stdout) as { files: Array<{ path: string; history: { known: boolean; commits: { allTime: number } } }> };
    assert.deepEqual(out.files.map((f) => [f.path, f.history.commits.allTime]).sort(), [['__proto__', 1], ['constructor', 1], ['src/hasOwnProperty', 1], ['toString', 1]]);
    const h = await cli(['hotspots', '--repo', r.dir, '--as-of', 'main', '--format', 'json']);
    assert.equal(h.code, 0, h.stderr);
  });
});
