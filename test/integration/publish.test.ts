// The checklist panel's "Publish to #N" of a review opened from a pull request, inside a real
// extension host: the panel's message goes through the command, the outcome and text are answered in
// VS Code's own quick input, and the review reaches a loopback server standing in for the GitHub API
// (with a token standing in for VS Code's GitHub sign-in, which needs github.com and a person).
import assert from 'node:assert/strict';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { api, until } from './hostApi';

const repo = process.env.SENIOR_REVIEW_TEST_REPO!;
const TOKEN = 'gho_host_test_token';

interface Seen { route: string; body: any; authorization: string | undefined }
type Handler = (body: any) => unknown;

/**
 * GitHub's REST routes the publish path uses, by `METHOD path`. Anything else is answered with a loud
 * 500 (the publish fails) and listed in `unexpected`, which the test asserts empty.
 */
async function githubStandIn(routes: Record<string, Handler>) {
  const seen: Seen[] = [];
  const unexpected: string[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      const route = `${req.method} ${req.url}`;
      const body = raw ? JSON.parse(raw) : undefined;
      seen.push({ route, body, authorization: req.headers.authorization });
      const h = routes[route];
      if (!h) {
        unexpected.push(route);
        res.writeHead(500);
        return void res.end(`unexpected ${route}`);
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(h(body)));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, unexpected, close: () => { server.closeAllConnections(); server.close(); } };
}

describe('publishing from the checklist panel', () => {
  it('"Publish to #7" posts the review with its line comment to the pull request, with the token', async function () {
    this.timeout(300_000);
    const a = await api();
    let stage = 'starting';
    // A hang is reported with the step it stopped at (mocha's own timeout names none).
    const failAfter = setTimeout(() => {
      const g = globalThis as { seniorReviewFigures?: string[] };
      (g.seniorReviewFigures ??= []).push(`publish test stopped at: ${stage}`);
    }, 280_000);
    // Known once the review is open; the routes read them when asked.
    let head = '';
    let mergeBase = '';
    let posted: any = null;
    const github = await githubStandIn({
      'GET /repos/acme/widgets/pulls/7': () => ({ number: 7, title: 'T', user: { login: 'octo' }, state: 'open', merged_at: null, base: { ref: 'main', sha: mergeBase }, head: { ref: 'contrib', sha: head }, body: '', html_url: 'https://github.com/acme/widgets/pull/7' }),
      'POST /repos/acme/widgets/pulls/7/reviews': (b) => {
        posted = b;
        return { id: 80, user: { login: 'rita' }, body: b.body, state: 'COMMENTED', commit_id: b.commit_id, submitted_at: '2026-11-30T00:00:00Z' };
      },
      'GET /repos/acme/widgets/pulls/7/reviews/80/comments?per_page=100': () => posted.comments.map((c: any, i: number) => ({ id: 1001 + i, pull_request_review_id: 80, path: c.path, line: c.line, side: c.side, body: c.body, commit_id: head, user: { login: 'rita' } })),
      // The editor's comments read the pull request's own threads (none here) after publishing.
      'GET /repos/acme/widgets/pulls/7/comments?per_page=100': () => [],
    });
    const apiBefore = process.env.SENIOR_REVIEW_GITHUB_API;
    process.env.SENIOR_REVIEW_GITHUB_API = github.url;
    // VS Code's GitHub sign-in needs github.com and a person to consent: a token stands in for it.
    a.setGithubTokenStandIn(TOKEN);
    try {
      // What Open Pull Request… opens for #7 of acme/widgets (its range resolution has tests of its own).
      stage = 'opening the review of #7';
      await a.controller.open({ repo, base: 'main', head: 'HEAD', label: '#7 T', pr: { number: 7, remote: 'origin', repo: { service: 'github', host: 'github.com', path: 'acme/widgets' }, headBranch: 'contrib' } });
      const r = await until('the review of #7', () => a.controller.current?.request.pr?.number === 7 && a.controller.current);
      head = r.cs.headCommit;
      mergeBase = r.cs.mergeBase;
      assert.equal(a.checklist.state().pullRequest, 7, 'the panel draws "Publish to #7"');
      stage = 'writing a comment';
      const file = r.cs.files.find((f) => f.path === 'src/billing/invoice.ts')!;
      const hunk = file.hunks.find((h) => h.newLines > 0)!;
      const uri = vscode.Uri.from({ scheme: 'senior-review', path: `/${file.path}`, query: JSON.stringify({ repo: r.cs.repo, commit: r.cs.headCommit }) });
      const draft = a.comments.controller.createCommentThread(uri, new vscode.Range(hunk.newStart - 1, 0, hunk.newStart - 1, 0), []);
      assert.ok(await vscode.commands.executeCommand('seniorReview.comments.create', { thread: draft, text: 'Is the rounding tested?' }));

      // The button's message, as the webview sends it; then the quick pick (its first item, Comment)
      // and the text box (left empty) are accepted as a reviewer pressing Enter would.
      stage = 'publishing';
      await a.checklist.receive({ type: 'publish' });
      const t0 = Date.now();
      while (posted === null) {
        if (Date.now() - t0 > 120_000) throw new Error(`nothing posted (${stage}); the stand-in saw ${JSON.stringify(github.seen.map((s) => s.route))}`);
        await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
        await new Promise((res) => setTimeout(res, 250));
      }
      await until('the posted comments read back', () => github.seen.some((s) => s.route.endsWith('/reviews/80/comments?per_page=100')));
      assert.deepEqual(github.unexpected, []);
      assert.equal(posted.event, 'COMMENT');
      assert.equal(posted.commit_id, head);
      assert.deepEqual(posted.comments.map((c: any) => [c.path, c.line, c.side, c.body]), [['src/billing/invoice.ts', hunk.newStart, 'RIGHT', 'Is the rounding tested?']]);
      assert.ok(github.seen.every((s) => s.authorization === `Bearer ${TOKEN}`), JSON.stringify(github.seen.map((s) => s.authorization)));
      assert.equal(github.seen.filter((s) => s.route.startsWith('POST ')).length, 1, 'one review, posted once');
    } finally {
      clearTimeout(failAfter);
      if (apiBefore === undefined) delete process.env.SENIOR_REVIEW_GITHUB_API;
      else process.env.SENIOR_REVIEW_GITHUB_API = apiBefore;
      a.setGithubTokenStandIn(null);
      github.close();
      await vscode.commands.executeCommand('seniorReview.closeReview');
    }
  });
});
