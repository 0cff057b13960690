// The logger the core writes to; the editor supplies a LogOutputChannel, the CLI stderr or nothing.
// Kept as an interface so src/core never depends on vscode.

import { printable } from './printable';

export interface Logger {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  trace() {},
  info() {},
  warn() {},
  error() {},
};

/** A logger that writes `[level] message` lines to a stream (one line each, escaped), for the CLI's --verbose. */
export function streamLogger(write: (line: string) => void, verbose: boolean): Logger {
  return {
    trace: (m) => { if (verbose) write(`[trace] ${printable(m)}\n`); },
    info: (m) => { if (verbose) write(`[info] ${printable(m)}\n`); },
    warn: (m) => write(`[warn] ${printable(m)}\n`),
    error: (m) => write(`[error] ${printable(m)}\n`),
  };
}
