// A logger that keeps what the code under test says at info and trace level, so a test can count
// what really happened (servers started, requests sent, git commands run) instead of timing it.

import { Logger, silentLogger } from '../../src/core/logger';

export interface RecordingLogger extends Logger {
  lines: string[];
  count: (re: RegExp) => number;
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = [];
  return { ...silentLogger, lines, info: (m: string) => lines.push(m), trace: (m: string) => lines.push(m), count: (re) => lines.filter((l) => re.test(l)).length };
}
