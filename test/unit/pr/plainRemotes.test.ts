// Pull requests on remotes that are neither github.com nor gitlab.com (Gitea, Forgejo, Bitbucket
// Server, a plain bare repository on disk): the head is found with git ls-remote under the ref each
// host family uses, and opened with git alone.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { git } from '../../../src/core/git/runGit';
import { cli, cleanupRepos } from '../../helpers/repos';
import { prFixture } from '../../helpers/pullRequestFixtures';

describe('pull requests on other remotes', () => {
  const bares: string[] = [];
  const fixture = async (url: string | null, refs: string[]) => {
    const f = await prFixture(url, refs);
    bares.push(f.bare);
    return f;
  };
  after(() => {
    cleanupRepos();
    bares.forEach((b) => rmSync(b, { recursive: true, force: true }));
  });
  const analyze = (dir: string, ...args: string[]) => cli(['analyze', '--repo', dir, '--no-impact', '--no-history', ...args], dir);

  for (const [family, ref, n] of [
    ['Gitea / Forgejo / GitHub', 'refs/pull/3/head', 3],
    ['GitLab', 'refs/merge-requests/4/head', 4],
    ['Bitbucket Server', 'refs/pull-requests/5/from', 5],
  ] as const) {
    it(`opens #${n} of a bare repository on disk from ${ref} (${family})`, async () => {
      const f = await fixture(null, [ref]);
      const r = await analyze(f.clone.dir, '--pr', String(n));
      assert.equal(r.code, 0, r.stderr);
      const pr = JSON.parse(r.stdout).pullRequest;
      assert.equal(pr.headCommit, f.prHead);
      assert.equal(pr.service, 'git');
      assert.equal(pr.headSource, ref);
      assert.equal(pr.baseBranch, 'main');
      assert.deepEqual(JSON.parse(r.stdout).files.map((x: { path: string }) => x.path), ['src/a.ts', 'src/b.ts']);
      assert.equal(r.stderr, `note: origin is not a GitHub or GitLab host: opened ${ref} with git alone; title, author and base branch unavailable, base = the remote's default branch\n`);
      assert.equal((await f.clone.git('rev-parse', `refs/senior-review/pr/origin/${n}/head`)).trim(), f.prHead);
    });
  }

  it('opens a pull request of a self-hosted forge that is not configured (https URL)', async () => {
    const f = await fixture('https://git.example.org/team/widgets.git', ['refs/pull/11/head']);
    const r = await analyze(f.clone.dir, '--pr', '#11');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).pullRequest.headSource, 'refs/pull/11/head');
  });

  it('opens the copy fetched earlier when the remote has gone', async () => {
    const f = await fixture(null, ['refs/pull-requests/6/from']);
    const first = await analyze(f.clone.dir, '--pr', '6');
    assert.equal(first.code, 0, first.stderr);
    rmSync(f.bare, { recursive: true, force: true });
    const again = await analyze(f.clone.dir, '--pr', '6');
    assert.equal(again.code, 0, again.stderr);
    const pr = JSON.parse(again.stdout).pullRequest;
    assert.equal(pr.headCommit, f.prHead);
    assert.equal(pr.offline, true);
    assert.equal(pr.headSource, null);
    assert.match(again.stderr, /^note: could not list the refs of remote 'origin' \(.+\): using the copy fetched earlier\nnote: origin is not a GitHub or GitLab host: opened the copy fetched earlier with git alone; /);
  });

  it('refuses when only a look-alike ref exists, and leaves no ref behind', async () => {
    const f = await fixture(null, ['refs/heads/x/refs/pull/8/head', 'refs/tags/refs/merge-requests/8/head']);
    const r = await analyze(f.clone.dir, '--pr', '8');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "senior-review analyze: no pull request #8 on origin (looked for refs/pull/8/head, refs/merge-requests/8/head, refs/pull-requests/8/from)\n");
    assert.equal(await f.clone.git('for-each-ref', 'refs/senior-review'), '');
  });

  it('refuses a number that two refs name with different commits', async () => {
    const f = await fixture(null, ['refs/pull/4/head']);
    await git(['update-ref', 'refs/merge-requests/4/head', 'refs/heads/main'], { cwd: f.bare });
    const r = await analyze(f.clone.dir, '--pr', '4');
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'senior-review analyze: origin has two different pull requests #4 (refs/pull/4/head, refs/merge-requests/4/head): open it by its URL on a configured host, or fetch the head yourself and use --base/--head\n');
    assert.equal(await f.clone.git('for-each-ref', 'refs/senior-review'), '');
  });

  it('refuses bad numbers and unreachable remotes in one line', async () => {
    const f = await fixture(null, ['refs/pull/7/head']);
    const zero = await analyze(f.clone.dir, '--pr', '0');
    assert.equal(zero.code, 2);
    assert.equal(zero.stderr, "senior-review analyze: invalid pull request number '0': must be between 1 and 999999999\n");
    rmSync(f.bare, { recursive: true, force: true });
    const gone = await analyze(f.clone.dir, '--pr', '7');
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /^senior-review analyze: could not list the refs of remote 'origin' \(.+\)\n$/);
  });
});
