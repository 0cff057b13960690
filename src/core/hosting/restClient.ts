// Pull-request metadata from the services' REST APIs (GitHub v3, GitLab v4) with a token, a timeout
// and AbortSignal; every HTTP failure becomes one clear message (no such PR, no permission, rate
// limit with its reset time, unreachable).

import { RepoId } from './hostingService';

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

export class HostingError extends Error {
  constructor(message: string, readonly kind: 'not-found' | 'permission' | 'rate-limit' | 'unreachable' | 'bad-response') {
    super(message);
  }
}

export type TokenProvider = () => Promise<string | undefined>;

export function apiBase(repo: RepoId, env: NodeJS.ProcessEnv = process.env): string {
  if (repo.service === 'github') {
    return env.SENIOR_REVIEW_GITHUB_API ?? (repo.host === 'github.com' ? 'https://api.github.com' : `https://${repo.host}/api/v3`);
  }
  return env.SENIOR_REVIEW_GITLAB_API ?? `https://${repo.host}/api/v4`;
}

async function getJson(url: string, headers: Record<string, string>, what: string, signal?: AbortSignal): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { headers, signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(15_000)]) : AbortSignal.timeout(15_000) });
  } catch (e) {
    throw new HostingError(`${what}: ${new URL(url).host} is unreachable (${(e as Error).message})`, 'unreachable');
  }
  if (res.ok) return res.json();
  const remaining = res.headers.get('x-ratelimit-remaining') ?? res.headers.get('ratelimit-remaining');
  if (res.status === 429 || (res.status === 403 && remaining === '0')) {
    const reset = Number(res.headers.get('x-ratelimit-reset') ?? res.headers.get('ratelimit-reset'));
    const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : '';
    throw new HostingError(`${what}: API rate limit reached${when}`, 'rate-limit');
  }
  if (res.status === 404) throw new HostingError(`${what}: not found (or not visible with this token)`, 'not-found');
  if (res.status === 401 || res.status === 403) throw new HostingError(`${what}: no permission (HTTP ${res.status}); check the token`, 'permission');
  throw new HostingError(`${what}: HTTP ${res.status}`, 'bad-response');
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export async function fetchPullRequestInfo(repo: RepoId, n: number, token: string, signal?: AbortSignal, env: NodeJS.ProcessEnv = process.env): Promise<PullRequestInfo> {
  const base = apiBase(repo, env);
  if (repo.service === 'github') {
    const j = (await getJson(`${base}/repos/${repo.path}/pulls/${n}`, { Authorization: `Bearer ${token}`, Accept: 'application/vnd.github+json', 'User-Agent': 'senior-review' }, `pull request #${n}`, signal)) as Record<string, any>;
    return {
      number: n, title: str(j.title), author: str(j.user?.login), state: j.merged_at ? 'merged' : j.state === 'closed' ? 'closed' : 'open',
      baseBranch: str(j.base?.ref), headBranch: str(j.head?.ref), description: str(j.body), url: str(j.html_url),
    };
  }
  const j = (await getJson(`${base}/projects/${encodeURIComponent(repo.path)}/merge_requests/${n}`, { 'PRIVATE-TOKEN': token }, `merge request !${n}`, signal)) as Record<string, any>;
  return {
    number: n, title: str(j.title), author: str(j.author?.username), state: j.state === 'merged' ? 'merged' : j.state === 'opened' ? 'open' : 'closed',
    baseBranch: str(j.target_branch), headBranch: str(j.source_branch), description: str(j.description), url: str(j.web_url),
  };
}

export async function listOpenPullRequests(repo: RepoId, token: string, signal?: AbortSignal, env: NodeJS.ProcessEnv = process.env): Promise<PullRequestInfo[]> {
  const base = apiBase(repo, env);
  if (repo.service === 'github') {
    const list = (await getJson(`${base}/repos/${repo.path}/pulls?state=open&per_page=50`, { Authorization: `Bearer ${token}`, Accept: 'application/vnd.github+json', 'User-Agent': 'senior-review' }, 'open pull requests', signal)) as Array<Record<string, any>>;
    return list.map((j) => ({ number: Number(j.number), title: str(j.title), author: str(j.user?.login), state: 'open' as const, baseBranch: str(j.base?.ref), headBranch: str(j.head?.ref), description: str(j.body), url: str(j.html_url) }));
  }
  const list = (await getJson(`${base}/projects/${encodeURIComponent(repo.path)}/merge_requests?state=opened&per_page=50`, { 'PRIVATE-TOKEN': token }, 'open merge requests', signal)) as Array<Record<string, any>>;
  return list.map((j) => ({ number: Number(j.iid), title: str(j.title), author: str(j.author?.username), state: 'open' as const, baseBranch: str(j.target_branch), headBranch: str(j.source_branch), description: str(j.description), url: str(j.web_url) }));
}

/** The CLI's tokens: GITHUB_TOKEN / GH_TOKEN, GITLAB_TOKEN. */
export function envToken(repo: RepoId, env: NodeJS.ProcessEnv = process.env): TokenProvider {
  return async () => (repo.service === 'github' ? env.GITHUB_TOKEN ?? env.GH_TOKEN : env.GITLAB_TOKEN) || undefined;
}

/** Text from a remote (titles, descriptions) made safe to print: no terminal escapes or controls. */
export function plainText(s: string, max = 500): string {
  const t = s.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)/g, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
