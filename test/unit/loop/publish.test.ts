// `publish` and the host's review comments against loopback servers that check the documented request
// shapes (GitHub REST v3 reviews, GitLab v4 discussions and approvals) and answer with documented
// response shapes: one review, remembered ids (no duplicates), read-only host threads, token rules.
import assert from 'node:assert/strict';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { cli, cleanupRepos } from '../../helpers/repos';
import { prFixture } from '../../helpers/pullRequestFixtures';
import { REVIEWER } from '../../helpers/signoffRepo';
import { planPublication } from '../../../src/core/loop/publishReview';
import { LocatedThread } from '../../../src/core/loop/commentTypes';
import { ChangeSet } from '../../../src/core/review/changeSetTypes';

interface Seen { method: string; url: string; body: any; headers: IncomingMessage['headers'] }
type Handler = (body: any, req: IncomingMessage) => { status: number; body?: unknown; headers?: Record<string, string> };

/** Answers `METHOD path` routes; anything else is a loud 500 that fails the command under test. */
async function hostServer(routes: Record<string, Handler>) {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : undefined;
      seen.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers });
      const h = routes[`${req.method} ${req.url}`];
      if (!h) {
        res.writeHead(500);
        res.end(`unexpected ${req.method} ${req.url}`);
        return;
      }
      const a = h(body, req);
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
      res.end(a.body === undefined ? '' : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => { server.closeAllConnections(); server.close(); } };
}

const keys = (o: object) => Object.keys(o).sort();

async function setUp(url: string, n: number) {
  const f = await prFixture(url);
  await f.clone.git('config', 'user.name', REVIEWER.name);
  await f.clone.git('config', 'user.email', REVIEWER.email);
  return f;
}

