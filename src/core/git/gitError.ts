// Typed git failures: a non-zero exit becomes a GitError whose code is recognised from stderr,
// so callers (and the CLI's exit codes) can react without parsing messages themselves.

export type GitErrorCode =
  | 'NotARepository'
  | 'UnknownRevision'
  | 'AmbiguousArgument'
  | 'ShallowRepository'
  | 'BadObject'
  | 'NoMergeBase'
  | 'InvalidRef'
  | 'RefLocked'
  | 'RefChanged'
  | 'NotFound'
  | 'PermissionDenied'
  | 'RemoteUnreachable'
  | 'GitNotFound'
  | 'Timeout'
  | 'Cancelled'
  | 'OutputTooLarge'
  | 'Unknown';

export class GitError extends Error {
  constructor(
    message: string,
    readonly code: GitErrorCode,
    readonly args: readonly string[] = [],
    readonly exitCode: number | null = null,
    readonly stderr = '',
  ) {
    super(message);
    this.name = 'GitError';
  }
}

const patterns: Array<[RegExp, GitErrorCode]> = [
  [/not a git repository/i, 'NotARepository'],
  [/unknown revision|bad revision|invalid revision|needed a single revision|not a valid object name|does not point to a valid object/i, 'UnknownRevision'],
  [/ambiguous argument/i, 'AmbiguousArgument'],
  [/shallow/i, 'ShallowRepository'],
  [/bad object|not a valid commit|missing object|could not read object/i, 'BadObject'],
  [/no merge base/i, 'NoMergeBase'],
  [/is not a valid ref name|bad refname|not a valid branch name/i, 'InvalidRef'],
  [/cannot lock ref|unable to create .*\.lock/i, 'RefLocked'],
  [/but expected|is at .* but expected/i, 'RefChanged'],
  [/couldn't find remote ref|does not exist|no such/i, 'NotFound'],
  [/permission denied|authentication failed|could not read username/i, 'PermissionDenied'],
  [/could not resolve host|unable to access|connection refused|could not read from remote repository|unable to connect/i, 'RemoteUnreachable'],
];

export function classifyGitStderr(stderr: string): GitErrorCode {
  for (const [re, code] of patterns) if (re.test(stderr)) return code;
  return 'Unknown';
}

/** The first meaningful stderr line, without git's "fatal: " prefix: what a user is shown. */
export function firstErrorLine(stderr: string): string {
  const line = stderr
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^(fatal|error):/.test(l)) ?? stderr.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  return line.replace(/^(fatal|error):\s*/, '');
}
