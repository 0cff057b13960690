// The one place that spawns git: argument arrays only, a fixed C locale, no optional locks,
// literal paths, cancellation and timeouts that kill the child, and every call logged with its duration.
// Every call is hardened so git runs nothing chosen by a tree under review (see gitHardening.ts).

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { GitError, classifyGitStderr, firstErrorLine } from './gitError';
import { Logger, silentLogger } from '../logger';
import { FILTER_DRIVER_QUERY, filterDriverNames, hardenedArgs, hardenedEnv, needsFilterNeutralising } from './gitHardening';

export interface GitOptions {
  cwd: string;
  signal?: AbortSignal;
  /** Milliseconds before the child is killed; 0 = none. */
  timeoutMs?: number;
  logger?: Logger;
  /** Written to stdin, then stdin is closed. */
  input?: string | Buffer;
  /** Extra environment (e.g. GIT_AUTHOR_DATE for commit-tree). */
  env?: Record<string, string>;
  /** Exit codes that are not failures (e.g. 1 for `diff --quiet`). */
  okExitCodes?: number[];
  /** Refuse to buffer more than this many bytes of stdout. */
  maxBuffer?: number;
  /**
   * Run as in a bare repository (`cwd` is then the git directory): no work tree and no index, so no
   * checkout's `.gitattributes` applies. The reviewer's checkout may be the head under review, whose
   * `-diff` would turn sources binary for diff, log and grep. For calls that read commits only.
   */
  bare?: boolean;
}

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_BUFFER = 1024 * 1024 * 1024;

/** Global options put before every subcommand: paths unquoted (we parse -z), no pager, no colour. */
const BASE_ARGS = ['-c', 'core.quotepath=false', '-c', 'color.ui=false', '-c', 'core.pager=cat', '--no-pager'];

/** See GitOptions.bare: inside a non-bare repository's git directory, git still read the index's attributes. */
const BARE = ['-c', 'core.bare=true'];

/** The environment of a git call: the caller's, without what would redirect or hijack it. */
export function gitEnv(args: readonly string[], extra?: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...hardenedEnv(process.env, args),
    LC_ALL: 'C',
    LANG: 'C',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    ...extra,
  };
}

/** Runs git to completion and returns its output; a non-zero exit throws a GitError. */
export function runGit(args: readonly string[], opts: GitOptions): Promise<GitResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  const maxBuffer = opts.maxBuffer ?? DEFAULT_MAX_BUFFER;
  return spawnGit(args, opts, (chunk, kill) => {
    size += chunk.length;
    if (size > maxBuffer) kill(new GitError(`git ${args[0]} produced more than ${maxBuffer} bytes`, 'OutputTooLarge', args));
    else chunks.push(chunk);
  }).then((r) => ({ ...r, stdout: Buffer.concat(chunks, size > maxBuffer ? undefined : size) }));
}

/** Runs git and returns stdout as UTF-8 text. */
export async function git(args: readonly string[], opts: GitOptions): Promise<string> {
  return (await runGit(args, opts)).stdout.toString('utf8');
}

/**
 * Runs git and hands each stdout chunk to `onChunk` as it arrives, for outputs too large to buffer
 * (git log over a whole history). Resolves when git exits.
 */
export function streamGit(
  args: readonly string[],
  opts: GitOptions,
  onChunk: (chunk: Buffer) => void,
): Promise<{ stderr: string; exitCode: number }> {
  return spawnGit(args, opts, (chunk) => onChunk(chunk));
}

/**
 * Hardens the call, then runs it. Subcommands that may convert file contents between the work tree
 * and the object store first read which filter drivers the effective config defines, fresh on
 * every such call (a driver added while the editor runs is neutralised too), and switch them off.
 */
async function spawnGit(
  args: readonly string[],
  opts: GitOptions,
  onStdout: (chunk: Buffer, kill: (err: GitError) => void) => void,
): Promise<{ stderr: string; exitCode: number }> {
  let filters: string[] = [];
  if (needsFilterNeutralising(args)) {
    const chunks: Buffer[] = [];
    await spawnHardened(FILTER_DRIVER_QUERY, [], { ...opts, input: undefined, okExitCodes: [1] }, (c) => { chunks.push(c); });
    filters = filterDriverNames(Buffer.concat(chunks));
  }
  return spawnHardened(args, filters, opts, onStdout);
}

function spawnHardened(
  args: readonly string[],
  filters: readonly string[],
  opts: GitOptions,
  onStdout: (chunk: Buffer, kill: (err: GitError) => void) => void,
): Promise<{ stderr: string; exitCode: number }> {
  const logger = opts.logger ?? silentLogger;
  const started = performance.now();
  const label = `git ${args.slice(0, 6).join(' ')}${args.length > 6 ? ' …' : ''}`;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new GitError(`${label}: cancelled`, 'Cancelled', args));
      return;
    }
    let settled = false;
    let failure: GitError | undefined;
    const stderrChunks: Buffer[] = [];
    let argv: string[];
    try {
      argv = [...BASE_ARGS, ...(opts.bare ? BARE : []), ...hardenedArgs(args, filters)];
    } catch (e) {
      reject(e);
      return;
    }
    const child = spawn('git', argv, {
      cwd: opts.cwd,
      env: gitEnv(args, opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
      // Its own process group, so a kill also ends what git started (hooks, aliases, helpers).
      detached: process.platform !== 'win32',
    });
    const kill = (err: GitError) => {
      if (!failure) failure = err;
      try {
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timer = timeoutMs > 0
      ? setTimeout(() => kill(new GitError(`${label}: timed out after ${timeoutMs} ms`, 'Timeout', args)), timeoutMs)
      : undefined;
    const onAbort = () => kill(new GitError(`${label}: cancelled`, 'Cancelled', args));
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      if (failure) return;
      try {
        onStdout(chunk, kill);
      } catch (e) {
        kill(e instanceof GitError ? e : new GitError(String((e as Error)?.message ?? e), 'Unknown', args));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => stderrChunks.push(chunk));
    child.stdin.on('error', () => { /* git may exit before reading all input; the exit code tells */ });
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();

    const finish = (exitCode: number | null, spawnError?: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const stderr = Buffer.concat(stderrChunks).toString('utf8');
      const ms = (performance.now() - started).toFixed(1);
      logger.trace(`${label} (${ms} ms, exit ${exitCode ?? 'killed'})`);
      if (spawnError) {
        if (spawnError.code === 'ENOENT' && !existsSync(opts.cwd)) {
          reject(new GitError(`no such folder: ${opts.cwd}`, 'NotARepository', args));
        } else if (spawnError.code === 'ENOENT') {
          reject(new GitError('git is not installed or not on PATH', 'GitNotFound', args));
        } else {
          reject(new GitError(spawnError.message, 'Unknown', args));
        }
        return;
      }
      if (failure) {
        reject(failure);
        return;
      }
      const code = exitCode ?? -1;
      if (code !== 0 && !(opts.okExitCodes ?? []).includes(code)) {
        const errCode = classifyGitStderr(stderr);
        const msg = firstErrorLine(stderr) || `git ${args[0]} exited with ${code}`;
        logger.trace(`${label} failed: ${msg}`);
        reject(new GitError(msg, errCode, args, code, stderr));
        return;
      }
      resolve({ stderr, exitCode: code });
    };
    child.on('error', (e) => finish(null, e));
    child.on('close', (code) => finish(code));
  });
}
