// The CLI side of pull requests: resolve `--pr N|URL` to private refs (tokens from the environment,
// each bound to its host), say on stderr what was not available, and list open pull requests (`prs`).

import { repoRoot } from '../core/git/repository';
import { validateRevision } from '../core/git/refs';
import { DEFAULT_HOSTING, HostingConfig, repoFromRemote } from '../core/hosting/hostingService';
import { envTokenFor, envTokenHint, envTokenSource } from '../core/hosting/hostTokens';
import { DEFAULT_HTTP_TIMEOUT_MS } from '../core/hosting/jsonRequest';
import { listOpenPullRequests, plainText } from '../core/hosting/restClient';
import { PullRequestRange, filesChangedSince, openPullRequest } from '../core/review/pullRequest';
import { git } from '../core/git/runGit';
import { CliCommand, CliIo, REPO_OPTIONS, UsageError, formatOpt, stringOpt } from './cliTypes';
import { printable, printableJson } from '../core/printable';

function hostingFromEnv(env: NodeJS.ProcessEnv): HostingConfig {
  const list = (v?: string) => (v ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  return { ...DEFAULT_HOSTING, githubHosts: list(env.SENIOR_REVIEW_GITHUB_HOSTS), gitlabHosts: list(env.SENIOR_REVIEW_GITLAB_HOSTS) };
}

/** SENIOR_REVIEW_HTTP_TIMEOUT_MS: the deadline of one hosting API request, headers and body together. */
export function httpTimeoutFromEnv(env: NodeJS.ProcessEnv): number {
  const v = env.SENIOR_REVIEW_HTTP_TIMEOUT_MS;
  if (v === undefined || v === '') return DEFAULT_HTTP_TIMEOUT_MS;
  if (!/^\d{1,7}$/.test(v) || Number(v) === 0) throw new UsageError(`SENIOR_REVIEW_HTTP_TIMEOUT_MS must be a whole number of milliseconds above 0 (got '${plainText(v, 40)}')`);
  return Number(v);
}

export interface ResolvedPr {
  range: PullRequestRange;
  summary: Record<string, unknown>;
}

export async function resolvePr(pr: string, remote: string | undefined, repo: string, io: Omit<CliIo, 'stdout'>): Promise<ResolvedPr> {
  const httpTimeoutMs = httpTimeoutFromEnv(io.env);
  const root = await repoRoot(repo, { signal: io.signal, logger: io.logger });
  const ctx = { cwd: root, signal: io.signal, logger: io.logger };
  const range = await openPullRequest({ pr, remote, hosting: hostingFromEnv(io.env), tokens: envTokenSource(io.env), signal: io.signal, env: io.env, httpTimeoutMs }, ctx);
  for (const n of range.notes) io.stderr(`note: ${printable(n, 500)}\n`);
  const changedSinceLastFetch = range.moved ? await filesChangedSince(range.baseRef, range.moved.from, range.moved.to, ctx) : [];
  if (range.moved) io.stderr(`note: the pull request moved since it was last fetched (${range.moved.from.slice(0, 12)} → ${range.moved.to.slice(0, 12)}); diff changed in: ${printable(changedSinceLastFetch.join(', ')) || 'no file (rebased only)'}\n`);
  return {
    range,
    summary: {
      number: range.number, service: range.service, repository: range.repo ? `${range.repo.host}/${range.repo.path}` : null, remote: range.remote,
      headSource: range.headSource,
      url: range.info?.url ?? null, title: range.info ? plainText(range.info.title) : null, author: range.info?.author ?? null,
      state: range.info?.state ?? null, description: range.info ? plainText(range.info.description, 5000) : null,
      baseBranch: range.baseBranch, baseRef: range.baseRef, headRef: range.headRef, headCommit: range.headCommit,
      offline: range.offline, moved: range.moved, changedSinceLastFetch, notes: range.notes,
    },
  };
}

export const prsCommand: CliCommand = {
  name: 'prs',
  summary: 'List the open pull requests of a remote on a GitHub or GitLab host (needs that host\'s token)',
  usage: 'senior-review prs [--repo DIR] [--remote NAME] [--format json|table]',
  options: { ...REPO_OPTIONS, remote: { type: 'string' }, format: { type: 'string' } },
  async run(values, _p, io) {
    const format = formatOpt(values, ['table', 'json'] as const, 'table');
    const timeoutMs = httpTimeoutFromEnv(io.env);
    const root = await repoRoot(stringOpt(values, 'repo') ?? io.cwd, { signal: io.signal, logger: io.logger });
    const remote = validateRevision(stringOpt(values, 'remote') ?? 'origin', 'remote');
    const url = (await git(['config', '--get', `remote.${remote}.url`], { cwd: root, okExitCodes: [1] })).trim();
    if (!url) throw new Error(`no remote named '${remote}'`);
    const repo = repoFromRemote(url, hostingFromEnv(io.env));
    if (!repo) throw new Error(`remote '${remote}' is not on a GitHub or GitLab host (github.com, gitlab.com, or one named in SENIOR_REVIEW_GITHUB_HOSTS / SENIOR_REVIEW_GITLAB_HOSTS)`);
    const token = envTokenFor(repo, io.env);
    if (!token) throw new Error(`listing pull requests needs a token for ${repo.host} (${envTokenHint(repo.host)}); open one by number with analyze --pr N`);
    const list = await listOpenPullRequests(repo, token, { signal: io.signal, env: io.env, timeoutMs });
    if (format === 'json') io.stdout(printableJson(list.map((p) => ({ ...p, title: plainText(p.title), description: plainText(p.description, 5000) }))) + '\n');
    else for (const p of list) io.stdout(`${String(p.number).padStart(6)}  ${printable(p.author, 20).padEnd(20)} ${printable(p.baseBranch, 40).padEnd(12)} ${printable(p.title, 90)}\n`);
    return 0;
  },
};
