// "Changes since my last review" on real repositories: new commits, amend, a rebase onto a moved
// base, a force-push of a rewritten branch (after gc), edited, removed and renamed hunks, the
// CLI contract of `analyze --since-review`, the checklist asking only for what changed, sign-offs.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { openReview } from '../../../src/core/signoff/reviewContext';
import { visit, sessionFile, readSession } from '../../../src/core/loop/reviewSession';
import { saveSessionKeepingHeads } from '../../../src/core/loop/reviewedHeads';
import { hunkSideText, sinceLastReview } from '../../../src/core/loop/interdiff';
import { cli, cleanupRepos } from '../../helpers/repos';
import { AUTHOR, ALL_CHECKS } from '../../helpers/signoffRepo';
import { RITA, loopRepo, numbered } from '../../helpers/loopRepo';
import { RepoBuilder } from '../../../src/demo/repoBuilder';

/** The reviewer opens the review and visits every hunk (what the editor does hunk by hunk). */
async function reviewAll(r: RepoBuilder): Promise<string> {
  const rv = await openReview({ repo: r.dir, base: 'main', head: 'feature' });
  for (const f of rv.cs.files) for (const h of f.hunks) visit(rv.session, h.id);
  await saveSessionKeepingHeads(rv.gitDir, rv.session, rv.ctx);
  return rv.cs.headCommit;
}

async function since(r: RepoBuilder) {
  const rv = await openReview({ repo: r.dir, base: 'main', head: 'feature' });
  const s = await sinceLastReview(rv.cs, { reviewer: RITA, gitDir: rv.gitDir, ctx: rv.ctx });
  assert.ok(s, 'an earlier review exists');
  const state = (path: string, contains: string) => {
    const f = rv.cs.files.find((x) => x.path === path)!;
    const h = f.hunks.find((x) => x.lines.some((l) => l.includes(contains)))!;
    assert.ok(h, `a hunk of ${path} contains ${contains}`);
    return { ...s.hunks.get(h.id)!, hunk: h };
  };
  return { s, state, rv };
}

async function analyzeJson(r: RepoBuilder): Promise<any> {
  const out = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--no-history', '--since-review']);
  assert.equal(out.code, 0, out.stderr);
  return JSON.parse(out.stdout);
}

