// A hosting API that sends its headers and then never finishes the body: the request's deadline
// covers the whole response, so the CLI (the built one, as a real process) gives up in one line.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { cleanupRepos } from '../../helpers/repos';
import { builtCli } from '../../helpers/builtCli';
import { ApiServer, apiServer, prFixture } from '../../helpers/pullRequestFixtures';

describe('hosting API deadline', () => {
  const bares: string[] = [];
  let api: ApiServer;
  before(async () => {
    const stall = (_req: unknown, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
      res.write('[{"number": 7, "title": "never ends');
    };
    api = await apiServer({ '/repos/acme/widgets/pulls?state=open&per_page=50': stall, '/repos/acme/widgets/pulls/7': stall });
  });
  after(() => {
    api.close();
    cleanupRepos();
    bares.forEach((b) => rmSync(b, { recursive: true, force: true }));
  });

  const env = () => ({ ...process.env, GITHUB_TOKEN: 'ghp_test_token_value', SENIOR_REVIEW_GITHUB_API: api.url, SENIOR_REVIEW_HTTP_TIMEOUT_MS: '300' });

  it('fails `prs` in one line when the body never finishes', async () => {
    const f = await prFixture('https://github.com/acme/widgets.git');
    bares.push(f.bare);
    const r = await builtCli(['prs', '--repo', f.clone.dir], f.clone.dir, env());
    assert.equal(r.killed, false, 'the CLI hung');
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^senior-review prs: open pull requests: 127\.0\.0\.1:\d+ did not send a complete response within 0\.3 s\n$/);
  });

  it('opens the pull request with git alone when the metadata body never finishes, and says so in one note', async () => {
    const f = await prFixture('https://github.com/acme/widgets.git');
    bares.push(f.bare);
    const r = await builtCli(['analyze', '--repo', f.clone.dir, '--pr', '7', '--no-impact', '--no-history'], f.clone.dir, env());
    assert.equal(r.killed, false, 'the CLI hung');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).pullRequest.headCommit, f.prHead);
    assert.match(r.stderr, /^note: pull request #7: 127\.0\.0\.1:\d+ did not send a complete response within 0\.3 s: metadata unavailable, using git alone\n$/);
  });

  it('refuses a deadline that is not a positive number of milliseconds', async () => {
    const f = await prFixture('https://github.com/acme/widgets.git');
    bares.push(f.bare);
    const r = await builtCli(['prs', '--repo', f.clone.dir], f.clone.dir, { ...env(), SENIOR_REVIEW_HTTP_TIMEOUT_MS: '15s' });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "senior-review prs: SENIOR_REVIEW_HTTP_TIMEOUT_MS must be a whole number of milliseconds above 0 (got '15s')\n");
  });
});
