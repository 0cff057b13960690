// Where a pull request's head lives on a remote that is not a known service (Gitea, Forgejo,
// Bitbucket Server, a plain or local remote): each host family's ref, looked up with git ls-remote.

import { runGit } from '../git/runGit';
import { GitError } from '../git/gitError';
import { RepoContext } from '../git/repository';
import { OID_RE, validateRefName } from '../git/refs';
import { maskUrlCredentials } from '../hosting/maskCredentials';

/** GitHub, Gitea and Forgejo; GitLab; Bitbucket Server: in this order of preference. */
export function pullRequestRefCandidates(n: number): string[] {
  return [`refs/pull/${n}/head`, `refs/merge-requests/${n}/head`, `refs/pull-requests/${n}/from`];
}

/**
 * The remote ref that holds pull request `n`. ls-remote patterns match ref-name tails, so only exact
 * names count (refs/heads/x/refs/pull/8/head is a branch, not pull request 8); two candidates naming
 * different commits are refused rather than guessed between.
 */
export async function findPullRequestRef(remote: string, n: number, ctx: RepoContext): Promise<string> {
  const candidates = pullRequestRefCandidates(n);
  let out: string;
  try {
    out = (await runGit(['ls-remote', remote, ...candidates], { ...ctx, timeoutMs: 30_000 })).stdout.toString('utf8');
  } catch (e) {
    const err = e as GitError;
    if (err.code === 'Cancelled') throw err;
    // RemoteUnreachable whatever git said: the caller falls back to a copy fetched earlier on exactly this code.
    throw new GitError(`could not list the refs of remote '${remote}' (${maskUrlCredentials(err.message)})`, 'RemoteUnreachable');
  }
  const found = new Map<string, string>();
  for (const line of out.split('\n')) {
    const [oid, ref] = line.split('\t');
    if (ref && candidates.includes(ref) && OID_RE.test(oid)) found.set(validateRefName(ref), oid);
  }
  const present = candidates.filter((c) => found.has(c));
  if (present.length === 0) throw new GitError(`no pull request #${n} on ${remote} (looked for ${candidates.join(', ')})`, 'NotFound');
  if (new Set(present.map((r) => found.get(r))).size > 1) {
    throw new GitError(`${remote} has two different pull requests #${n} (${present.join(', ')}): open it by its URL on a configured host, or fetch the head yourself and use --base/--head`, 'NotFound');
  }
  return present[0];
}
