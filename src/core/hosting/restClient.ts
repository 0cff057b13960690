// Pull-request metadata from the services' REST APIs (GitHub v3, GitLab v4) with a token bound to the
// repository's host, a deadline and AbortSignal; every HTTP failure becomes one clear message (no such
// PR, no permission, rate limit with its reset time, unreachable).

import { validatePullNumber } from '../git/refs';
import { HostingError } from './hostingError';
import { RepoId } from './hostingService';
import { getJson } from './jsonRequest';

export interface PullRequestInfo {
  number: number;
  title: string;
  author: string;
  state: 'open' | 'closed' | 'merged';
  baseBranch: string;
  headBranch: string;
  description: string;
  url: string;
}

export interface RequestOptions {
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** The deadline of one request, redirects, headers and body together. */
  timeoutMs?: number;
}

export function apiBase(repo: RepoId, env: NodeJS.ProcessEnv = process.env): string {
  if (repo.service === 'github') {
    return env.SENIOR_REVIEW_GITHUB_API ?? (repo.host === 'github.com' ? 'https://api.github.com' : `https://${repo.host}/api/v3`);
  }
  return env.SENIOR_REVIEW_GITLAB_API ?? `https://${repo.host}/api/v4`;
}

/** GET a JSON document of `repo`'s API; the token goes in the service's header, to the API's origin only. */
function apiGet(repo: RepoId, path: string, token: string, what: string, opts: RequestOptions): Promise<unknown> {
  return apiRequest(repo, 'GET', path, token, what, opts);
}

/** One API call of `repo`'s service with its token (to the API's origin only); HTTP failures become one clear HostingError. */
export async function apiRequest(repo: RepoId, method: 'GET' | 'POST', path: string, token: string, what: string, opts: RequestOptions, body?: unknown): Promise<unknown> {
  const github = repo.service === 'github';
  const res = await getJson({
    url: `${apiBase(repo, opts.env)}${path}`,
    headers: github ? { Accept: 'application/vnd.github+json', 'User-Agent': 'senior-review' } : { 'User-Agent': 'senior-review' },
    credentials: github ? { Authorization: `Bearer ${token}` } : { 'PRIVATE-TOKEN': token },
    what, signal: opts.signal, timeoutMs: opts.timeoutMs, method, body,
  });
  if (res.status >= 200 && res.status < 300) return res.json;
  const remaining = res.headers.get('x-ratelimit-remaining') ?? res.headers.get('ratelimit-remaining');
  if (res.status === 429 || (res.status === 403 && remaining === '0')) {
    const reset = Number(res.headers.get('x-ratelimit-reset') ?? res.headers.get('ratelimit-reset'));
    const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : '';
    throw new HostingError(`${what}: API rate limit reached${when}`, 'rate-limit');
  }
  if (res.status === 404) throw new HostingError(`${what}: not found (or not visible with this token)`, 'not-found');
  if (res.status === 401 || res.status === 403) throw new HostingError(`${what}: no permission (HTTP ${res.status}); check the token`, 'permission');
  if (res.status === 409 || res.status === 422) throw new HostingError(`${what}: refused by the host (HTTP ${res.status}): the pull request may have moved; fetch it and review again`, 'bad-response');
  throw new HostingError(`${what}: HTTP ${res.status}`, 'bad-response');
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function record(v: unknown, what: string): Record<string, any> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new HostingError(`${what}: the answer is not a pull request`, 'bad-response');
  return v as Record<string, any>;
}

function records(v: unknown, what: string): Array<Record<string, any>> {
  if (!Array.isArray(v)) throw new HostingError(`${what}: the answer is not a list`, 'bad-response');
  return v.map((x) => record(x, what));
}

/** A number from the remote is checked like one from the user before it names a ref. */
function prNumber(v: unknown, what: string): number {
  try {
    return validatePullNumber(String(v));
  } catch {
    throw new HostingError(`${what}: the answer carries an invalid pull request number`, 'bad-response');
  }
}

export async function fetchPullRequestInfo(repo: RepoId, n: number, token: string, opts: RequestOptions = {}): Promise<PullRequestInfo> {
  if (repo.service === 'github') {
    const j = record(await apiGet(repo, `/repos/${repo.path}/pulls/${n}`, token, `pull request #${n}`, opts), `pull request #${n}`);
    return {
      number: n, title: str(j.title), author: str(j.user?.login), state: j.merged_at ? 'merged' : j.state === 'closed' ? 'closed' : 'open',
      baseBranch: str(j.base?.ref), headBranch: str(j.head?.ref), description: str(j.body), url: str(j.html_url),
    };
  }
  const j = record(await apiGet(repo, `/projects/${encodeURIComponent(repo.path)}/merge_requests/${n}`, token, `merge request !${n}`, opts), `merge request !${n}`);
  return {
    number: n, title: str(j.title), author: str(j.author?.username), state: j.state === 'merged' ? 'merged' : j.state === 'opened' ? 'open' : 'closed',
    baseBranch: str(j.target_branch), headBranch: str(j.source_branch), description: str(j.description), url: str(j.web_url),
  };
}

export async function listOpenPullRequests(repo: RepoId, token: string, opts: RequestOptions = {}): Promise<PullRequestInfo[]> {
  if (repo.service === 'github') {
    const what = 'open pull requests';
    const list = records(await apiGet(repo, `/repos/${repo.path}/pulls?state=open&per_page=50`, token, what, opts), what);
    return list.map((j) => ({ number: prNumber(j.number, what), title: str(j.title), author: str(j.user?.login), state: 'open' as const, baseBranch: str(j.base?.ref), headBranch: str(j.head?.ref), description: str(j.body), url: str(j.html_url) }));
  }
  const what = 'open merge requests';
  const list = records(await apiGet(repo, `/projects/${encodeURIComponent(repo.path)}/merge_requests?state=opened&per_page=50`, token, what, opts), what);
  return list.map((j) => ({ number: prNumber(j.iid, what), title: str(j.title), author: str(j.author?.username), state: 'open' as const, baseBranch: str(j.target_branch), headBranch: str(j.source_branch), description: str(j.description), url: str(j.web_url) }));
}

/** Text from a remote (titles, descriptions) made safe to print: no terminal escapes or controls. */
export function plainText(s: string, max = 500): string {
  const t = s.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
