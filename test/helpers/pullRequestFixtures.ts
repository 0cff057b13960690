// Pull-request fixtures: a bare repository on disk stands in for the remote (holding the refs the
// hosts keep PR heads under), and a loopback HTTP server speaks the REST shapes and records requests.

import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { git } from '../../src/core/git/runGit';
import { RepoBuilder } from '../../src/demo/repoBuilder';
import { tempRepo } from './repos';

export interface PrFixture {
  upstream: RepoBuilder;
  /** The bare repository that serves as the remote. */
  bare: string;
  /** The reviewer's clone, on its own branch `mine`. */
  clone: RepoBuilder;
  prHead: string;
}

/**
 * An upstream with a contribution whose head sits only under `prRefs` in a bare copy, and a clone
 * whose `origin` is `remoteUrl` (rewritten to the bare copy with url.insteadOf), or the bare copy's
 * own path when `remoteUrl` is null.
 */
export async function prFixture(remoteUrl: string | null, prRefs = ['refs/pull/7/head', 'refs/merge-requests/9/head']): Promise<PrFixture> {
  const upstream = await tempRepo();
  await upstream.commit({ message: 'base', files: { 'src/a.ts': 'export const a = 1;\n' } });
  await upstream.git('checkout', '-q', '-b', 'contrib');
  const prHead = await upstream.commit({ message: 'contribution', files: { 'src/a.ts': 'export const a = 2;\n', 'src/b.ts': 'export const b = 1;\n' } });
  await upstream.git('checkout', '-q', 'main');
  const bare = mkdtempSync(join(tmpdir(), 'sr-bare-'));
  await upstream.git('clone', '-q', '--bare', upstream.dir, bare);
  for (const ref of prRefs) await git(['update-ref', ref, prHead], { cwd: bare });
  await git(['branch', '-D', 'contrib'], { cwd: bare });
  const clone = await tempRepo();
  await addRemote(clone, 'origin', remoteUrl ?? bare, bare);
  await clone.git('fetch', '-q', 'origin');
  await clone.git('checkout', '-q', '-b', 'mine', 'origin/main');
  return { upstream, bare, clone, prHead };
}

/** Adds a remote named `name` at `url`, which git rewrites to the bare repository on disk. */
export async function addRemote(clone: RepoBuilder, name: string, url: string, bare: string): Promise<void> {
  await clone.git('remote', 'add', name, url);
  if (url !== bare) await clone.git('config', '--add', `url.file://${bare}.insteadOf`, url);
}

export interface SeenRequest {
  url: string;
  headers: IncomingHttpHeaders;
}

export type Route = { status: number; body: unknown; headers?: Record<string, string> } | ((req: IncomingMessage, res: ServerResponse) => void);

export interface ApiServer {
  server: Server;
  url: string;
  seen: SeenRequest[];
  /** Every credential this server received (Authorization or PRIVATE-TOKEN header values). */
  credentials(): string[];
  close(): void;
}

/** A loopback server answering `routes` by exact request path; anything else is a loud 500. */
export function apiServer(routes: Record<string, Route>): Promise<ApiServer> {
  const seen: SeenRequest[] = [];
  const server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    const r = routes[req.url ?? ''];
    if (!r) {
      res.writeHead(500);
      res.end(`unexpected request ${req.url}`);
    } else if (typeof r === 'function') {
      r(req, res);
    } else {
      res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
      res.end(JSON.stringify(r.body));
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    credentials: () => seen.flatMap((s) => [s.headers.authorization, s.headers['private-token']].filter((x): x is string => typeof x === 'string')),
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  })));
}

/** GitHub v3 `GET /repos/{owner}/{repo}/pulls/{n}` response shape. */
export function githubPull(n: number, title: string): Record<string, unknown> {
  return { number: n, title, user: { login: 'octo' }, state: 'open', merged_at: null, base: { ref: 'main' }, head: { ref: 'contrib' }, body: 'Body', html_url: `https://github.com/acme/widgets/pull/${n}` };
}

/** GitLab v4 `GET /projects/:id/merge_requests/:iid` response shape. */
export function gitlabMergeRequest(iid: number, title: string): Record<string, unknown> {
  return { iid, title, author: { username: 'tanuki' }, state: 'opened', target_branch: 'main', source_branch: 'contrib', description: 'Body', web_url: `https://gitlab.com/group/widgets/-/merge_requests/${iid}` };
}
