// Builds the change set of a review range from one streamed `git diff --raw -z -p` call: file pairs
// from the NUL-separated raw records, hunks from the patch section git prints for each pair.

import { ChangeSet, ChangeSetLimits, ChangedFile, DEFAULT_LIMITS } from './changeSetTypes';
import { RangeEnds, mergeBaseOf } from './resolveRange';
import { RepoContext, commitsOnly, commonGitDir } from '../git/repository';
import { runGit, streamGit } from '../git/runGit';
import { DiffStreamParser } from './diffStreamParser';

/** Diff options pinned so the reviewer's git config cannot change what we parse. */
export const DIFF_ARGS = [
  '--no-color', '--no-ext-diff', '--no-abbrev', '--full-index', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/',
  '--unified=3', '--find-renames', '--find-copies', '--submodule=short', '--ignore-submodules=none',
];

/** Parses the combined raw + patch output of `git diff --raw -z -p` held in one buffer. */
export function parseDiffOutput(buf: Buffer, limits: ChangeSetLimits = DEFAULT_LIMITS): ChangedFile[] {
  const parser = new DiffStreamParser(limits);
  if (buf.length) parser.push(buf);
  return parser.end();
}

/**
 * The files of `git diff from to` for these pathspecs (all files for none), diffed as the change
 * set is: with its options, inside the git directory as a bare repository (see commitsOnly), so
 * their hunks and hunk ids are the change set's whatever is checked out.
 */
export async function diffCommits(from: string, to: string, pathspecs: readonly string[], ctx: RepoContext, gitDir: string): Promise<ChangedFile[]> {
  return parseDiffOutput((await runGit(['diff', '--raw', '-z', '-p', ...DIFF_ARGS, from, to, '--', ...pathspecs], commitsOnly(ctx, gitDir))).stdout);
}

/**
 * The change set of `git diff base...head`. Given only the ends, git computes the merge base for
 * the diff while we ask for it in parallel (both name immutable commit ids, so they agree).
 * The diff runs inside the git directory (`gitDir`, asked of git when not given), where git reads
 * no work tree's `.gitattributes`: run in the reviewer's checkout, a checked-out head could mark its
 * sources `-diff` and have every hunk shown as "binary, 0 hunks", and what a review showed
 * depended on what was checked out. Binary is then decided by content alone.
 */
export async function computeChangeSet(
  repo: string,
  range: RangeEnds & { mergeBase?: string },
  ctx: RepoContext,
  limits: ChangeSetLimits = DEFAULT_LIMITS,
  gitDir?: string,
): Promise<ChangeSet> {
  const parser = new DiffStreamParser(limits);
  const spec = range.mergeBase ? [range.mergeBase, range.headCommit] : [`${range.baseCommit}...${range.headCommit}`];
  const mbPromise = range.mergeBase ? Promise.resolve(range.mergeBase) : mergeBaseOf(range, ctx);
  mbPromise.catch(() => undefined);
  const inside = commitsOnly(ctx, gitDir ?? (await commonGitDir(ctx)));
  const diffPromise = streamGit(['diff', '--raw', '-z', '-p', ...DIFF_ARGS, ...spec, '--'], inside, (c) => parser.push(c));
  // Unrelated histories fail both calls; the merge-base error says it more clearly, so it goes first.
  diffPromise.catch(() => undefined);
  const mb = await mbPromise;
  await diffPromise;
  const files = parser.end();
  const stats = { files: files.length, additions: 0, deletions: 0, hunks: 0 };
  for (const f of files) {
    stats.additions += f.additions;
    stats.deletions += f.deletions;
    stats.hunks += f.hunks.length;
  }
  return { repo, base: range.base, head: range.head, baseCommit: range.baseCommit, headCommit: range.headCommit, mergeBase: mb, files, stats };
}
