// `senior-review push` against bare repositories on disk: a sign-off commit goes as a plain push, an
// amended head with a lease on the exact head it replaced; a remote that moved (before or during the
// push) is refused in one line and nothing is lost; the comments travel with it, atomically.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '../../../src/core/git/runGit';
import { RepoBuilder } from '../../../src/demo/repoBuilder';
import { PushRefused, executePush, planPush } from '../../../src/core/signoff/pushSignoff';
import { cli, cleanupRepos } from '../../helpers/repos';
import { ALL_CHECKS, AUTHOR, featureRepo } from '../../helpers/signoffRepo';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sr-push-'));
  dirs.push(d);
  return d;
}

/** The reviewer's clone and the remote it came from: feature pushed by its author, tracked locally. */
async function withRemote(): Promise<{ r: RepoBuilder; bare: string }> {
  const r = await featureRepo();
  const bare = join(tempDir(), 'origin.git');
  await RepoBuilder.create({ dir: bare, bare: true });
  await r.git('remote', 'add', 'origin', bare);
  await r.git('push', '-q', 'origin', 'main', 'feature');
  await r.git('branch', '-q', '--set-upstream-to=origin/feature', 'feature');
  return { r, bare };
}

/** The author, in a clone of their own, pushes one more commit to feature. */
async function authorPushes(bare: string, file = 'src/b.ts', content = 'export const b = 4;\n'): Promise<string> {
  const dir = join(tempDir(), 'author');
  await git(['clone', '-q', '--branch', 'feature', bare, dir], { cwd: tmpdir() });
  const a = await RepoBuilder.open(dir);
  const oid = await a.commit({ message: 'Author fix', author: AUTHOR, files: { [file]: content } });
  await a.git('push', '-q', 'origin', 'feature');
  return oid;
}

const remoteRef = async (bare: string, ref: string) => (await git(['rev-parse', '--verify', '--quiet', ref], { cwd: bare, okExitCodes: [1] })).trim();
const local = async (r: RepoBuilder, ref: string) => (await r.git('rev-parse', ref)).trim();

