// History signals on hand-made repositories with exact expected figures: renames followed,
// .mailmap applied from the base, fixes and reverts, knowledge loss, AI-assisted lines, and the
// rule that head commits never change history figures.
import assert from 'node:assert/strict';
import { analyzeChangeSet } from '../../../src/core/analysis/analyze';
import { ChangedFile } from '../../../src/core/review/changeSetTypes';
import { FileHistory, HunkHistory, ChangeSetHistory } from '../../../src/core/history/historyTypes';
import { Person } from '../../../src/demo/repoBuilder';
import { tempRepo, cleanupRepos } from '../../helpers/repos';

const OLD: Person = { name: 'Olga Old', email: 'olga@example.com' };
const OLD_ALIAS: Person = { name: 'olga', email: 'olga@laptop.local' };
const NEW: Person = { name: 'Nina New', email: 'nina@example.com' };

function fh(f: ChangedFile): FileHistory {
  return f.history as FileHistory;
}
function hh(f: ChangedFile, i = 0): HunkHistory {
  return f.hunks[i].history as HunkHistory;
}

const body = (tag: string) => 'function f() {\n' + Array.from({ length: 10 }, (_, i) => `  line ${i} ${i === 5 ? tag : ''}`).join('\n') + '\n}\n';

describe('history signals', () => {
  after(cleanupRepos);

  it('follows renames, applies .mailmap from the base, counts fixes and reverts', async () => {
    const r = await tempRepo('2024-01-01T00:00:00Z');
    await r.commit({ message: 'create', author: OLD, files: { 'old/name.ts': body('a'), '.mailmap': 'Olga Old <olga@example.com> olga <olga@laptop.local>\n' } });
    await r.commit({ message: 'fix: off by one', author: OLD_ALIAS, files: { 'old/name.ts': body('b') } });
    await r.commit({ message: 'Move the module', author: NEW, renames: { 'old/name.ts': 'new/name.ts' } });
    await r.commit({ message: 'Revert "tweak"\n\nThis reverts commit 0123456789abcdef.', author: NEW, files: { 'new/name.ts': body('c') } });
    await r.commit({ message: 'unrelated bug-free work', author: NEW, files: { 'other.ts': 'x\n', 'package-lock.json': '{}\n' } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'change it', author: NEW, files: { 'new/name.ts': body('d') } });
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature' });
    const f = fh(cs.files[0]);
    assert.equal(f.path, 'new/name.ts');
    assert.deepEqual(f.commits, { window: 4, allTime: 4 });
    assert.deepEqual(f.fixes, { window: 2, allTime: 2, reverts: 1, share: 0.5, windowShare: 0.5 });
    assert.deepEqual(f.ownership.authors.map((a) => [a.name, a.commits]), [['Nina New', 2], ['Olga Old', 2]]);
    assert.equal(f.ownership.fragmentation, 0.5);
    assert.equal(f.age.created, '2024-01-02T00:00:00.000Z');
    assert.equal(f.age.lastChanged, '2024-01-05T00:00:00.000Z');
    assert.equal(f.hotspot.rank, 1);
    assert.equal(f.hotspot.isHotspot, true);
    // Only program source is ranked: the lockfile is excluded by default, .mailmap is no source.
    assert.equal((cs.history as ChangeSetHistory).filesRanked, 2);
  });

  it('measures knowledge loss from blame at the base and flags only AI-assisted range commits', async () => {
    const r = await tempRepo('2024-01-01T00:00:00Z');
    const lines = Array.from({ length: 20 }, (_, i) => `value ${i}`);
    await r.commit({ message: 'old work', author: OLD, files: { 'a.ts': lines.join('\n') + '\n' } });
    lines[10] = 'value 10 by nina';
    lines[11] = 'value 11 by nina';
    await r.commit({ message: 'new work', author: NEW, date: '2025-06-01T00:00:00Z', files: { 'a.ts': lines.join('\n') + '\n' } });
    await r.branch('feature');
    await r.checkout('feature');
    const head = [...lines];
    head[10] = 'changed by ai';
    await r.commit({ message: 'AI change\n\nCo-authored-by: GitHub Copilot <copilot@github.com>', author: NEW, files: { 'a.ts': head.join('\n') + '\n' } });
    head.splice(15, 0, 'added by a human');
    await r.commit({ message: 'human change\n\nCo-authored-by: Pat Person <pat@example.com>', author: NEW, files: { 'a.ts': head.join('\n') + '\n' } });
    head[0] = 'head only tweak';
    await r.commit({ message: 'fix: lots of head-only fixes', author: OLD, files: { 'a.ts': head.join('\n') + '\n' } });
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature' });
    const f = cs.files[0];
    // Head commits (a fix among them) never count: only the base's two commits do.
    assert.deepEqual(fh(f).commits, { window: 1, allTime: 2 });
    assert.equal(fh(f).fixes.allTime, 0);
    assert.equal(f.hunks.length, 2);
    // Hunk 1 (line 1): touched base lines 1-4, all by Olga, inactive since 2024-01-02 (> 6 months before 2025-06-01).
    assert.deepEqual(hh(f, 0).knowledgeLoss, {
      touchedLines: 4, inactiveLines: 4, share: 1,
      inactiveAuthors: [{ name: 'Olga Old', email: 'olga@example.com', lines: 4, lastCommit: '2024-01-02T00:00:00.000Z', monthsInactive: 17 }],
    });
    // Hunk 2 touches base lines 8-18: lines 11 and 12 are Nina's (active), the other 9 Olga's.
    const k = hh(f, 1).knowledgeLoss!;
    assert.equal(k.touchedLines, 11);
    assert.equal(k.inactiveLines, 9);
    assert.equal(k.share, 0.818);
    const ai = hh(f, 1).aiAssisted;
    assert.equal(ai.addedLines, 2);
    assert.equal(ai.lines, 1);
    assert.equal(ai.commits.length, 1);
    assert.deepEqual(ai.commits[0].markers, ['Co-authored-by: GitHub Copilot <copilot@github.com>']);
    assert.equal(hh(f, 0).aiAssisted.lines, 0);
    assert.equal((cs.history as ChangeSetHistory).aiAssistedLines, 1);
  });

  it('handles non-UTF-8 messages and paths and binary files', async () => {
    const r = await tempRepo('2020-01-01T00:00:00Z');
    await r.commit({ message: 'caf\xe9 latin1 message', files: { 'bin.dat': Buffer.from([0, 1, 2, 3]), 'na\xefve.txt': 'x\n' } });
    await r.git('config', 'i18n.commitEncoding', 'ISO-8859-1');
    await r.commit({ message: 'second', files: { 'bin.dat': Buffer.from([0, 1, 2, 4]) } });
    await r.branch('feature');
    await r.checkout('feature');
    r.setDate('2026-01-01T00:00:00Z');
    await r.commit({ message: 'change', files: { 'bin.dat': Buffer.from([9, 0, 9]), 'na\xefve.txt': 'y\n' } });
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature' });
    const bin = cs.files.find((f) => f.path === 'bin.dat')!;
    assert.deepEqual(fh(bin).commits, { window: 2, allTime: 2 });
    // A review shows no line churn (only the hotspot report's JSON counts it).
    assert.equal(fh(bin).churn, undefined);
    const txt = cs.files.find((f) => f.path === 'na\xefve.txt')!;
    assert.equal(fh(txt).commits.allTime, 1);
  });
});
