// The commits of an approved range as the sign-off rules need them: raw (not mailmapped) author and
// committer, whether each changes content, and the trailers git itself reads from its message.

import { git } from '../git/runGit';
import { GitError } from '../git/gitError';
import { RepoContext } from '../git/repository';
import { Trailer, parseTrailerLines } from './trailers';

export interface RangeCommit {
  sha: string;
  subject: string;
  authorEmail: string;
  committerName: string;
  committerEmail: string;
  /** Its tree equals its first parent's: it changes no content. */
  empty: boolean;
  trailers: Trailer[];
}

const FIELDS = ['%H', '%T', '%P', '%ae', '%cn', '%ce', '%s', '%(trailers:only,unfold)'];

/**
 * Newest first (topological). %ae/%ce, never %aE/%cE: a .mailmap comes from the checkout, which
 * the head controls, and could otherwise disguise who wrote a commit. Fields a message could fake
 * (a stray separator in a subject) make the record fail to parse, never shift into another field.
 */
export async function rangeCommits(from: string, to: string, ctx: RepoContext): Promise<RangeCommit[]> {
  const out = await git(['log', '-z', '--topo-order', '--no-show-signature', `--format=${FIELDS.join('%x1f')}`, `${from}..${to}`, '--'], ctx);
  const rows = out.split('\0').filter((r) => r.length > 0).map((r) => {
    const f = r.split('\x1f');
    if (f.length !== FIELDS.length) throw new GitError(`cannot read commit ${f[0]?.slice(0, 12) ?? ''}: a field holds a separator character`, 'BadObject');
    return { sha: f[0], tree: f[1], parents: f[2].split(' ').filter(Boolean), authorEmail: f[3], committerName: f[4], committerEmail: f[5], subject: f[6], trailers: parseTrailerLines(f[7]) };
  });
  const trees = new Map(rows.map((c) => [c.sha, c.tree]));
  const outside = [...new Set(rows.map((c) => c.parents[0]).filter((p): p is string => !!p && !trees.has(p)))];
  if (outside.length) {
    for (const line of (await git(['show', '-s', '--no-show-signature', '--format=%H %T', ...outside, '--'], ctx)).split('\n')) {
      const [h, t] = line.split(' ');
      if (h && t) trees.set(h, t);
    }
  }
  return rows.map((c) => ({
    sha: c.sha, subject: c.subject, authorEmail: c.authorEmail, committerName: c.committerName, committerEmail: c.committerEmail,
    empty: !!c.parents[0] && trees.get(c.parents[0]) === c.tree, trailers: c.trailers,
  }));
}
