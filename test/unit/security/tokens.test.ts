// Tokens reach only the host they belong to and never any output or file: a second remote on another
// host, a redirect to another origin, credentials inside a remote URL and a look-alike host name are
// run through the CLI, and every output line and every file in the repository is searched for them.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runGit } from '../../../src/core/git/runGit';
import { parsePullRequestUrl, repoFromRemote } from '../../../src/core/hosting/hostingService';
import { envTokenFor, hostTokenVariable, secretValues } from '../../../src/core/hosting/hostTokens';
import { redirectHop } from '../../../src/core/hosting/jsonRequest';
import { makeMasker, maskUrlCredentials } from '../../../src/core/hosting/maskCredentials';
import { openPullRequest } from '../../../src/core/review/pullRequest';
import { CliRun, cli, cleanupRepos } from '../../helpers/repos';
import { ApiServer, PrFixture, addRemote, apiServer, githubPull, gitlabMergeRequest, prFixture } from '../../helpers/pullRequestFixtures';

const GITHUB_SECRET = 'ghp_GitHubSecret0123456789abcdef';
const GITLAB_SECRET = 'glpat-GitLabSecret0123456789';
const CORP_SECRET = 'corpSecret-0123456789abcdef';
const URL_SECRET = 'UrlCredSecret0123456789';
const SECRETS = [GITHUB_SECRET, GITLAB_SECRET, CORP_SECRET, URL_SECRET];

/** Every file under the clone (the reviewer's `.git/config`, which the test wrote, aside). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? e.path, e.name))
    .filter((p) => p !== join(dir, '.git', 'config'));
}

/** Collects everything the tool printed and checks it, every file and every object for the secrets. */
class LeakWatch {
  private readonly texts: string[] = [];

  constructor(private readonly f: PrFixture, private readonly configBefore = readFileSync(join(f.clone.dir, '.git', 'config'))) {}

  async cli(args: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
    const r = await cli([...args, '--verbose'], this.f.clone.dir, env);
    this.texts.push(r.stdout, r.stderr);
    return r;
  }

  text(s: string): void {
    this.texts.push(s);
  }

  async assertNoLeak(): Promise<void> {
    for (const t of this.texts) for (const s of SECRETS) assert.ok(!t.includes(s), `output carries a secret: ${t.slice(0, 400)}`);
    const files = filesUnder(this.f.clone.dir);
    assert.ok(files.some((p) => p.includes(join('.git', 'refs', 'senior-review')) || p.endsWith('packed-refs')), 'the runs wrote refs');
    for (const p of files) {
      const bytes = readFileSync(p);
      for (const s of SECRETS) assert.ok(!bytes.includes(s), `${p} carries a secret`);
    }
    const objects = (await runGit(['cat-file', '--batch-all-objects', '--batch'], { cwd: this.f.clone.dir })).stdout;
    for (const s of SECRETS) assert.ok(!objects.includes(s), 'an object carries a secret');
    assert.deepEqual(readFileSync(join(this.f.clone.dir, '.git', 'config')), this.configBefore, 'the reviewer\'s git config changed');
  }
}

function envWith(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (/^(GITHUB_TOKEN|GH_TOKEN|GITLAB_TOKEN|SENIOR_REVIEW_.*)$/.test(k)) delete env[k];
  return { ...env, ...extra };
}

