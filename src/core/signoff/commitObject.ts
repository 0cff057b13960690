// Reads a commit object as git stored it (tree, parents, author, encoding, message bytes, whether it
// is signed), for the sign-off writer that rebuilds it and for the checks before writing.

import { runGit } from '../git/runGit';
import { GitError } from '../git/gitError';
import { RepoContext } from '../git/repository';

export interface Ident {
  name: string;
  email: string;
  /** Raw git date: "<seconds> <zone>". */
  date: string;
}

export interface CommitObject {
  tree: string;
  parents: string[];
  author: Ident;
  /** The author line's bytes after "author " exactly as stored (names may be in any encoding). */
  authorLine: Buffer;
  /** The encoding header, or null (UTF-8). */
  encoding: string | null;
  message: Buffer;
  /** The kind of its gpgsig header, or null when unsigned. */
  signature: 'ssh' | 'other' | null;
}

export async function readCommit(oid: string, ctx: RepoContext): Promise<CommitObject> {
  const raw = (await runGit(['cat-file', 'commit', oid], ctx)).stdout;
  const split = raw.indexOf('\n\n');
  const header = raw.subarray(0, split < 0 ? raw.length : split).toString('utf8');
  const author = /^author (.*) <(.*)> (\d+ [+-]\d{4})$/m.exec(header);
  const tree = /^tree ([0-9a-f]+)$/m.exec(header);
  if (!author || !tree) throw new GitError(`cannot read commit ${oid.slice(0, 12)}`, 'BadObject');
  return {
    tree: tree[1],
    parents: [...header.matchAll(/^parent ([0-9a-f]+)$/gm)].map((m) => m[1]),
    author: { name: author[1], email: author[2], date: author[3] },
    authorLine: lineAfter(raw.subarray(0, split < 0 ? raw.length : split), 'author '),
    encoding: /^encoding (.*)$/m.exec(header)?.[1] ?? null,
    message: split < 0 ? Buffer.alloc(0) : raw.subarray(split + 2),
    signature: signatureKind(header),
  };
}

function signatureKind(header: string): CommitObject['signature'] {
  const sig = /^gpgsig(?:-sha256)? (.*)$/m.exec(header);
  if (!sig) return null;
  return sig[1].startsWith('-----BEGIN SSH SIGNATURE-----') ? 'ssh' : 'other';
}

function lineAfter(header: Buffer, prefix: string): Buffer {
  const at = header.indexOf(`\n${prefix}`);
  const start = at < 0 ? (header.subarray(0, prefix.length).toString() === prefix ? prefix.length : -1) : at + 1 + prefix.length;
  if (start < 0) return Buffer.alloc(0);
  const end = header.indexOf(10, start);
  return header.subarray(start, end < 0 ? header.length : end);
}

/** The environment that makes commit-tree (or git var) use these identities and dates. */
export function identEnv(author: Ident, committer: Ident): Record<string, string> {
  return {
    GIT_AUTHOR_NAME: author.name, GIT_AUTHOR_EMAIL: author.email, GIT_AUTHOR_DATE: `@${author.date}`,
    GIT_COMMITTER_NAME: committer.name, GIT_COMMITTER_EMAIL: committer.email, GIT_COMMITTER_DATE: `@${committer.date}`,
  };
}

/**
 * The author and committer lines git would write for these identities (`git var`, which writes
 * nothing): git trims some characters from names, so the result is compared, not assumed.
 */
export async function identLines(author: Ident, committer: Ident, ctx: RepoContext): Promise<{ author: Buffer; committer: Buffer }> {
  const env = identEnv(author, committer);
  const one = async (v: string) => {
    const out = (await runGit(['var', v], { ...ctx, env })).stdout;
    return out.subarray(0, out.length && out[out.length - 1] === 10 ? out.length - 1 : out.length);
  };
  return { author: await one('GIT_AUTHOR_IDENT'), committer: await one('GIT_COMMITTER_IDENT') };
}
