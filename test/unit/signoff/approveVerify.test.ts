// Approve and verify end to end through the CLI: refusals with the missing steps, both write
// modes without touching the work tree, tamper and rebase, self-approval, allowed reviewers.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { git } from '../../../src/core/git/runGit';
import { cli, cleanupRepos } from '../../helpers/repos';
import { featureRepo, handSignoff, ALL_CHECKS, AUTHOR, REVIEWER } from '../../helpers/signoffRepo';

describe('approve and verify', () => {
  after(cleanupRepos);

  it('refuses with the missing steps, then amends without touching the work tree', async () => {
    const r = await featureRepo();
    const refused = await cli(['approve', '--repo', r.dir, '--yes']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /cannot approve yet \(4 missing\): check "Fits the architecture" \(architecture\);/);
    writeFileSync(join(r.dir, 'src/b.ts'), 'uncommitted work\n');
    await r.git('add', 'src/b.ts');
    writeFileSync(join(r.dir, 'src/a.ts'), 'more uncommitted work\n');
    const indexBefore = await git(['diff', '--cached'], { cwd: r.dir });
    const statusBefore = await git(['status', '--porcelain'], { cwd: r.dir });
    const oldHead = (await r.git('rev-parse', 'HEAD')).trim();
    const dry = await cli(['approve', '--repo', r.dir, ...ALL_CHECKS]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /dry run: nothing written/);
    assert.equal((await r.git('rev-parse', 'HEAD')).trim(), oldHead);
    const ok = await cli(['approve', '--repo', r.dir, '--yes']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^Sign-off for feature \(amend: the head commit is on no remote-tracking branch\)/);
    const newHead = (await r.git('rev-parse', 'HEAD')).trim();
    assert.notEqual(newHead, oldHead);
    assert.equal((await r.git('rev-parse', `${newHead}^{tree}`)).trim(), (await r.git('rev-parse', `${oldHead}^{tree}`)).trim());
    assert.equal((await r.git('log', '-1', '--format=%an <%ae>|%ad')).trim(), `${AUTHOR.name} <${AUTHOR.email}>|${(await r.git('log', '-1', '--format=%ad', oldHead)).trim()}`);
    assert.equal((await r.git('rev-parse', `refs/senior-review/backup/feature/${oldHead}`)).trim(), oldHead);
    assert.equal(await git(['status', '--porcelain'], { cwd: r.dir }), statusBefore);
    assert.equal(await git(['diff', '--cached'], { cwd: r.dir }), indexBefore);
    assert.equal(readFileSync(join(r.dir, 'src/a.ts'), 'utf8'), 'more uncommitted work\n');
    const v = await cli(['verify', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /^valid: approved by Rita Reviewer <rita@example.com>/);
  });

  it('adds a sign-off commit when the head is already on a remote, and a rebase keeps it valid', async () => {
    const r = await featureRepo();
    await r.git('update-ref', 'refs/remotes/origin/feature', 'HEAD');
    const ok = await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--yes']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /\(commit: the head commit is already on a remote-tracking branch/);
    assert.equal((await r.git('log', '-1', '--format=%s|%an')).trim(), 'Senior review sign-off for feature|Rita Reviewer');
    assert.equal((await r.git('rev-parse', 'HEAD~1')).trim(), (await r.git('rev-parse', 'origin/feature')).trim());
    // main moves on elsewhere; the feature is rebased onto it with the same diff.
    await r.checkout('main');
    await r.commit({ message: 'unrelated', author: AUTHOR, files: { 'docs.md': 'docs\n' } });
    await r.checkout('feature');
    await r.git('rebase', '-q', 'main');
    const v = await cli(['verify', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--format', 'json']);
    assert.equal(v.code, 0, v.stdout);
    assert.equal(JSON.parse(v.stdout).status, 'valid');
  });

  it('reports a stale sign-off with the changed file', async () => {
    const r = await featureRepo();
    assert.equal((await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--yes'])).code, 0);
    await r.commit({ message: 'sneak in a change', author: AUTHOR, files: { 'src/b.ts': 'export const b = 4;\n' } });
    const v = await cli(['verify', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(v.code, 1);
    assert.equal(v.stderr.trim().split('\n').length, 1);
    assert.match(v.stderr, /^senior-review verify: stale: the diff changed since it was approved by Rita Reviewer <rita@example.com>: src\/b\.ts$/m);
  });

  it('refuses self-approval and reviewers outside the allowed list, in approve as in verify', async () => {
    const self = await featureRepo();
    await self.git('config', 'user.name', AUTHOR.name);
    await self.git('config', 'user.email', AUTHOR.email);
    const a1 = await cli(['approve', '--repo', self.dir, ...ALL_CHECKS, '--yes']);
    assert.equal(a1.code, 1);
    assert.match(a1.stderr, /^senior-review approve: cannot approve: Ada Author <ada@example.com> authored [0-9a-f]{12} \(Change a\) and 1 more commit in the range they approved\n$/);
    await handSignoff(self, AUTHOR);
    const v1 = await cli(['verify', '--repo', self.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(v1.code, 1);
    assert.match(v1.stderr, /^senior-review verify: self-approval: Ada Author <ada@example.com> authored [0-9a-f]{12} \(Change a\) and 1 more commit in the range they approved\n$/);

    const gated = await featureRepo({ allowedReviewers: ['boss@example.com'] });
    const a2 = await cli(['approve', '--repo', gated.dir, ...ALL_CHECKS, '--yes']);
    assert.equal(a2.code, 1);
    assert.match(a2.stderr, /cannot approve: Rita Reviewer <rita@example.com> is not in allowedReviewers/);
    await handSignoff(gated, REVIEWER);
    const v2 = await cli(['verify', '--repo', gated.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(v2.code, 1);
    assert.match(v2.stderr, /not-allowed: Rita Reviewer <rita@example.com> is not in allowedReviewers/);
    const none = await featureRepo();
    const v3 = await cli(['verify', '--repo', none.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(v3.code, 1);
    assert.match(v3.stderr, /^senior-review verify: missing: no sign-off in/);
  });

  it('records an override with its reason, refuses signed heads and non-tips, reads config from the base only', async () => {
    const r = await featureRepo({ items: [{ id: 'perf', title: 'Performance measured', requiresNote: true }] });
    const o = await cli(['approve', '--repo', r.dir, '--override', 'hotfix for outage INC-42\nReviewed-by: x <x@y.z>', '--yes']);
    assert.equal(o.code, 0, o.stderr);
    const trailers = await r.git('log', '-1', '--format=%(trailers:key=Senior-Review-Override,valueonly)%(trailers:key=Senior-Review-Outcome,valueonly)');
    assert.match(trailers, /^hotfix for outage INC-42 Reviewed-by: x <x@y.z> \(skipped: 6 steps\)\napproved-with-override/);

    // A head change that weakens the checklist has no effect: the base's file rules.
    const weak = await featureRepo({ items: [{ id: 'perf', title: 'Performance measured' }] });
    await weak.commit({ message: 'drop checks', author: AUTHOR, files: { '.senior-review.json': '{"extendsDefaults": false, "items": []}' } });
    const w = await cli(['approve', '--repo', weak.dir, '--yes']);
    assert.equal(w.code, 1);
    assert.match(w.stderr, /check "Performance measured" \(perf\)/);

    const detached = await featureRepo();
    await detached.git('checkout', '-q', '--detach', 'HEAD~1');
    const d = await cli(['approve', '--repo', detached.dir, '--head', 'HEAD', ...ALL_CHECKS, '--yes']);
    assert.equal(d.code, 1);
    assert.match(d.stderr, /head is not the tip of a local branch/);

    const bad = await featureRepo();
    await bad.checkout('main');
    await bad.commit({ message: 'bad config', author: AUTHOR, files: { '.senior-review.json': '{"writeMode": "sometimes"}' } });
    await bad.checkout('feature');
    const b = await cli(['checklist', '--repo', bad.dir]);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /^senior-review checklist: \.senior-review\.json at [0-9a-f]{12}: \/writeMode must be equal to one of the allowed values\n$/);
  });

  it('refuses to amend a signed head commit', async () => {
    const r = await featureRepo();
    // A commit object with a gpgsig header, written with git's plumbing (no key needed).
    const raw = await r.git('cat-file', 'commit', 'HEAD');
    const signed = raw.replace(/\ncommitter ([^\n]*)\n/, '\ncommitter $1\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n -----END PGP SIGNATURE-----\n');
    const oid = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: r.dir, input: signed, encoding: 'utf8' }).trim();
    await r.git('update-ref', 'refs/heads/feature', oid);
    const a = await cli(['approve', '--repo', r.dir, '--mode', 'amend', ...ALL_CHECKS, '--yes']);
    assert.equal(a.code, 1);
    assert.match(a.stderr, /the head commit is signed/);
    const c = await cli(['approve', '--repo', r.dir, '--mode', 'commit', '--yes']);
    assert.equal(c.code, 0, c.stderr);
    assert.equal((await r.git('rev-parse', 'HEAD~1')).trim(), oid);
    void REVIEWER;
  });
});