describe('security: tokens', () => {
  const bares: string[] = [];
  const servers: ApiServer[] = [];
  const serve = async (routes: Parameters<typeof apiServer>[0]) => {
    const s = await apiServer(routes);
    servers.push(s);
    return s;
  };
  const fixture = async (url: string | null, refs?: string[]) => {
    const f = await prFixture(url, refs);
    bares.push(f.bare);
    return f;
  };
  after(() => {
    servers.forEach((s) => s.close());
    cleanupRepos();
    bares.forEach((b) => rmSync(b, { recursive: true, force: true }));
  });

  it('binds each token variable to one host name, distinct names to distinct variables', () => {
    assert.equal(hostTokenVariable('gitlab.corp.example'), 'SENIOR_REVIEW_TOKEN_GITLAB_CORP_EXAMPLE');
    assert.equal(hostTokenVariable('GHE.Corp'), 'SENIOR_REVIEW_TOKEN_GHE_CORP');
    assert.notEqual(hostTokenVariable('a-b.example'), hostTokenVariable('a.b-example'));
    assert.notEqual(hostTokenVariable('my-git.example'), hostTokenVariable('my.git.example'));
    assert.equal(hostTokenVariable('bad_host'), null);
    const env = { GITHUB_TOKEN: GITHUB_SECRET, GITLAB_TOKEN: GITLAB_SECRET, SENIOR_REVIEW_TOKEN_GHE_CORP: CORP_SECRET };
    assert.equal(envTokenFor({ service: 'github', host: 'github.com', path: 'a/b' }, env), GITHUB_SECRET);
    assert.equal(envTokenFor({ service: 'github', host: 'ghe.corp', path: 'a/b' }, env), CORP_SECRET);
    assert.equal(envTokenFor({ service: 'github', host: 'ghe2.corp', path: 'a/b' }, env), undefined);
    assert.equal(envTokenFor({ service: 'gitlab', host: 'gitlab.corp', path: 'a/b' }, env), undefined);
    assert.deepEqual(secretValues({ ...env, GH_TOKEN: 'short', PATH: '/usr/bin:/bin' }).sort(), [CORP_SECRET, GITHUB_SECRET, GITLAB_SECRET].sort());
  });

  it('(d) only exact or configured host names are services', () => {
    for (const host of ['github.com.evil.example', 'evil-github.com', 'github.evil', 'api.github.com.evil', 'gitlab.evil.example', 'xgitlab.com']) {
      assert.equal(repoFromRemote(`https://${host}/acme/widgets.git`), null, host);
      assert.equal(parsePullRequestUrl(`https://${host}/acme/widgets/pull/7`), null, host);
      assert.equal(parsePullRequestUrl(`https://${host}/acme/widgets/-/merge_requests/7`), null, host);
    }
    assert.equal(parsePullRequestUrl('https://example.org/acme/widgets/pull/7'), null);
    assert.deepEqual(repoFromRemote('git@GitHub.com:acme/widgets.git'), { service: 'github', host: 'github.com', path: 'acme/widgets' });
    assert.equal(parsePullRequestUrl('https://github.com/acme/widgets/-/merge_requests/7'), null);
  });

  it('(b) redirects keep credentials on the same origin only, and never go from https to http', () => {
    const from = new URL('https://gitlab.com/api/v4/projects/1');
    assert.deepEqual(redirectHop(from, '/api/v4/projects/2', from.origin, 'x'), { url: new URL('https://gitlab.com/api/v4/projects/2'), keepCredentials: true });
    assert.equal(redirectHop(from, 'https://cdn.example/p', from.origin, 'x').keepCredentials, false);
    assert.equal(redirectHop(from, 'https://gitlab.com:8443/p', from.origin, 'x').keepCredentials, false);
    assert.throws(() => redirectHop(from, 'http://gitlab.com/api/v4/projects/2', from.origin, 'x'), /redirected from https to http/);
    assert.throws(() => redirectHop(from, 'file:///etc/passwd', from.origin, 'x'), /refused/);
  });

  it('(c) masks credentials in URLs and known token values', () => {
    assert.equal(maskUrlCredentials(`fatal: 'https://gitlab-ci-token:${URL_SECRET}@git.corp/g/p.git' failed`), "fatal: 'https://***@git.corp/g/p.git' failed");
    assert.equal(maskUrlCredentials(`https://${URL_SECRET}@github.com/a/b and HTTP://u:p@x/`), 'https://***@github.com/a/b and HTTP://***@x/');
    assert.equal(maskUrlCredentials(`ssh://git@host/a and ssh://git:${URL_SECRET}@host/a`), 'ssh://git@host/a and ssh://git:***@host/a');
    assert.equal(maskUrlCredentials('{"url":"https://host/a","email":"me@example.com"}'), '{"url":"https://host/a","email":"me@example.com"}');
    assert.equal(maskUrlCredentials('git@github.com:acme/widgets.git'), 'git@github.com:acme/widgets.git');
    assert.equal(makeMasker([GITHUB_SECRET])(`token ${GITHUB_SECRET} in https://u:${GITHUB_SECRET}@h/`), 'token *** in https://***@h/');
  });

  it('(a) a merge request on a second remote (GitLab) never receives GITHUB_TOKEN, and each token goes to its own host only', async () => {
    const f = await fixture('https://github.com/acme/widgets.git');
    await addRemote(f.clone, 'gl', 'https://gitlab.com/group/widgets.git', f.bare);
    const gh = await serve({ '/repos/acme/widgets/pulls/7': { status: 200, body: githubPull(7, 'From GitHub') } });
    const gl = await serve({ '/projects/group%2Fwidgets/merge_requests/9': { status: 200, body: gitlabMergeRequest(9, 'From GitLab') } });
    const watch = new LeakWatch(f);
    const api = { SENIOR_REVIEW_GITHUB_API: gh.url, SENIOR_REVIEW_GITLAB_API: gl.url };

    const onlyGithub = await watch.cli(['analyze', '--pr', 'https://gitlab.com/group/widgets/-/merge_requests/9', '--no-impact', '--no-history'], envWith({ ...api, GITHUB_TOKEN: GITHUB_SECRET }));
    assert.equal(onlyGithub.code, 0, onlyGithub.stderr);
    assert.deepEqual(gl.credentials(), [], 'GitLab received a credential it does not own');
    assert.match(onlyGithub.stderr, /note: no token for gitlab\.com \(set GITLAB_TOKEN or SENIOR_REVIEW_TOKEN_GITLAB_COM\)/);
    assert.equal(JSON.parse(onlyGithub.stdout).pullRequest.headCommit, f.prHead);

    const both = envWith({ ...api, GITHUB_TOKEN: GITHUB_SECRET, GITLAB_TOKEN: GITLAB_SECRET });
    const mr = await watch.cli(['analyze', '--pr', 'https://gitlab.com/group/widgets/-/merge_requests/9', '--no-impact', '--no-history'], both);
    assert.equal(mr.code, 0, mr.stderr);
    assert.equal(JSON.parse(mr.stdout).pullRequest.title, 'From GitLab');
    const pr = await watch.cli(['analyze', '--pr', '7', '--no-impact', '--no-history'], both);
    assert.equal(pr.code, 0, pr.stderr);
    assert.equal(JSON.parse(pr.stdout).pullRequest.title, 'From GitHub');
    const prOfGl = await watch.cli(['analyze', '--pr', '9', '--remote', 'gl', '--no-impact', '--no-history'], both);
    assert.equal(prOfGl.code, 0, prOfGl.stderr);
    assert.deepEqual(gl.credentials(), [GITLAB_SECRET, GITLAB_SECRET]);
    assert.deepEqual(gh.credentials(), [`Bearer ${GITHUB_SECRET}`]);
    await watch.assertNoLeak();
  });

  it('(a) a self-hosted GitLab gets only the token bound to its host, never GITLAB_TOKEN', async () => {
    const f = await fixture('https://gitlab.corp.example/group/widgets.git');
    const corp = await serve({ '/projects/group%2Fwidgets/merge_requests/9': { status: 200, body: gitlabMergeRequest(9, 'From corp') } });
    const watch = new LeakWatch(f);
    const base = { SENIOR_REVIEW_GITLAB_HOSTS: 'gitlab.corp.example', SENIOR_REVIEW_GITLAB_API: corp.url, GITLAB_TOKEN: GITLAB_SECRET, GITHUB_TOKEN: GITHUB_SECRET };

    const unbound = await watch.cli(['analyze', '--pr', '9', '--no-impact', '--no-history'], envWith(base));
    assert.equal(unbound.code, 0, unbound.stderr);
    assert.deepEqual(corp.credentials(), [], 'a gitlab.com token went to a self-hosted GitLab');
    assert.match(unbound.stderr, /note: no token for gitlab\.corp\.example \(set SENIOR_REVIEW_TOKEN_GITLAB_CORP_EXAMPLE\)/);

    const bound = await watch.cli(['analyze', '--pr', '9', '--no-impact', '--no-history'], envWith({ ...base, SENIOR_REVIEW_TOKEN_GITLAB_CORP_EXAMPLE: CORP_SECRET }));
    assert.equal(bound.code, 0, bound.stderr);
    assert.equal(JSON.parse(bound.stdout).pullRequest.title, 'From corp');
    assert.deepEqual(corp.credentials(), [CORP_SECRET]);
    await watch.assertNoLeak();
  });

  it('(b) a redirect to another origin loses the token; one within the origin keeps it', async () => {
    const f = await fixture('https://gitlab.com/group/widgets.git', ['refs/merge-requests/9/head', 'refs/merge-requests/10/head']);
    const elsewhere = await serve({ '/elsewhere/9': { status: 200, body: gitlabMergeRequest(9, 'Redirected away') } });
    const gl = await serve({
      '/projects/group%2Fwidgets/merge_requests/9': { status: 302, body: {}, headers: { location: `${elsewhere.url}/elsewhere/9` } },
      '/projects/group%2Fwidgets/merge_requests/10': { status: 301, body: {}, headers: { location: '/projects/42/merge_requests/10' } },
      '/projects/42/merge_requests/10': { status: 200, body: gitlabMergeRequest(10, 'Moved project') },
    });
    const watch = new LeakWatch(f);
    const env = envWith({ SENIOR_REVIEW_GITLAB_API: gl.url, GITLAB_TOKEN: GITLAB_SECRET });

    const away = await watch.cli(['analyze', '--pr', '9', '--no-impact', '--no-history'], env);
    assert.equal(away.code, 0, away.stderr);
    assert.deepEqual(elsewhere.seen.map((s) => s.url), ['/elsewhere/9']);
    assert.deepEqual(elsewhere.credentials(), [], 'the token crossed a redirect to another origin');
    const moved = await watch.cli(['analyze', '--pr', '10', '--no-impact', '--no-history'], env);
    assert.equal(moved.code, 0, moved.stderr);
    assert.equal(JSON.parse(moved.stdout).pullRequest.title, 'Moved project');
    assert.deepEqual(gl.seen.map((s) => [s.url, s.headers['private-token']]), [
      ['/projects/group%2Fwidgets/merge_requests/9', GITLAB_SECRET],
      ['/projects/group%2Fwidgets/merge_requests/10', GITLAB_SECRET],
      ['/projects/42/merge_requests/10', GITLAB_SECRET],
    ]);
    await watch.assertNoLeak();
  });

  it('(c) credentials in a remote URL never reach an output, an error or a file', async () => {
    const f = await fixture(`https://gitlab-ci-token:${URL_SECRET}@git.corp.example/group/widgets.git`);
    await f.clone.git('remote', 'add', 'broken', `https://oauth2:${URL_SECRET}@127.0.0.1:9/group/widgets.git`);
    await f.clone.git('remote', 'add', 'tokenonly', `https://${URL_SECRET}@127.0.0.1:9/group/widgets.git`);
    const watch = new LeakWatch(f);
    const env = envWith({});

    const json = await watch.cli(['analyze', '--pr', '9', '--no-impact', '--no-history'], env);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).pullRequest.headCommit, f.prHead);
    const md = await watch.cli(['analyze', '--pr', '7', '--no-impact', '--format', 'markdown'], env);
    assert.equal(md.code, 0, md.stderr);
    assert.ok(filesUnder(join(f.clone.dir, '.git', 'senior-review')).length > 0, 'the history cache was written');
    const missing = await watch.cli(['analyze', '--pr', '12', '--no-impact'], env);
    assert.equal(missing.code, 1);
    for (const remote of ['broken', 'tokenonly']) {
      const down = await watch.cli(['analyze', '--pr', '7', '--remote', remote, '--no-impact'], env);
      assert.equal(down.code, 1);
      assert.match(down.stderr, /senior-review analyze: could not list the refs of remote '(broken|tokenonly)'/);
      assert.equal(down.stderr.trim().split('\n').filter((l) => l.startsWith('senior-review')).length, 1);
    }
    const list = await watch.cli(['prs'], env);
    assert.equal(list.code, 1);
    const core = await openPullRequest({ pr: '7', remote: 'broken', env }, { cwd: f.clone.dir }).then(() => null, (e: Error) => e);
    assert.ok(core, 'an unreachable remote must fail');
    watch.text(`${core.message}\n${core.stack ?? ''}\n${JSON.stringify(core)}`);
    await watch.assertNoLeak();
  });

  it('(c) a hosting API that echoes a token or a credential URL back is masked in every output', async () => {
    const f = await fixture('https://gitlab.com/group/widgets.git');
    const echo = `token ${GITLAB_SECRET} at https://ci_bot:${URL_SECRET}@host.example/x`;
    const gl = await serve({ '/projects/group%2Fwidgets/merge_requests/9': { status: 200, body: { ...gitlabMergeRequest(9, echo), description: echo } } });
    const watch = new LeakWatch(f);
    const env = envWith({ SENIOR_REVIEW_GITLAB_API: gl.url, GITLAB_TOKEN: GITLAB_SECRET });
    const json = await watch.cli(['analyze', '--pr', '9', '--no-impact', '--no-history'], env);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).pullRequest.title, 'token *** at https://***@host.example/x');
    const md = await watch.cli(['analyze', '--pr', '9', '--no-impact', '--no-history', '--format', 'markdown'], env);
    assert.equal(md.code, 0, md.stderr);
    assert.deepEqual(gl.credentials(), [GITLAB_SECRET, GITLAB_SECRET]);
    await watch.assertNoLeak();
  });

  it('(d) a look-alike host (github.com.evil.example) is not GitHub and receives no token', async () => {
    const f = await fixture('https://github.com.evil.example/acme/widgets.git');
    const gh = await serve({ '/repos/acme/widgets/pulls/7': { status: 200, body: githubPull(7, 'Phished') } });
    const watch = new LeakWatch(f);
    const env = envWith({ SENIOR_REVIEW_GITHUB_API: gh.url, GITHUB_TOKEN: GITHUB_SECRET, GH_TOKEN: GITHUB_SECRET });

    const r = await watch.cli(['analyze', '--pr', '7', '--no-impact', '--no-history'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).pullRequest.headCommit, f.prHead);
    const url = await watch.cli(['analyze', '--pr', 'https://github.com.evil.example/acme/widgets/pull/7', '--no-impact'], env);
    assert.equal(url.code, 2);
    const list = await watch.cli(['prs'], env);
    assert.equal(list.code, 1);
    assert.deepEqual(gh.seen, [], 'a look-alike host was treated as GitHub');
    await watch.assertNoLeak();
  });
});