describe('since my last review (interdiff)', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it('says in one line that there is no earlier review, and exits 1', async () => {
    const r = await loopRepo();
    const out = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--no-history', '--since-review', '--reviewer', 'Nobody <nobody@example.com>']);
    assert.equal(out.code, 1);
    assert.equal(out.stdout, '');
    assert.match(out.stderr, /^senior-review analyze: no earlier review of main\.\.\.feature by Nobody <nobody@example\.com>: nothing to compare with\n$/);
  });

  it('re-opening the review in progress at the same head (a window reload) is not a last review: its visits stay visits', async () => {
    const r = await loopRepo();
    const rv = await openReview({ repo: r.dir, base: 'main', head: 'feature' });
    const first = rv.cs.files.flatMap((f) => f.hunks)[0];
    visit(rv.session, first.id);
    await saveSessionKeepingHeads(rv.gitDir, rv.session, rv.ctx);
    const again = await openReview({ repo: r.dir, base: 'main', head: 'feature' });
    assert.deepEqual(again.session.visited, [first.id]);
    assert.equal(await sinceLastReview(again.cs, { reviewer: RITA, gitDir: again.gitDir, ctx: again.ctx }), null);
    // The round of an earlier head still is one: after the author's commit the visit is history.
    await r.commit({ message: 'more', author: AUTHOR, files: { 'src/far.ts': numbered(5, { 3: 'feature three' }) } });
    const { s } = await since(r);
    assert.deepEqual([s.counts.unchanged, s.counts.new], [1, 3]);
  });

  it('a new commit: seen hunks stay unchanged, the added hunk is new (CLI contract)', async () => {
    const r = await loopRepo();
    const reviewed = await reviewAll(r);
    await r.commit({ message: 'more', author: AUTHOR, files: { 'src/far.ts': numbered(5, { 3: 'feature three' }) } });
    const j = await analyzeJson(r);
    assert.deepEqual(j.sinceReview, { reviewedHead: reviewed, unchanged: 3, changed: 0, new: 1, gone: 0 });
    const states = j.files.flatMap((f: any) => f.hunks.map((h: any) => `${f.path}:${h.reviewState}`));
    assert.deepEqual(states.sort(), ['src/big.ts:unchanged', 'src/big.ts:unchanged', 'src/far.ts:new', 'src/other.ts:unchanged']);
    const md = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--no-history', '--since-review', '--format', 'markdown']);
    assert.match(md.stdout, /## Since your last review/);
    assert.match(md.stdout, /- new src\/far\.ts `@@ -1,5 \+1,5 @@`/);
    assert.doesNotMatch(md.stdout, /\| src\/big\.ts \|/, 'files with only unchanged hunks are not listed');
  });

  it('amend: the edited hunk is changed, with the seen version readable from git', async () => {
    const r = await loopRepo();
    await reviewAll(r);
    r.writeFile('src/big.ts', numbered(60, { 10: 'feature ten, fixed', 50: 'feature fifty' }));
    await r.git('commit', '-q', '-a', '--amend', '--no-edit');
    const { s, state } = await since(r);
    assert.deepEqual(s.counts, { unchanged: 2, changed: 1, new: 0, gone: 0 });
    const ten = state('src/big.ts', 'feature ten');
    assert.equal(ten.state, 'changed');
    assert.equal(ten.previous.length, 1);
    assert.match(hunkSideText(ten.previous[0].hunk, 'head'), /^line 7\nline 8\nline 9\nfeature ten\nline 11/);
    assert.match(hunkSideText(ten.hunk, 'head'), /feature ten, fixed\n/);
    assert.equal(state('src/big.ts', 'feature fifty').state, 'unchanged');
  });

  it('a rebase onto a moved base keeps every hunk unchanged (lines above moved, another file changed)', async () => {
    const r = await loopRepo();
    await reviewAll(r);
    await r.checkout('main');
    await r.commit({ message: 'main moves', author: AUTHOR, files: { 'src/big.ts': `header 1\nheader 2\n${numbered(60)}`, 'README': 'hello\n' } });
    await r.checkout('feature');
    await r.git('rebase', '-q', 'main');
    const j = await analyzeJson(r);
    assert.equal(j.sinceReview.unchanged, 3);
    assert.deepEqual([j.sinceReview.changed, j.sinceReview.new, j.sinceReview.gone], [0, 0, 0]);
    // The checklist keeps the visits: nothing to visit again.
    const rv = await openReview({ repo: r.dir, base: 'main', head: 'feature' });
    assert.equal(rv.session.visited.length, 3);
    assert.deepEqual(rv.droppedVisits, []);
  });

  it('a force-pushed rewrite after gc: the reviewed head is kept, edits are changed, removed hunks gone', async () => {
    const r = await loopRepo();
    const reviewed = await reviewAll(r);
    await r.git('reset', '-q', '--hard', 'main');
    await r.commit({ message: 'rewritten', author: AUTHOR, files: { 'src/big.ts': numbered(60, { 11: 'rewritten eleven', 50: 'feature fifty' }) } });
    await r.git('reflog', 'expire', '--expire=now', '--all');
    await r.git('gc', '-q', '--prune=now');
    assert.equal((await r.git('cat-file', '-t', reviewed)).trim(), 'commit', 'the reviewed head survived gc');
    assert.match(await r.git('for-each-ref', '--format=%(refname)', 'refs/senior-review/reviewed/'), new RegExp(`/${reviewed}\n`));
    const { s, state } = await since(r);
    assert.equal(state('src/big.ts', 'rewritten eleven').state, 'changed');
    assert.equal(state('src/big.ts', 'feature fifty').state, 'unchanged');
    assert.deepEqual(s.counts, { unchanged: 1, changed: 1, new: 0, gone: 1 });
    assert.equal(s.gone[0].path, 'src/other.ts');
    assert.ok(s.gone[0].hunk.lines.includes('+feature five'), 'a gone hunk keeps its content');
  });

  it('a removed hunk is gone and a renamed file keeps its hunks unchanged', async () => {
    const r = await loopRepo();
    await reviewAll(r);
    await r.commit({ message: 'drop one, rename other', author: AUTHOR, renames: { 'src/other.ts': 'src/renamed.ts' }, files: { 'src/big.ts': numbered(60, { 10: 'feature ten' }) } });
    const { s, state } = await since(r);
    assert.equal(state('src/renamed.ts', 'feature five').state, 'unchanged');
    assert.equal(state('src/big.ts', 'feature ten').state, 'unchanged');
    assert.deepEqual(s.counts, { unchanged: 2, changed: 0, new: 0, gone: 1 });
    assert.ok(s.gone[0].hunk.lines.includes('+feature fifty'));
    const rv = await openReview({ repo: r.dir, base: 'main', head: 'feature' });
    assert.equal(rv.session.visited.length, 2, 'the renamed file\'s hunk stays visited');
  });

  it('the checklist asks again only for what changed', async () => {
    const r = await loopRepo();
    const cfg = JSON.stringify({ mustVisitRiskAtLeast: 'low' });
    await r.checkout('main');
    await r.commit({ message: 'config', author: AUTHOR, files: { '.senior-review.json': cfg } });
    await r.checkout('feature');
    await r.git('rebase', '-q', 'main');
    const before = JSON.parse((await cli(['checklist', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--format', 'json'])).stdout);
    assert.equal(before.mustVisit.length, 3);
    assert.equal(before.sinceReview, null);
    await reviewAll(r);
    await r.commit({ message: 'edit', author: AUTHOR, files: { 'src/other.ts': numbered(10, { 5: 'feature five!' }) } });
    const after = JSON.parse((await cli(['checklist', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--format', 'json'])).stdout);
    assert.deepEqual(after.mustVisit.map((h: any) => [h.path, h.visited]), [['src/other.ts', false]]);
    assert.deepEqual(after.sinceReview.changed, 1);
  });

  it('a sign-off counts as having seen every approved hunk, and its patch id is read from the trailers', async () => {
    const r = await loopRepo();
    const ok = await cli(['approve', '--repo', r.dir, '--base', 'main', '--head', 'feature', ...ALL_CHECKS, '--mode', 'commit', '--yes']);
    assert.equal(ok.code, 0, ok.stderr);
    const signoff = (await r.git('rev-parse', 'feature')).trim();
    const patchId = /Senior-Review-Patch-Id: (v2 [0-9a-f]{64})/.exec(await r.git('log', '-1', '--format=%B', signoff))![1];
    await r.commit({ message: 'more', author: AUTHOR, files: { 'src/far.ts': numbered(5, { 3: 'feature three' }) } });
    const { s } = await since(r);
    assert.deepEqual(s.signoff, { commit: signoff, approvedPatchId: patchId });
    assert.equal(s.reviewedHead, signoff);
    assert.deepEqual(s.counts, { unchanged: 3, changed: 0, new: 1, gone: 0 });
  });

  it('reads a version-1 session (before the loop) and keeps its visits', async () => {
    const r = await loopRepo();
    const rv = await openReview({ repo: r.dir, base: 'main', head: 'feature' });
    const ids = rv.cs.files.flatMap((f) => f.hunks.map((h) => h.id));
    writeFileSync(sessionFile(rv.gitDir, RITA, 'main', 'feature'), JSON.stringify({
      version: 1, reviewer: RITA, base: 'main', head: 'feature', headCommit: rv.cs.headCommit, checked: { security: true }, notes: {}, visited: ids, viewedFiles: [], updatedAt: '2025-01-01T00:00:00.000Z',
    }));
    const s = readSession(rv.gitDir, RITA, 'main', 'feature')!;
    assert.equal(s.version, 2);
    assert.deepEqual(s.visited, ids);
    await r.commit({ message: 'more', author: AUTHOR, files: { 'src/far.ts': numbered(5, { 3: 'feature three' }) } });
    const j = await analyzeJson(r);
    assert.deepEqual([j.sinceReview.unchanged, j.sinceReview.new], [3, 1]);
  });
});
