// What every git call carries so that git runs nothing chosen by a tree under review: no hooks, no
// fsmonitor, no filter drivers, no textconv or external diff, no ssh command on local calls, and no
// inherited environment that would point the call at another repository, index or diff program.

import { GitError } from './gitError';

/**
 * Always: hooks resolve under /dev/null, where nothing can exist (this also disarms a relative
 * `core.hooksPath`, which git resolves inside whatever work tree it runs in), and no fsmonitor hook or daemon.
 */
const ALWAYS = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false'];

/**
 * Local calls never start the reviewer's ssh command: the only way they could reach it is a lazy
 * fetch in a partial clone, which then fails ("could not read from remote") instead of connecting.
 */
const NO_SSH = ['-c', 'core.sshCommand=false'];

/** Subcommands that talk to a remote and so keep the reviewer's ssh transport. */
const NETWORK = new Set(['fetch', 'ls-remote', 'push', 'pull', 'clone']);

/**
 * Porcelain that would run a textconv or external diff driver selected by `.gitattributes` (read
 * from the work tree, which may be the head's). An empty driver value cannot switch these off: git
 * then tries to run "" and fails, so the subcommand's own switches do it.
 */
const DIFF_FAMILY = ['--no-textconv', '--no-ext-diff'];
const NO_DRIVERS: Record<string, readonly string[]> = {
  diff: DIFF_FAMILY, log: DIFF_FAMILY, show: DIFF_FAMILY, whatchanged: DIFF_FAMILY, 'format-patch': DIFF_FAMILY,
  blame: ['--no-textconv'], annotate: ['--no-textconv'], grep: ['--no-textconv'],
};

/** Options that would switch a driver or a conversion back on; refused before `--`. */
const FORBIDDEN = new Set(['--textconv', '--ext-diff', '--filters']);

/**
 * Subcommands that never convert contents between the work tree and the object store, so no
 * smudge/clean/process filter can run. Every other subcommand (status, diff, blame, add, checkout,
 * worktree, hash-object, aliases, ...) gets the filter drivers of the effective config neutralised.
 */
const NO_CONVERSION = new Set([
  'rev-parse', 'rev-list', 'cat-file', 'ls-tree', 'log', 'show', 'diff-tree', 'for-each-ref', 'update-ref',
  'symbolic-ref', 'show-ref', 'merge-base', 'config', 'grep', 'patch-id', 'fast-import', 'fast-export',
  'fetch', 'ls-remote', 'push', 'verify-commit', 'verify-tag', 'commit-tree', 'mktree', 'mktag',
  'interpret-trailers', 'init', 'var', 'version', 'name-rev', 'describe', 'check-ref-format', 'shortlog',
  'count-objects', 'whatchanged', 'format-patch', 'check-attr', 'check-ignore', 'reflog', 'tag', 'branch',
]);

/** Environment that would redirect a call to another repository, index, object store or program. */
const REDIRECTING_ENV = [
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR', 'GIT_NAMESPACE', 'GIT_PREFIX', 'GIT_EXTERNAL_DIFF', 'GIT_DIFF_OPTS', 'GIT_EDITOR',
  'GIT_SEQUENCE_EDITOR', 'GIT_ATTR_SOURCE', 'GIT_GLOB_PATHSPECS', 'GIT_NOGLOB_PATHSPECS', 'GIT_ICASE_PATHSPECS',
  'GIT_REPLACE_REF_BASE', 'GIT_GRAFT_FILE', 'GIT_SHALLOW_FILE', 'GIT_QUARANTINE_PATH',
];
const SSH_ENV = ['GIT_SSH', 'GIT_SSH_COMMAND', 'GIT_SSH_VARIANT'];

/** Values handed to `--config-env` (which, unlike `-c`, takes any driver name, even one with "="). */
const EMPTY_VAR = 'SENIOR_REVIEW_GIT_EMPTY';
const FALSE_VAR = 'SENIOR_REVIEW_GIT_FALSE';

/** Lists the filter-driver keys of the effective configuration (exit 1 when there are none). */
export const FILTER_DRIVER_QUERY: readonly string[] = ['config', '-z', '--name-only', '--get-regexp', '^filter\\.'];

