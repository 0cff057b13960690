// The change-set model: what `analyze` emits and every later analysis (history, impact, risk,
// checklist) attaches to. This is the JSON contract documented in schema/analyze.schema.json.

export type FileStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied' | 'typechange' | 'unmerged' | 'unknown';

export type FileKind = 'text' | 'binary' | 'submodule' | 'symlink';

export interface Hunk {
  /** Stable across head moves while the hunk's path and lines are unchanged (session state key). */
  id: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The "@@ -a,b +c,d @@ section" line as git printed it. */
  header: string;
  /** The function context git printed after the @@ (may be empty). */
  section: string;
  /** Diff lines with their ' ', '+', '-' or '\' prefix, CR kept. */
  lines: string[];
  added: number;
  removed: number;
  // Later analyses attach: history, impact, risk, aiAssisted (see their modules).
  [extension: string]: unknown;
}

export interface ChangedFile {
  /**
   * Path at head (at base for a deleted file). Git paths are bytes: a name that is not UTF-8 has
   * each such byte as a lone surrogate U+DC80..U+DCFF (git/gitPath.ts), so the string is still
   * its identity; `pathBytes` then holds the exact bytes.
   */
  path: string;
  /** Path at base when it differs (renamed, copied), else null. */
  oldPath: string | null;
  /** Base64 of the path's bytes, only when they are not valid UTF-8. */
  pathBytes?: string;
  /** Base64 of the old path's bytes, only when they are not valid UTF-8. */
  oldPathBytes?: string;
  status: FileStatus;
  /** Rename/copy similarity in percent, else null. */
  similarity: number | null;
  kind: FileKind;
  binary: boolean;
  oldMode: string | null;
  newMode: string | null;
  oldOid: string | null;
  newOid: string | null;
  additions: number;
  deletions: number;
  /** Past the size limit: hunks are dropped and the UI shows "too large to show". */
  tooLarge: boolean;
  /** How file content was decoded: utf8, or latin1 when it is not valid UTF-8. */
  encoding: 'utf8' | 'latin1';
  hunks: Hunk[];
  [extension: string]: unknown;
}

export interface ChangeSet {
  /** Absolute path of the repository's work tree top level. */
  repo: string;
  /** The refs as the user gave them (or the defaults chosen). */
  base: string;
  head: string;
  baseCommit: string;
  headCommit: string;
  /** `git diff base...head` compares mergeBase with head. */
  mergeBase: string;
  files: ChangedFile[];
  stats: { files: number; additions: number; deletions: number; hunks: number };
  [extension: string]: unknown;
}

export interface ChangeSetLimits {
  /** Files with more changed lines than this get tooLarge (default 20,000). */
  maxLinesPerFile: number;
  /** Files whose patch text exceeds this many bytes get tooLarge (default 4 MiB). */
  maxPatchBytesPerFile: number;
}

export const DEFAULT_LIMITS: ChangeSetLimits = { maxLinesPerFile: 20_000, maxPatchBytesPerFile: 4 * 1024 * 1024 };
