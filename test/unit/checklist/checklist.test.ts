// Checklist conditions and review sessions: which items apply to which change, and sessions that
// survive a reload and keep visits only for hunks whose content is unchanged when the head moves.
import assert from 'node:assert/strict';
import { applicableItems, conditionHolds, mustVisitHunks } from '../../../src/core/checklist/evaluate';
import { ChangeSet } from '../../../src/core/review/changeSetTypes';
import { ChangeFacts, ChecklistItem } from '../../../src/core/checklist/checklistTypes';
import { parseConfig } from '../../../src/core/checklist/loadConfig';
import { DEFAULT_ITEMS } from '../../../src/core/checklist/defaultChecklist';
import { loadSession, reconcileSession, saveSession, tick, visit, setNote } from '../../../src/core/checklist/session';
import { openReview } from '../../../src/core/signoff/reviewContext';
import { cleanupRepos } from '../../helpers/repos';
import { featureRepo, AUTHOR } from '../../helpers/signoffRepo';

const facts = (f: Partial<ChangeFacts>): ChangeFacts => ({ riskLevel: null, riskScore: null, paths: [], aiAssistedLines: 0, hotspotsTouched: 0, fileCount: 1, callers: null, ...f });
const item = (when: ChecklistItem['when']): ChecklistItem => ({ id: 'x', title: 'x', help: '', required: true, requiresNote: false, when });

describe('checklist', () => {
  after(cleanupRepos);

  it('requires risky hunks, the riskiest hunk (by its final score) of every risky file, and of a risky PR', () => {
    const hunk = (id: string, level: string, score: number, comparableScore: number) => ({ id, header: `@@ ${id} @@`, lines: [], risk: { level, score, comparableScore } });
    const cs = {
      files: [
        // A high-risk file whose hunks are each low: its riskiest by the score that no longer moves (b, not c).
        { path: 'src/pay.ts', risk: { level: 'high', score: 60 }, hunks: [hunk('a', 'low', 10, 10), hunk('b', 'low', 25, 25), hunk('c', 'low', 40, 12)] },
        { path: 'src/ui.ts', risk: { level: 'medium', score: 35 }, hunks: [hunk('d', 'low', 20, 20)] },
        { path: 'src/db.ts', risk: { level: 'critical', score: 80 }, hunks: [hunk('e', 'high', 55, 55), hunk('f', 'high', 52, 52), hunk('g', 'low', 5, 5)] },
      ],
    } as unknown as ChangeSet;
    assert.deepEqual(mustVisitHunks(cs, 'high').map((h) => [h.id, h.level]), [['b', 'high'], ['e', 'high'], ['f', 'high']]);
    assert.deepEqual(mustVisitHunks(cs, 'critical').map((h) => [h.id, h.level]), [['e', 'critical']]);
    // A high PR whose files are all medium: its riskiest hunk (by the final score) is read, once.
    const moderate = {
      risk: { level: 'high', score: 54 },
      files: [
        { path: 'src/a.ts', risk: { level: 'medium', score: 45 }, hunks: [hunk('h', 'medium', 42, 42), hunk('i', 'medium', 36, 36)] },
        { path: 'src/b.ts', risk: { level: 'medium', score: 31 }, hunks: [hunk('j', 'medium', 50, 31)] },
      ],
    } as unknown as ChangeSet;
    assert.deepEqual(mustVisitHunks(moderate, 'high').map((h) => [h.id, h.level]), [['h', 'high']]);
    assert.deepEqual(mustVisitHunks(moderate, 'critical'), []);
  });

  it('evaluates every kind of condition', () => {
    assert.equal(conditionHolds(item({ riskAtLeast: 'high' }), facts({ riskLevel: 'medium' })), false);
    assert.equal(conditionHolds(item({ riskAtLeast: 'high' }), facts({ riskLevel: 'critical' })), true);
    assert.equal(conditionHolds(item({ riskAtLeast: 'low' }), facts({})), false, 'an unknown risk does not meet a risk condition');
    assert.equal(conditionHolds(item({ paths: ['db/migrations/**'] }), facts({ paths: ['db/migrations/001.sql'] })), true);
    assert.equal(conditionHolds(item({ paths: ['db/migrations/**'] }), facts({ paths: ['src/a.ts'] })), false);
    assert.equal(conditionHolds(item({ aiAssisted: true }), facts({ aiAssistedLines: 3 })), true);
    assert.equal(conditionHolds(item({ hotspotTouched: true }), facts({})), false);
    assert.equal(conditionHolds(item({ filesMoreThan: 20 }), facts({ fileCount: 21 })), true);
    assert.equal(conditionHolds(item({ filesMoreThan: 20, aiAssisted: true }), facts({ fileCount: 21 })), false, 'all conditions must hold');
    const ids = applicableItems(DEFAULT_ITEMS, facts({ aiAssistedLines: 1, paths: ['migrations/002.sql'] })).map((i) => i.id);
    assert.deepEqual(ids, ['architecture', 'side-effects', 'data', 'security', 'tests', 'ai-assisted']);
  });

  it('merges a configuration with the defaults and rejects an invalid one in one line', () => {
    const c = parseConfig(JSON.stringify({ items: [{ id: 'security', disabled: true }, { id: 'perf', title: 'Perf', requiresNote: true }], allowedReviewers: ['a@b.c'] }), 'test');
    assert.deepEqual(c.items.map((i) => i.id), ['architecture', 'side-effects', 'legacy', 'operations', 'data', 'tests', 'ai-assisted', 'blast-radius', 'perf']);
    assert.equal(c.items.find((i) => i.id === 'perf')!.required, true);
    assert.throws(() => parseConfig('{"items": [{"id": "Bad Id", "title": "x"}]}', 'cfg'), /^Error: cfg: \/items\/0\/id must match pattern/);
    assert.throws(() => parseConfig('{not json', 'cfg'), /cfg: not valid JSON/);
  });

  it('keeps a session across reloads and head moves, dropping visits of changed hunks', async () => {
    const r = await featureRepo();
    const first = await openReview({ repo: r.dir, base: 'main', head: 'feature' });
    const [hunkA, hunkB] = first.cs.files.map((f) => f.hunks[0].id);
    tick(first.session, 'security');
    setNote(first.session, 'security', 'checked input handling');
    visit(first.session, hunkA);
    visit(first.session, hunkB);
    saveSession(first.gitDir, first.session);
    const reloaded = loadSession(first.gitDir, first.reviewer, 'main', 'feature', first.cs.headCommit);
    assert.deepEqual(reloaded.visited, [hunkA, hunkB]);
    assert.equal(reloaded.notes.security, 'checked input handling');
    await r.commit({ message: 'rework b', author: AUTHOR, files: { 'src/b.ts': 'export const b = 5;\n' } });
    const second = await openReview({ repo: r.dir, base: 'main', head: 'feature' });
    assert.deepEqual(second.session.visited, [hunkA]);
    assert.deepEqual(second.droppedVisits, [hunkB]);
    assert.equal(second.session.checked.security, true);
    const { headMoved } = reconcileSession(reloaded, second.cs);
    assert.equal(headMoved, true);
  });
});
