// Recognises the hosting service (GitHub, GitHub Enterprise, GitLab, self-hosted GitLab) and the
// repository from a remote URL or a pull-request URL, and names the refs each service keeps a
// pull request's head under. Only exact host names are services: github.com, gitlab.com and the
// hosts the user configured; a look-alike name (github.com.evil.example) is just another remote.

export type ServiceKind = 'github' | 'gitlab';

export interface HostingConfig {
  /** Extra GitHub Enterprise hosts (github.com is always GitHub). */
  githubHosts: string[];
  /** Extra self-hosted GitLab hosts (gitlab.com is always GitLab). */
  gitlabHosts: string[];
}

export const DEFAULT_HOSTING: HostingConfig = { githubHosts: [], gitlabHosts: [] };

export interface RepoId {
  service: ServiceKind;
  host: string;
  /** "owner/name" on GitHub, "group/sub/project" on GitLab. */
  path: string;
}

export interface PullRequestUrl extends RepoId {
  number: number;
}

/** The service at exactly this host name, or null: no prefix or suffix guessing. */
function serviceOf(host: string, cfg: HostingConfig): ServiceKind | null {
  const h = host.toLowerCase();
  if (h === 'github.com' || cfg.githubHosts.some((x) => x.toLowerCase() === h)) return 'github';
  if (h === 'gitlab.com' || cfg.gitlabHosts.some((x) => x.toLowerCase() === h)) return 'gitlab';
  return null;
}

/** host and path of https://, ssh:// and scp-like (git@host:path) remote URLs. */
export function splitRemoteUrl(url: string): { host: string; path: string } | null {
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+)$/.exec(url);
  if (scp) return { host: scp[1], path: scp[2] };
  try {
    const u = new URL(url);
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(u.protocol)) return null;
    return { host: u.hostname, path: decodeURIComponent(u.pathname.replace(/^\//, '')) };
  } catch {
    return null;
  }
}

export function repoFromRemote(url: string, cfg: HostingConfig = DEFAULT_HOSTING): RepoId | null {
  const parts = splitRemoteUrl(url);
  if (!parts) return null;
  const service = serviceOf(parts.host, cfg);
  if (!service) return null;
  const path = parts.path.replace(/\.git$/, '').replace(/\/+$/, '');
  if (!/^[\w.-]+(\/[\w.-]+)+$/.test(path)) return null;
  return { service, host: parts.host.toLowerCase(), path };
}

/** https://github.com/o/r/pull/12 and https://gitlab.example/g/p/-/merge_requests/34 */
export function parsePullRequestUrl(text: string, cfg: HostingConfig = DEFAULT_HOSTING): PullRequestUrl | null {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
  const service = serviceOf(u.hostname, cfg);
  const gh = /^\/([\w.-]+\/[\w.-]+)\/pull\/(\d{1,9})(\/.*)?$/.exec(u.pathname);
  if (gh && service === 'github') return { service, host: u.hostname.toLowerCase(), path: gh[1], number: Number(gh[2]) };
  const gl = /^\/([\w.-]+(?:\/[\w.-]+)+)\/-\/merge_requests\/(\d{1,9})(\/.*)?$/.exec(u.pathname);
  if (gl && service === 'gitlab') return { service, host: u.hostname.toLowerCase(), path: gl[1], number: Number(gl[2]) };
  return null;
}

export function pullRequestHeadRef(service: ServiceKind, n: number): string {
  return service === 'github' ? `refs/pull/${n}/head` : `refs/merge-requests/${n}/head`;
}

export function sameRepo(a: RepoId, b: RepoId): boolean {
  return a.service === b.service && a.host === b.host && a.path.toLowerCase() === b.path.toLowerCase();
}
