// Small typed queries on a repository (resolve, merge base, ancestry, blobs) built on runGit,
// so the rest of the core never assembles git command lines of its own for these basics.

import { GitOptions, git, runGit } from './runGit';
import { GitError } from './gitError';
import { validateRevision } from './refs';
import { encodeGitPath, isArgumentSafe } from './gitPath';

export type RepoContext = Omit<GitOptions, 'input' | 'okExitCodes' | 'env' | 'maxBuffer'>;

/** The top-level folder of the work tree containing `dir`. */
export async function repoRoot(dir: string, ctx: Omit<RepoContext, 'cwd'> = {}): Promise<string> {
  return (await inRepository(dir, ['--show-toplevel'], ctx))[0];
}

/** The work tree's root, the common git directory and whether the clone is shallow: one git process instead of two. */
export async function repoFacts(dir: string, ctx: Omit<RepoContext, 'cwd'> = {}): Promise<{ root: string; commonDir: string; shallow: boolean }> {
  const [root, commonDir, shallow] = await inRepository(dir, ['--show-toplevel', '--path-format=absolute', '--git-common-dir', '--is-shallow-repository'], ctx);
  return { root, commonDir, shallow: shallow === 'true' };
}

/** `git rev-parse` of these options in `dir`, one answer per line; outside a repository, an error that names `dir`. */
async function inRepository(dir: string, options: string[], ctx: Omit<RepoContext, 'cwd'>): Promise<string[]> {
  try {
    return (await git(['rev-parse', ...options], { ...ctx, cwd: dir })).split('\n').map((l) => l.trim());
  } catch (e) {
    if (e instanceof GitError && e.code === 'NotARepository') throw new GitError(`not a git repository: ${dir}`, 'NotARepository');
    throw e;
  }
}

/** Absolute path of the git directory shared by all worktrees (where our caches live). */
export async function commonGitDir(ctx: RepoContext): Promise<string> {
  return (await git(['rev-parse', '--path-format=absolute', '--git-common-dir'], ctx)).trim();
}

/**
 * The context for reading commits only: git runs inside the common git directory as a bare
 * repository, so no checkout's `.gitattributes` or index applies (a checked-out head could
 * otherwise mark its own files `-diff` and blind diffs, line counts and searches). Inside a
 * non-bare git directory `git diff-tree` still reads the index's attributes, hence `bare`.
 */
export function commitsOnly(ctx: RepoContext, gitDir: string): RepoContext {
  return { ...ctx, cwd: gitDir, bare: true };
}

/** Resolves a user-given revision to a commit id; the name is validated before git sees it. */
export async function resolveCommit(rev: string, ctx: RepoContext, what = 'revision'): Promise<string> {
  validateRevision(rev, what);
  try {
    const out = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { ...ctx, okExitCodes: [1] });
    const oid = out.trim();
    if (!oid) throw new GitError(`unknown ${what} '${rev}'`, 'UnknownRevision');
    return oid;
  } catch (e) {
    if (e instanceof GitError && e.code !== 'UnknownRevision' && e.code !== 'NotARepository' && e.code !== 'Cancelled') {
      throw new GitError(`unknown ${what} '${rev}'`, 'UnknownRevision');
    }
    throw e;
  }
}

/** Whether a ref exists (exact full name, e.g. refs/remotes/origin/HEAD). */
export async function refExists(ref: string, ctx: RepoContext): Promise<boolean> {
  const r = await runGit(['show-ref', '--verify', '--quiet', ref], { ...ctx, okExitCodes: [1] });
  return r.exitCode === 0;
}

export async function mergeBase(a: string, b: string, ctx: RepoContext): Promise<string | null> {
  const r = await runGit(['merge-base', a, b], { ...ctx, okExitCodes: [1] });
  const out = r.stdout.toString('utf8').trim();
  return r.exitCode === 0 && out ? out : null;
}

export async function isAncestor(ancestor: string, descendant: string, ctx: RepoContext): Promise<boolean> {
  const r = await runGit(['merge-base', '--is-ancestor', ancestor, descendant], { ...ctx, okExitCodes: [1] });
  return r.exitCode === 0;
}

/** The common git directory and whether the clone is shallow, in one call. */
export async function gitDirFacts(ctx: RepoContext): Promise<{ commonDir: string; shallow: boolean }> {
  const [commonDir, shallow] = (await git(['rev-parse', '--path-format=absolute', '--git-common-dir', '--is-shallow-repository'], ctx)).split('\n');
  return { commonDir: commonDir.trim(), shallow: shallow?.trim() === 'true' };
}

export async function isShallow(ctx: RepoContext): Promise<boolean> {
  return (await git(['rev-parse', '--is-shallow-repository'], ctx)).trim() === 'true';
}

/** The raw bytes of a file at a commit, or null when the path does not exist there (or is no file). */
export async function readBlobAt(commit: string, path: string, ctx: RepoContext): Promise<Buffer | null> {
  if (isArgumentSafe(path)) {
    const r = await runGit(['cat-file', 'blob', `${commit}:${path}`], { ...ctx, okExitCodes: [128] });
    return r.exitCode === 0 ? r.stdout : null;
  }
  // A name that is not UTF-8 cannot be an argument: it reaches git as bytes on stdin instead
  // (NUL-terminated when it holds a newline, which would end the request early).
  const z = path.includes('\n');
  const input = Buffer.concat([Buffer.from(`${commit}:`), encodeGitPath(path), Buffer.from(z ? '\0' : '\n')]);
  const out = (await runGit(['cat-file', '--batch', ...(z ? ['-z'] : [])], { ...ctx, input })).stdout;
  const nl = out.indexOf(10);
  const header = /^([0-9a-f]{40}(?:[0-9a-f]{24})?) (\w+) (\d+)$/.exec(out.toString('latin1', 0, Math.max(0, nl)));
  if (!header || header[2] !== 'blob') return null;
  return out.subarray(nl + 1, nl + 1 + Number(header[3]));
}

/** The raw bytes of a blob by its object id (no path involved, so any file name works). */
export async function readBlob(oid: string, ctx: RepoContext): Promise<Buffer> {
  return (await runGit(['cat-file', 'blob', oid], ctx)).stdout;
}

/** The current value of a ref, or null if it does not exist. */
export async function readRef(ref: string, ctx: RepoContext): Promise<string | null> {
  const r = await runGit(['rev-parse', '--verify', '--quiet', ref], { ...ctx, okExitCodes: [1] });
  const v = r.stdout.toString('utf8').trim();
  return r.exitCode === 0 && v ? v : null;
}

/** The symbolic ref HEAD points at (refs/heads/x), or null when detached. */
export async function headBranch(ctx: RepoContext): Promise<string | null> {
  const r = await runGit(['symbolic-ref', '--quiet', 'HEAD'], { ...ctx, okExitCodes: [1, 128] });
  const v = r.stdout.toString('utf8').trim();
  return r.exitCode === 0 && v ? v : null;
}
