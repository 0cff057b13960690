// Opening pull requests offline and for real: a local bare repository stands in for the remote
// (its URL looks like GitHub or GitLab through url.insteadOf), and a loopback HTTP server answers
// the REST endpoints with the services' documented response shapes.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { git } from '../../../src/core/git/runGit';
import { parsePullRequestUrl, repoFromRemote } from '../../../src/core/hosting/hostingService';
import { plainText } from '../../../src/core/hosting/restClient';
import { cli, cleanupRepos } from '../../helpers/repos';
import { apiServer, prFixture as fixture } from '../../helpers/pullRequestFixtures';

describe('pull requests', () => {
  const bares: string[] = [];
  after(() => {
    cleanupRepos();
    bares.forEach((b) => rmSync(b, { recursive: true, force: true }));
  });

  it('recognises services from remote and pull request URLs', () => {
    assert.deepEqual(repoFromRemote('git@github.com:acme/widgets.git'), { service: 'github', host: 'github.com', path: 'acme/widgets' });
    assert.deepEqual(repoFromRemote('https://gitlab.example.org/group/sub/proj.git', { githubHosts: [], gitlabHosts: ['gitlab.example.org'] }), { service: 'gitlab', host: 'gitlab.example.org', path: 'group/sub/proj' });
    assert.deepEqual(repoFromRemote('ssh://git@ghe.corp/team/app', { githubHosts: ['ghe.corp'], gitlabHosts: [] }), { service: 'github', host: 'ghe.corp', path: 'team/app' });
    assert.equal(repoFromRemote('https://example.com/x/y.git'), null);
    assert.deepEqual(parsePullRequestUrl('https://github.com/acme/widgets/pull/7/files'), { service: 'github', host: 'github.com', path: 'acme/widgets', number: 7 });
    assert.deepEqual(parsePullRequestUrl('https://gitlab.com/g/s/p/-/merge_requests/9'), { service: 'gitlab', host: 'gitlab.com', path: 'g/s/p', number: 9 });
    assert.equal(plainText('\u001b[31mred\u001b[0m \u001b]8;;http://x\u0007link\u001b]8;;\u0007 ok\u0000'), 'red link ok');
  });

  it('opens a GitHub PR by number without a token, into private refs only, and works offline afterwards', async () => {
    const f = await fixture('https://github.com/acme/widgets.git');
    bares.push(f.bare);
    const branchesBefore = await f.clone.git('for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/remotes');
    const statusBefore = await f.clone.git('status', '--porcelain');
    const r = await cli(['analyze', '--repo', f.clone.dir, '--pr', '7', '--no-impact', '--no-history'], f.clone.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /note: no token for github\.com \(set GITHUB_TOKEN, GH_TOKEN or SENIOR_REVIEW_TOKEN_GITHUB_COM\): title, author and base branch unavailable/);
    const out = JSON.parse(r.stdout);
    assert.equal(out.pullRequest.headCommit, f.prHead);
    assert.equal(out.pullRequest.baseBranch, 'main');
    assert.deepEqual(out.files.map((x: { path: string }) => x.path), ['src/a.ts', 'src/b.ts']);
    assert.equal((await f.clone.git('rev-parse', 'refs/senior-review/pr/origin/7/head')).trim(), f.prHead);
    assert.equal(await f.clone.git('for-each-ref', '--format=%(refname)', 'refs/heads', 'refs/remotes'), branchesBefore);
    assert.equal(await f.clone.git('status', '--porcelain'), statusBefore);
    assert.equal(await f.clone.git('for-each-ref', 'refs/senior-review/tmp'), '');
    // The remote goes away: the PR fetched earlier still opens.
    rmSync(f.bare, { recursive: true, force: true });
    const again = await cli(['analyze', '--repo', f.clone.dir, '--pr', '7', '--no-impact', '--no-history'], f.clone.dir);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stderr, /could not fetch from origin .*: using the copy fetched earlier/);
  });

  it('uses the REST API with a token, and reports refresh changes, closed PRs and API errors', async () => {
    const f = await fixture('https://github.com/acme/widgets.git');
    bares.push(f.bare);
    const pr = { number: 7, title: 'Add <script>alert(1)</script> \u001b[2J widgets', user: { login: 'octo' }, state: 'closed', merged_at: null, base: { ref: 'main' }, head: { ref: 'contrib' }, body: 'Body', html_url: 'https://github.com/acme/widgets/pull/7' };
    const api = await apiServer({
      '/repos/acme/widgets/pulls/7': { status: 200, body: pr },
      '/repos/acme/widgets/pulls/8': { status: 404, body: { message: 'Not Found' } },
      '/repos/acme/widgets/pulls/9': { status: 403, body: { message: 'rate limited' }, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1800000000' } },
      '/repos/acme/widgets/pulls?state=open&per_page=50': { status: 200, body: [{ ...pr, state: 'open' }] },
    });
    const env = { ...process.env, GITHUB_TOKEN: 'tok123', SENIOR_REVIEW_GITHUB_API: api.url };
    const run = (args: string[]) => cli(args, f.clone.dir, env);
    try {
      const md = await run(['analyze', '--repo', f.clone.dir, '--pr', 'https://github.com/acme/widgets/pull/7', '--no-impact', '--no-history', '--format', 'markdown']);
      assert.equal(md.code, 0, md.stderr);
      assert.match(md.stdout, /^# Senior Review: #7 Add \\<script\\>alert\\\(1\\\)\\<\/script\\>  widgets\n/);
      assert.doesNotMatch(md.stdout, /\u001b/);
      assert.match(md.stderr, /note: pull request #7 is closed/);
      assert.equal(api.seen[0].headers.authorization, 'Bearer tok123');
      // The PR moves on upstream: refresh says so and names the file whose diff changed.
      await f.upstream.git('checkout', '-q', f.prHead);
      const newHead = await f.upstream.commit({ message: 'more', files: { 'src/b.ts': 'export const b = 2;\n' } });
      await git(['fetch', '-q', f.upstream.dir, `${newHead}:refs/pull/7/head`], { cwd: f.bare }).catch(async () => git(['update-ref', 'refs/pull/7/head', newHead], { cwd: f.bare }));
      const refreshed = await run(['analyze', '--repo', f.clone.dir, '--pr', '7', '--no-impact', '--no-history']);
      assert.equal(refreshed.code, 0, refreshed.stderr);
      assert.deepEqual(JSON.parse(refreshed.stdout).pullRequest.changedSinceLastFetch, ['src/b.ts']);
      const missing = await run(['analyze', '--repo', f.clone.dir, '--pr', '8', '--no-impact']);
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr, 'senior-review analyze: pull request #8: not found (or not visible with this token)\n');
      const limited = await run(['analyze', '--repo', f.clone.dir, '--pr', '9', '--no-impact']);
      assert.equal(limited.code, 1);
      assert.match(limited.stderr, /API rate limit reached until 2027-01-15T08:00:00.000Z\n$/);
      const list = await run(['prs', '--repo', f.clone.dir]);
      assert.equal(list.code, 0, list.stderr);
      assert.match(list.stdout, /^\s+7  octo\s+main\s+Add <script>alert\(1\)<\/script> \\x1b\[2J widgets\n$/);
      assert.equal(await f.clone.git('for-each-ref', 'refs/senior-review/tmp'), '');
    } finally {
      api.close();
    }
  });

  it('opens a GitLab merge request, and explains forks and missing PRs', async () => {
    const f = await fixture('https://gitlab.com/group/widgets.git');
    bares.push(f.bare);
    const r = await cli(['analyze', '--repo', f.clone.dir, '--pr', 'https://gitlab.com/group/widgets/-/merge_requests/9', '--no-impact', '--no-history'], f.clone.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).pullRequest.headCommit, f.prHead);
    const fork = await cli(['analyze', '--repo', f.clone.dir, '--pr', 'https://gitlab.com/someone/widgets/-/merge_requests/9', '--no-impact'], f.clone.dir);
    assert.equal(fork.code, 1);
    assert.match(fork.stderr, /no remote points at gitlab.com\/someone\/widgets \(a fork\?\)/);
    const none = await cli(['analyze', '--repo', f.clone.dir, '--pr', '12', '--no-impact'], f.clone.dir);
    assert.equal(none.code, 1);
    assert.equal(none.stderr, 'senior-review analyze: merge request !12 does not exist on origin\n');
    assert.equal(await f.clone.git('for-each-ref', 'refs/senior-review/tmp', 'refs/senior-review/pr/origin/12'), '');
  });
});

