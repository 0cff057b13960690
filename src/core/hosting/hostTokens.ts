// Which token goes to which host: every token is bound to exactly one host name, so a remote on
// another host, a look-alike name or a second service in the same clone never receives it.

import { RepoId } from './hostingService';

/** Where a token for a repository's host comes from; the editor and the CLI each supply one. */
export interface TokenSource {
  token(repo: RepoId): Promise<string | undefined>;
  /** Where a token for this host would come from, for the note shown when there is none. */
  hint(repo: RepoId): string;
}

/** The well-known variables, each bound to the public host it was made for and to no other. */
const PUBLIC_HOST_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  'github.com': ['GITHUB_TOKEN', 'GH_TOKEN'],
  'gitlab.com': ['GITLAB_TOKEN'],
};

const HOST_VARIABLE_PREFIX = 'SENIOR_REVIEW_TOKEN_';

/** Tokens shorter than this are not masked in output: real tokens are longer, and masking "1" would garble everything. */
const MIN_MASKED_LENGTH = 8;

/**
 * SENIOR_REVIEW_TOKEN_<HOST>: dots become "_" and hyphens "__" (gitlab.corp.example →
 * SENIOR_REVIEW_TOKEN_GITLAB_CORP_EXAMPLE, my-git.example → SENIOR_REVIEW_TOKEN_MY__GIT_EXAMPLE), so two
 * host names never share a variable. Null for a name that is not a plain DNS host name.
 */
export function hostTokenVariable(host: string): string | null {
  const h = host.toLowerCase();
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(h)) return null;
  return HOST_VARIABLE_PREFIX + h.replace(/-/g, '__').replace(/\./g, '_').toUpperCase();
}

/** The variables a token for `host` is read from, in order of precedence. */
export function tokenVariables(host: string): string[] {
  const own = hostTokenVariable(host);
  return [...(own ? [own] : []), ...(PUBLIC_HOST_VARIABLES[host.toLowerCase()] ?? [])];
}

export function envTokenFor(repo: RepoId, env: NodeJS.ProcessEnv): string | undefined {
  for (const v of tokenVariables(repo.host)) if (env[v]) return env[v];
  return undefined;
}

/** "set GITLAB_TOKEN or SENIOR_REVIEW_TOKEN_GITLAB_COM": the well-known names first, they are what people look for. */
export function envTokenHint(host: string): string {
  const own = hostTokenVariable(host);
  const names = [...(PUBLIC_HOST_VARIABLES[host.toLowerCase()] ?? []), ...(own ? [own] : [])];
  if (names.length === 0) return 'no token variable can name this host';
  return `set ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`}`;
}

/** The CLI's tokens: the environment, host by host. */
export function envTokenSource(env: NodeJS.ProcessEnv): TokenSource {
  return {
    token: async (repo) => envTokenFor(repo, env),
    hint: (repo) => envTokenHint(repo.host),
  };
}

/** Every token value in the environment, to be masked wherever we print or log. */
export function secretValues(env: NodeJS.ProcessEnv): string[] {
  const names = Object.keys(env).filter((k) => k.startsWith(HOST_VARIABLE_PREFIX) || Object.values(PUBLIC_HOST_VARIABLES).some((l) => l.includes(k)));
  return names.map((k) => env[k] ?? '').filter((v) => v.length >= MIN_MASKED_LENGTH);
}