/** Index of the subcommand in an argument list that may start with global options (`-c k=v`). */
function subcommandIndex(args: readonly string[]): number {
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) {
    i += ['-c', '-C', '--git-dir', '--work-tree', '--namespace', '--super-prefix'].includes(args[i]) ? 2 : 1;
  }
  return i;
}

function subcommandOf(args: readonly string[]): string {
  return args[subcommandIndex(args)] ?? '';
}

const OID = '[0-9a-f]{40}(?:[0-9a-f]{24})?';
const OID_RE = new RegExp(`^${OID}$`);
const OID_RANGE_RE = new RegExp(`^${OID}\\.\\.\\.?${OID}$`);

/**
 * Whether the call may run filter drivers, so it needs them neutralised first. `diff` between two
 * commits named by id and `blame` of a commit named by id read objects only (their drivers are off
 * by switch), so the config is not read for them: they are the calls an analysis makes per file.
 */
export function needsFilterNeutralising(args: readonly string[]): boolean {
  const i = subcommandIndex(args);
  const sub = args[i] ?? '';
  if (NO_CONVERSION.has(sub)) return false;
  const end = args.indexOf('--', i + 1);
  const rest = end < 0 ? args.slice(i + 1) : args.slice(i + 1, end);
  if (sub === 'diff' && !rest.some((a) => a === '--no-index' || a === '--cached' || a === '--staged')) {
    const revs = rest.filter((a) => !a.startsWith('-'));
    return !((revs.length === 2 && revs.every((a) => OID_RE.test(a))) || (revs.length === 1 && OID_RANGE_RE.test(revs[0])));
  }
  if (sub === 'blame') return rest.some((a) => a.startsWith('--contents')) || !rest.some((a) => OID_RE.test(a));
  return true;
}

/** Driver names from the NUL-separated output of FILTER_DRIVER_QUERY (`filter.<name>.<key>`). */
export function filterDriverNames(out: Buffer): string[] {
  const names = new Set<string>();
  for (const key of out.toString('utf8').split('\0')) {
    const name = key.trim();
    const dot = name.lastIndexOf('.');
    if (name.startsWith('filter.') && dot > 7) names.add(name.slice(7, dot));
  }
  return [...names].sort();
}

/**
 * The argument list git is given: the caller's global options, then ours (so a caller's `-c`
 * cannot switch hooks back on), the subcommand, the switches that keep its drivers off, the rest.
 */
export function hardenedArgs(args: readonly string[], filterDrivers: readonly string[]): string[] {
  const i = subcommandIndex(args);
  const sub = args[i] ?? '';
  const end = args.indexOf('--', i + 1);
  for (const a of end < 0 ? args.slice(i + 1) : args.slice(i + 1, end)) {
    if (FORBIDDEN.has(a)) throw new GitError(`refusing to run git ${sub} ${a}: it would run a driver chosen by the reviewed tree`, 'Unknown', args);
  }
  const filters = filterDrivers.flatMap((n) => [
    `--config-env=filter.${n}.smudge=${EMPTY_VAR}`, `--config-env=filter.${n}.clean=${EMPTY_VAR}`,
    `--config-env=filter.${n}.process=${EMPTY_VAR}`, `--config-env=filter.${n}.required=${FALSE_VAR}`,
  ]);
  return [
    ...args.slice(0, i), ...ALWAYS, ...(NETWORK.has(sub) ? [] : NO_SSH), ...filters,
    ...args.slice(i, i + 1), ...(NO_DRIVERS[sub] ?? []), ...args.slice(i + 1),
  ];
}

/** The caller's environment without what would redirect the call; ssh settings only for network calls. */
export function hardenedEnv(env: NodeJS.ProcessEnv, args: readonly string[]): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, [EMPTY_VAR]: '', [FALSE_VAR]: 'false' };
  for (const k of REDIRECTING_ENV) delete out[k];
  if (!NETWORK.has(subcommandOf(args))) for (const k of SSH_ENV) delete out[k];
  return out;
}
