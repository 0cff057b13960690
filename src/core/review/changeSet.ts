// Builds the change set of a review range from one `git diff --raw -z -p` call: file pairs from
// the NUL-separated raw records, hunks from the patch section that git prints for each pair.

import { ChangeSet, ChangeSetLimits, ChangedFile, DEFAULT_LIMITS, FileKind } from './changeSetTypes';
import { ReviewRange } from './resolveRange';
import { RepoContext } from '../git/repository';
import { runGit } from '../git/runGit';
import { parseRawZ } from './rawDiff';
import { parseSection, splitSections } from './patchSections';

/** Diff options pinned so the reviewer's git config cannot change what we parse. */
export const DIFF_ARGS = [
  '--no-color', '--no-ext-diff', '--no-abbrev', '--full-index', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/',
  '--unified=3', '--find-renames', '--find-copies', '--submodule=short', '--ignore-submodules=none',
];

function kindOf(oldMode: string, newMode: string, binary: boolean): FileKind {
  if (oldMode === '160000' || newMode === '160000') return 'submodule';
  if (oldMode === '120000' || newMode === '120000') return 'symlink';
  return binary ? 'binary' : 'text';
}

/** Parses the combined raw + patch output of `git diff --raw -z -p`. */
export function parseDiffOutput(buf: Buffer, limits: ChangeSetLimits = DEFAULT_LIMITS): ChangedFile[] {
  const { entries, patchOffset } = parseRawZ(buf);
  const sections = splitSections(buf, patchOffset);
  if (sections.length !== entries.length) {
    throw new Error(`git printed ${entries.length} file records but ${sections.length} patch sections`);
  }
  return entries.map((e, i) => {
    const [start, end] = sections[i];
    const p = parseSection(buf, start, end, e.path, limits);
    const kind = kindOf(e.oldMode, e.newMode, p.binary);
    return {
      path: e.path,
      oldPath: e.oldPath,
      status: e.status,
      similarity: e.similarity,
      kind,
      binary: p.binary,
      oldMode: e.oldMode === '000000' ? null : e.oldMode,
      newMode: e.newMode === '000000' ? null : e.newMode,
      oldOid: e.oldOid || null,
      newOid: e.newOid || null,
      additions: p.additions,
      deletions: p.deletions,
      tooLarge: p.tooLarge,
      encoding: p.encoding,
      hunks: p.hunks,
    };
  });
}

export async function computeChangeSet(
  repo: string,
  range: ReviewRange,
  ctx: RepoContext,
  limits: ChangeSetLimits = DEFAULT_LIMITS,
): Promise<ChangeSet> {
  const r = await runGit(['diff', '--raw', '-z', '-p', ...DIFF_ARGS, range.mergeBase, range.headCommit, '--'], ctx);
  const files = parseDiffOutput(r.stdout, limits);
  const stats = { files: files.length, additions: 0, deletions: 0, hunks: 0 };
  for (const f of files) {
    stats.additions += f.additions;
    stats.deletions += f.deletions;
    stats.hunks += f.hunks.length;
  }
  return { repo, ...range, files, stats };
}
