// Writes keys into the working tree's `.senior-review.json` (for `calibrate --write`): the other
// keys are kept, the result must pass the same schema the reader applies, and the file is replaced
// atomically. The reviewer commits it; reviews read the configuration from the base revision.

import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE, ConfigError, parseConfig } from './loadConfig';

export function updateConfigFile(root: string, patch: Record<string, unknown>): { file: string; created: boolean } {
  const file = join(root, CONFIG_FILE);
  const created = !existsSync(file);
  let current: Record<string, unknown> = {};
  if (!created) {
    try {
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
      current = parsed as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError(`${CONFIG_FILE}: not valid JSON (${(e as Error).message.split('\n')[0]}); nothing written`);
    }
  }
  const text = JSON.stringify({ ...current, ...patch }, null, 2) + '\n';
  parseConfig(text, CONFIG_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
  return { file, created };
}
