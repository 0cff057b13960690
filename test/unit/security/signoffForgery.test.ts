// Forged sign-offs: trailers are text anyone can write. The PR author writes a reviewer's trailers
// into their own commit; a reviewer signs off a range they wrote part of. verify refuses both.
import assert from 'node:assert/strict';
import { cli, cleanupRepos } from '../../helpers/repos';
import { featureRepo, handSignoff, trailersFor, userGit, AUTHOR, BOSS, ALL_CHECKS } from '../../helpers/signoffRepo';
import { RepoBuilder } from '../../../src/demo/repoBuilder';

async function verify(r: RepoBuilder): Promise<{ code: number; status: string; stderr: string }> {
  const text = await cli(['verify', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
  const json = await cli(['verify', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--format', 'json']);
  return { code: text.code, status: JSON.parse(json.stdout).status, stderr: text.stderr };
}

describe('security: forged sign-offs', () => {
  after(cleanupRepos);

  it('refuses trailers the author amended into their own commit (committer is not the reviewer)', async () => {
    const r = await featureRepo({ allowedReviewers: [BOSS.email] });
    const message = userGit(r.dir, ['log', '-1', '--format=%B']).trimEnd();
    const trailers = await trailersFor(r, BOSS);
    userGit(r.dir, ['commit', '--amend', '-q', '--allow-empty', '--no-verify', '--cleanup=verbatim', '-F', '-'], { input: `${message}\n\n${trailers}`, committer: AUTHOR });
    assert.match(userGit(r.dir, ['log', '-1', '--format=%(trailers:key=Reviewed-by,valueonly)']), /^Bo Boss <boss@example.com>$/m, 'the forged trailers are in place');
    const v = await verify(r);
    assert.equal(v.code, 1);
    assert.equal(v.status, 'committer-mismatch');
    assert.equal(v.stderr.trim().split('\n').length, 1);
    assert.match(v.stderr, /^senior-review verify: committer-mismatch: sign-off [0-9a-f]{12} was committed by Ada Author <ada@example.com>, not by the reviewer Bo Boss <boss@example.com>\n$/);
  });

  it('refuses a reviewer who authored any commit of the range, even beside other authors', async () => {
    const r = await featureRepo();
    await r.commit({ message: 'Boss helps out', author: BOSS, files: { 'src/c.ts': 'export const c = 1;\n' } });
    await handSignoff(r, BOSS);
    const v = await verify(r);
    assert.equal(v.code, 1);
    assert.equal(v.status, 'self-approval');
    assert.match(v.stderr, /^senior-review verify: self-approval: Bo Boss <boss@example.com> authored [0-9a-f]{12} \(Boss helps out\) in the range they approved\n$/);

    // approve refuses the same up front, with the same rule, and writes nothing.
    const again = await featureRepo();
    await again.commit({ message: 'Boss helps out', author: BOSS, files: { 'src/c.ts': 'export const c = 1;\n' } });
    const tip = userGit(again.dir, ['rev-parse', 'feature']);
    const a = await cli(['approve', '--repo', again.dir, '--reviewer', `${BOSS.name} <${BOSS.email}>`, ...ALL_CHECKS, '--yes']);
    assert.equal(a.code, 1);
    assert.match(a.stderr, /^senior-review approve: cannot approve: Bo Boss <boss@example.com> authored [0-9a-f]{12} \(Boss helps out\) in the range they approved\n$/);
    assert.equal(userGit(again.dir, ['rev-parse', 'feature']), tip);
  });

  it('counts a sign-off commit that changes content as authored by the reviewer', async () => {
    const r = await featureRepo();
    // The "sign-off" commit slips in a change of its own.
    r.writeFile('src/c.ts', 'export const c = 9;\n');
    userGit(r.dir, ['add', 'src/c.ts']);
    userGit(r.dir, ['commit', '-q', '--no-verify', '-m', 'Senior review sign-off for feature'], { committer: BOSS, author: BOSS });
    const trailers = await trailersFor(r, BOSS);
    userGit(r.dir, ['commit', '-q', '--amend', '--no-verify', '--cleanup=verbatim', '-F', '-'], { input: `Senior review sign-off for feature\n\n${trailers}`, committer: BOSS, author: BOSS });
    const v = await verify(r);
    assert.equal(v.code, 1);
    assert.equal(v.status, 'self-approval');
  });
});
