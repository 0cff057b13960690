// What a CLI command is: a name, its options for node:util parseArgs, and a run function that
// writes to the given streams and returns the exit code.

import { ParseArgsConfig } from 'node:util';
import { Logger } from '../core/logger';
import { StatusLine } from './progressLine';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  logger: Logger;
  signal: AbortSignal;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Whether stderr is a terminal (a progress line is drawn there only then, or when forced). */
  stderrIsTTY?: boolean;
  /** Set by runCli: stderr with a status line that other stderr text never runs into. */
  statusLine?: StatusLine;
}

export type OptionValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: OptionValues, positionals: string[], io: CliIo): Promise<number>;
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export class UsageError extends Error {}

export function stringOpt(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

export function listOpt(values: OptionValues, name: string): string[] {
  const v = values[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

export function formatOpt<T extends string>(values: OptionValues, allowed: readonly T[], fallback: T): T {
  const v = stringOpt(values, 'format') ?? fallback;
  if (!allowed.includes(v as T)) throw new UsageError(`--format must be one of ${allowed.join(', ')} (got '${v}')`);
  return v as T;
}

/** Options every repository command accepts. */
export const REPO_OPTIONS = {
  repo: { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
} as const;