describe('publish to the host', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  it('GitHub: one review with line comments and the outcome, ids remembered, replies later, host threads read-only', async () => {
    const f = await setUp('https://github.com/acme/widgets.git', 7);
    const pull = { number: 7, title: 'T', user: { login: 'octo' }, state: 'open', merged_at: null, base: { ref: 'main', sha: 'x' }, head: { ref: 'contrib', sha: f.prHead }, body: '', html_url: 'https://github.com/acme/widgets/pull/7' };
    let posted: any = null;
    const api = await hostServer({
      'GET /repos/acme/widgets/pulls/7': () => ({ status: 200, body: pull }),
      'POST /repos/acme/widgets/pulls/7/reviews': (b) => {
        assert.deepEqual(keys(b), ['body', 'comments', 'commit_id', 'event']);
        assert.equal(b.commit_id, f.prHead);
        for (const c of b.comments) assert.deepEqual(keys(c), ['body', 'line', 'path', 'side']);
        posted = b;
        return { status: 200, body: { id: 80, node_id: 'PRR_1', user: { login: 'rita' }, body: b.body, state: b.event === 'APPROVE' ? 'APPROVED' : 'CHANGES_REQUESTED', html_url: 'https://github.com/acme/widgets/pull/7#pullrequestreview-80', pull_request_url: 'https://api.github.com/repos/acme/widgets/pulls/7', commit_id: b.commit_id, submitted_at: '2025-03-01T00:00:00Z' } };
      },
      'GET /repos/acme/widgets/pulls/7/reviews/80/comments?per_page=100': () => ({
        status: 200, body: posted.comments.map((c: any, i: number) => ({ id: 1001 + i, pull_request_review_id: 80, path: c.path, line: c.line, side: c.side, body: c.body, commit_id: f.prHead, user: { login: 'rita' } })),
      }),
      ...Object.fromEntries([1001, 1002].map((id) => [`POST /repos/acme/widgets/pulls/7/comments/${id}/replies`, (b: any) => {
        assert.deepEqual(keys(b), ['body']);
        return { status: 201, body: { id: 2001, in_reply_to_id: id, body: b.body, path: 'src/a.ts', line: 1, side: 'RIGHT', user: { login: 'rita' } } };
      }])),
      'GET /repos/acme/widgets/pulls/7/comments?per_page=100': () => ({ status: 200, body: [
        { id: 1001, path: 'src/a.ts', line: 1, side: posted.comments[0].side, body: posted.comments[0].body, commit_id: f.prHead, user: { login: 'rita' }, created_at: '2025-03-01T00:00:00Z' },
        { id: 3001, path: 'src/b.ts', line: 1, side: 'RIGHT', body: 'Name it better', commit_id: f.prHead, user: { login: 'octo' }, created_at: '2025-03-01T00:00:00Z' },
        { id: 3002, in_reply_to_id: 3001, path: 'src/b.ts', line: 1, side: 'RIGHT', body: 'Done', commit_id: f.prHead, user: { login: 'ada' }, created_at: '2025-03-01T01:00:00Z' },
        { id: 3003, path: 'src/a.ts', line: null, original_line: 1, side: 'RIGHT', body: 'Old remark', commit_id: 'abc', user: { login: 'octo' }, created_at: '2025-02-01T00:00:00Z' },
      ] }),
    });
    try {
      const env = { ...process.env, GITHUB_TOKEN: 'ghp_secret_token_1', SENIOR_REVIEW_GITHUB_API: api.url };
      const run = (args: string[]) => cli(args, f.clone.dir, env);
      assert.equal((await run(['analyze', '--pr', '7', '--no-history'])).code, 0);
      await f.clone.git('branch', 'contrib', 'refs/senior-review/pr/origin/7/head');
      const range = ['--base', 'origin/main', '--head', 'contrib'];
      assert.equal((await run(['comment', ...range, '--file', 'src/a.ts', '--line', '1', '--text', 'Why 2?', '--blocking'])).code, 0);
      assert.equal((await run(['comment', ...range, '--file', 'src/a.ts', '--line', '1', '--side', 'base', '--text', 'The 1 was load-bearing'])).code, 0);
      const first = await run(['publish', '--pr', '7', '--outcome', 'request-changes', '--body', 'Two questions']);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /^published request-changes on #7 \(80\): 2 line comments, 0 replies, 0 threads in the text\n$/);
      assert.equal(posted.event, 'REQUEST_CHANGES');
      assert.equal(posted.body, 'Two questions');
      assert.deepEqual(posted.comments.map((c: any) => [c.path, c.line, c.side, c.body]).sort(), [['src/a.ts', 1, 'LEFT', 'The 1 was load-bearing'], ['src/a.ts', 1, 'RIGHT', 'Why 2?\n\n(blocking)']]);
      assert.ok(api.seen.every((s) => s.headers.authorization === 'Bearer ghp_secret_token_1'));
      const posts = () => api.seen.filter((s) => s.method === 'POST').length;
      const again = await run(['publish', '--pr', '7', '--outcome', 'request-changes']);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /^nothing new to publish on #7/);
      assert.equal(posts(), 1, 'publishing twice posts nothing twice');
      const json = JSON.parse((await run(['comments', ...range, '--format', 'json'])).stdout);
      const why = json.find((t: any) => t.comments[0].body === 'Why 2?');
      assert.equal(why.published.thread, String(1001 + posted.comments.findIndex((c: any) => c.side === 'RIGHT')));
      // A reply added later goes to the published thread, nothing else is posted again.
      await run(['comment', ...range, '--reply-to', why.id, '--text', 'Answered in chat', '--author', 'Ada Author <ada@example.com>']);
      const third = await run(['publish', '--pr', '7']);
      assert.equal(third.code, 0, third.stderr);
      assert.match(third.stdout, /0 line comments, 1 reply/);
      const replies = api.seen.filter((s) => s.url.endsWith('/replies'));
      assert.deepEqual(replies.map((s) => [s.url, s.body.body]), [[`/repos/acme/widgets/pulls/7/comments/${why.published.thread}/replies`, 'Answered in chat\n\n— Ada Author']]);
      assert.equal(api.seen.filter((s) => s.url.endsWith('/reviews')).length, 1, 'replies alone post no second review');
      const listed = await run(['comments', '--pr', '7', '--format', 'json']);
      assert.equal(listed.code, 0, listed.stderr);
      const host = JSON.parse(listed.stdout).filter((t: any) => t.readOnly);
      assert.deepEqual(host.map((t: any) => [t.id, t.path, t.line, t.outdated, t.comments.map((c: any) => `${c.author}: ${c.body}`)]), [
        ['github:3003', 'src/a.ts', 0, true, ['octo: Old remark']],
        ['github:3001', 'src/b.ts', 1, false, ['octo: Name it better', 'ada: Done']],
      ]);
      assert.doesNotMatch(listed.stdout + listed.stderr, /ghp_secret_token_1/);
    } finally {
      api.close();
    }
  });

  it('GitLab: a discussion with a position per line comment, then the approval; once', async () => {
    const f = await setUp('https://gitlab.com/group/widgets.git', 9);
    const diffRefs = { base_sha: 'b'.repeat(40), start_sha: 's'.repeat(40), head_sha: f.prHead };
    const mr = { iid: 9, title: 'T', author: { username: 'tanuki' }, state: 'opened', target_branch: 'main', source_branch: 'contrib', description: '', web_url: 'https://gitlab.com/group/widgets/-/merge_requests/9', diff_refs: diffRefs };
    const discussions: any[] = [];
    const api = await hostServer({
      'GET /projects/group%2Fwidgets/merge_requests/9': () => ({ status: 200, body: mr }),
      'POST /projects/group%2Fwidgets/merge_requests/9/discussions': (b) => {
        assert.deepEqual(keys(b), ['body', 'position']);
        const p = b.position;
        assert.equal(p.position_type, 'text');
        assert.deepEqual([p.base_sha, p.start_sha, p.head_sha], [diffRefs.base_sha, diffRefs.start_sha, diffRefs.head_sha]);
        const d = { id: `6a9c1750b37d513a43987b574953fceb50b03ce${discussions.length}`, individual_note: false, notes: [{ id: 501 + discussions.length, type: 'DiffNote', body: b.body, author: { username: 'rita' }, system: false, position: p, resolvable: true, resolved: false }] };
        discussions.push(d);
        return { status: 201, body: d };
      },
      'POST /projects/group%2Fwidgets/merge_requests/9/approve': (b) => {
        assert.deepEqual(b, { sha: f.prHead });
        return { status: 201, body: { id: 5, iid: 9, approved: true, approved_by: [{ user: { username: 'rita' } }] } };
      },
    });
    try {
      const env = { ...process.env, GITLAB_TOKEN: 'glpat-secret-token', SENIOR_REVIEW_GITLAB_API: api.url };
      const run = (args: string[]) => cli(args, f.clone.dir, env);
      assert.equal((await run(['analyze', '--pr', '9', '--no-history'])).code, 0);
      await f.clone.git('branch', 'contrib', 'refs/senior-review/pr/origin/9/head');
      const range = ['--base', 'origin/main', '--head', 'contrib'];
      await run(['comment', ...range, '--file', 'src/b.ts', '--line', '1', '--text', 'New file: fine']);
      await run(['comment', ...range, '--file', 'src/a.ts', '--line', '1', '--side', 'base', '--text', 'Removed on purpose?']);
      const out = await run(['publish', '--pr', '9', '--outcome', 'approve']);
      assert.equal(out.code, 0, out.stderr);
      const positions = discussions.map((d) => d.notes[0].position).sort((a, b) => a.new_path.localeCompare(b.new_path));
      assert.deepEqual(positions.map((p) => [p.old_path, p.new_path, p.old_line, p.new_line]), [['src/a.ts', 'src/a.ts', 1, undefined], ['src/b.ts', 'src/b.ts', undefined, 1]]);
      assert.ok(api.seen.every((s) => s.headers['private-token'] === 'glpat-secret-token' && s.headers.authorization === undefined));
      const again = await run(['publish', '--pr', '9', '--outcome', 'approve']);
      assert.match(again.stdout, /^nothing new to publish/);
      assert.equal(api.seen.filter((s) => s.method === 'POST').length, 3);
    } finally {
      api.close();
    }
  });

  it('refuses without the host\'s token, and never follows a redirect of a write to another origin', async () => {
    const f = await setUp('https://github.com/acme/widgets.git', 7);
    const other = await hostServer({});
    const pull = { number: 7, title: 'T', user: { login: 'octo' }, state: 'open', merged_at: null, base: { ref: 'main' }, head: { ref: 'contrib', sha: f.prHead }, body: '', html_url: '' };
    const api = await hostServer({
      'GET /repos/acme/widgets/pulls/7': () => ({ status: 200, body: pull }),
      'POST /repos/acme/widgets/pulls/7/reviews': () => ({ status: 307, headers: { location: `${other.url}/steal` } }),
    });
    try {
      const noToken = await cli(['publish', '--pr', '7', '--outcome', 'approve'], f.clone.dir, { ...process.env, GITHUB_TOKEN: '', GH_TOKEN: '', GITLAB_TOKEN: 'glpat-other-host-token', SENIOR_REVIEW_GITHUB_API: api.url });
      assert.equal(noToken.code, 1);
      assert.match(noToken.stderr, /\nsenior-review publish: publishing needs a token for github\.com \(set GITHUB_TOKEN, GH_TOKEN or SENIOR_REVIEW_TOKEN_GITHUB_COM\)\n$/);
      assert.equal(api.seen.filter((s) => s.method === 'POST').length, 0);
      const redirected = await cli(['publish', '--pr', '7', '--outcome', 'approve'], f.clone.dir, { ...process.env, GITHUB_TOKEN: 'ghp_secret_token_2', SENIOR_REVIEW_GITHUB_API: api.url });
      assert.equal(redirected.code, 1);
      assert.match(redirected.stderr, /redirected a POST \(to 127\.0\.0\.1:\d+\); refused/);
      assert.equal(other.seen.length, 0, 'the other origin received nothing');
    } finally {
      api.close();
      other.close();
    }
  });

  it('puts threads that are not on a diff line into the review text', () => {
    const cs = { headCommit: 'h'.repeat(40), files: [{ path: 'a.ts', oldPath: null, hunks: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-x', '+y'] }] }] } as unknown as ChangeSet;
    const t = (id: string, line: number, outdated: boolean): LocatedThread => ({
      thread: { version: 1, id, anchor: { path: 'a.ts', side: 'head', line, commit: 'c', text: 'y', before: [], after: [] }, comments: [{ id: `${id}c`, author: 'Rita Reviewer <rita@example.com>', body: `on ${id}`, createdAt: '', editedAt: null }], blocking: false, resolved: false, resolvedBy: null, resolvedAt: null, updatedAt: '', published: {} },
      path: 'a.ts', line, outdated, readOnly: false,
    });
    const plan = planPublication([t('in', 1, false), t('far', 30, false), t('gone', 1, true)], [], { repo: { service: 'github', host: 'github.com', path: 'o/r' }, number: 1, reviewName: 'x', reviewer: 'Rita Reviewer <rita@example.com>', outcome: 'comment', body: '', cs })!;
    assert.deepEqual(plan.review.lineComments.map((c) => c.threadId), ['in']);
    assert.deepEqual(plan.inBody.map((l) => l.thread.id), ['far', 'gone']);
    assert.match(plan.review.body, /### Comments on lines outside the diff \(2\)\n\n- \*\*a\.ts:30\*\* — on far/);
  });
});