describe('push', function () {
  this.timeout(120_000);
  after(() => {
    cleanupRepos();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('pushes a sign-off commit plainly, leaves the work tree alone, and CI verifies a fresh clone', async () => {
    const { r, bare } = await withRemote();
    assert.equal((await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--yes'])).code, 0);
    const tip = await local(r, 'feature');
    writeFileSync(join(r.dir, 'src/a.ts'), 'work in progress\n');
    const status = await git(['status', '--porcelain'], { cwd: r.dir });
    const dry = await cli(['push', '--repo', r.dir, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`^would push ${tip.slice(0, 12)} to origin feature \\(sign-off commit on [0-9a-f]{12}, plain push\\): git push --porcelain --no-follow-tags --recurse-submodules=no --no-signed origin ${tip}:refs/heads/feature\\n$`));
    assert.doesNotMatch(dry.stdout, /force/);
    assert.notEqual(await remoteRef(bare, 'refs/heads/feature'), tip, 'a dry run sends nothing');

    const pushed = await cli(['push', '--repo', r.dir]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /^pushed [0-9a-f]{12} to origin feature \(sign-off commit on [0-9a-f]{12}, plain push\): refs\/heads\/feature [0-9a-f]+\.\.[0-9a-f]+\n$/);
    assert.equal(await remoteRef(bare, 'refs/heads/feature'), tip);
    assert.equal(await git(['status', '--porcelain'], { cwd: r.dir }), status);
    assert.equal(readFileSync(join(r.dir, 'src/a.ts'), 'utf8'), 'work in progress\n');
    assert.equal((await r.git('symbolic-ref', 'HEAD')).trim(), 'refs/heads/feature');

    // CI: a clone of the remote verifies the pushed sign-off.
    const ci = join(tempDir(), 'ci');
    await git(['clone', '-q', bare, ci], { cwd: tmpdir() });
    const v = await cli(['verify', '--repo', ci, '--base', 'origin/main', '--head', 'origin/feature']);
    assert.equal(v.code, 0, v.stderr);
    assert.equal((await cli(['push', '--repo', r.dir])).stdout, `origin feature already has the sign-off ${tip.slice(0, 12)}; no comments to push\n`);
  });

  it('pushes an amended head with a lease on exactly the head it replaced', async () => {
    const { r, bare } = await withRemote();
    const old = await local(r, 'feature');
    assert.equal((await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--mode', 'amend', '--yes'])).code, 0);
    const tip = await local(r, 'feature');
    const dry = await cli(['push', '--repo', r.dir, '--dry-run']);
    assert.match(dry.stdout, new RegExp(`\\(amended sign-off, --force-with-lease on ${old.slice(0, 12)}\\): git push .* --force-with-lease=refs/heads/feature:${old} origin ${tip}:refs/heads/feature\\n$`));
    const pushed = await cli(['push', '--repo', r.dir]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /refs\/heads\/feature [0-9a-f]+\.\.\.[0-9a-f]+ \(forced update\)\n$/);
    assert.equal(await remoteRef(bare, 'refs/heads/feature'), tip);
  });

  for (const mode of ['amend', 'commit']) {
    it(`refuses in one line when the author pushed after the review (${mode}), and loses nothing`, async () => {
      const { r, bare } = await withRemote();
      assert.equal((await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--mode', mode, '--yes'])).code, 0);
      const tip = await local(r, 'feature');
      const theirs = await authorPushes(bare);
      const refused = await cli(['push', '--repo', r.dir]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, new RegExp(`^senior-review push: origin moved: feature there is ${theirs.slice(0, 12)}, the sign-off is on [0-9a-f]{12} \\(the reviewed head\\): nothing pushed; fetch, review again and approve\\n$`));
      assert.equal(await remoteRef(bare, 'refs/heads/feature'), theirs, "the author's commit stays");
      assert.equal(await local(r, 'feature'), tip, 'the sign-off stays');
    });

    it(`refuses when the remote moves between the check and the push (${mode}): the ${mode === 'amend' ? 'lease' : 'fast-forward rule'} holds`, async () => {
      const { r, bare } = await withRemote();
      assert.equal((await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--mode', mode, '--yes'])).code, 0);
      const ctx = { cwd: r.dir };
      const plan = await planPush({}, ctx);
      const theirs = await authorPushes(bare);
      await assert.rejects(executePush(plan, ctx), (e: Error) => e instanceof PushRefused && /^feature on origin moved while pushing \(\[rejected\] \((stale info|fetch first|non-fast-forward)\)\): nothing pushed/.test(e.message));
      assert.equal(await remoteRef(bare, 'refs/heads/feature'), theirs);
    });
  }

  it('sends the comment threads with the branch', async () => {
    const { r, bare } = await withRemote();
    const range = ['--repo', r.dir, '--base', 'main', '--head', 'feature'];
    assert.equal((await cli(['comment', ...range, '--file', 'src/a.ts', '--line', '2', '--text', 'why 42?'])).code, 0);
    assert.equal((await cli(['approve', ...range, ...ALL_CHECKS, '--yes'])).code, 0);
    const pushed = await cli(['push', '--repo', r.dir]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /and the comments \(refs\/senior-review\/comments\/feature\): refs\/heads\/feature [0-9a-f]+\.\.[0-9a-f]+; refs\/senior-review\/comments\/feature \[new reference\]\n$/);
    assert.equal(await remoteRef(bare, 'refs/heads/feature'), await local(r, 'feature'));
    assert.equal(await remoteRef(bare, 'refs/senior-review/comments/feature'), await local(r, 'refs/senior-review/comments/feature'));
  });

  it('pushes nothing when the remote has comments the reviewer has not fetched (branch and comments land together or not at all)', async () => {
    const { r, bare } = await withRemote();
    const range = ['--repo', r.dir, '--base', 'main', '--head', 'feature'];
    assert.equal((await cli(['comment', ...range, '--file', 'src/a.ts', '--line', '2', '--text', 'why 42?'])).code, 0);
    assert.equal((await cli(['approve', ...range, ...ALL_CHECKS, '--yes'])).code, 0);
    // Someone else commented in their clone and pushed their threads first.
    const other = join(tempDir(), 'other');
    await git(['clone', '-q', '--branch', 'feature', bare, other], { cwd: tmpdir() });
    await git(['branch', '-q', 'main', 'origin/main'], { cwd: other });
    const theirComment = await cli(['comment', '--repo', other, '--base', 'main', '--head', 'feature', '--file', 'src/b.ts', '--line', '1', '--text', 'and b?', '--author', 'Ada Author <ada@example.com>']);
    assert.equal(theirComment.code, 0, theirComment.stderr);
    await git(['push', '-q', 'origin', 'refs/senior-review/comments/feature'], { cwd: other });
    const theirs = await remoteRef(bare, 'refs/senior-review/comments/feature');
    const authorHead = await remoteRef(bare, 'refs/heads/feature');

    const refused = await cli(['push', '--repo', r.dir]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^senior-review push: the comments \(refs\/senior-review\/comments\/feature\) on origin have threads you have not fetched \(\[rejected\] \((fetch first|non-fast-forward)\)\): nothing pushed; fetch them .* or push with --no-comments\n$/);
    assert.equal(await remoteRef(bare, 'refs/heads/feature'), authorHead, 'atomic: the branch did not move either');
    assert.equal(await remoteRef(bare, 'refs/senior-review/comments/feature'), theirs);
    const branchOnly = await cli(['push', '--repo', r.dir, '--no-comments']);
    assert.equal(branchOnly.code, 0, branchOnly.stderr);
    assert.equal(await remoteRef(bare, 'refs/heads/feature'), await local(r, 'feature'));
    assert.equal(await remoteRef(bare, 'refs/senior-review/comments/feature'), theirs);
  });

  it('says in one line what cannot be pushed: no upstream, no such remote, no sign-off', async () => {
    const { r } = await withRemote();
    const unsigned = await cli(['push', '--repo', r.dir]);
    assert.equal(unsigned.code, 1);
    assert.match(unsigned.stderr, /^senior-review push: the tip of feature \([0-9a-f]{12}\) carries no sign-off: approve first\n$/);
    assert.equal((await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--yes'])).code, 0);
    await r.git('branch', '-q', '--unset-upstream', 'feature');
    const noUpstream = await cli(['push', '--repo', r.dir]);
    assert.equal(noUpstream.code, 2);
    assert.match(noUpstream.stderr, /^senior-review push: feature has no upstream on a remote: pass --remote NAME/);
    const noRemote = await cli(['push', '--repo', r.dir, '--remote', 'upstream']);
    assert.equal(noRemote.code, 2);
    assert.equal(noRemote.stderr, "senior-review push: no remote named 'upstream'\n");
    assert.equal((await cli(['push', '--repo', r.dir, '--remote', 'origin'])).code, 0);
  });
});
