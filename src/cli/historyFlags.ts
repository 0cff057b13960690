// Command-line flags that set history options, shared by analyze and hotspots.

import { HistoryOptions } from '../core/history/historyOptions';
import { OptionValues, UsageError, stringOpt } from './cliTypes';

export const HISTORY_FLAGS = {
  'window-months': { type: 'string' },
  'inactive-months': { type: 'string' },
  'hotspot-top-percent': { type: 'string' },
  'no-cache': { type: 'boolean' },
} as const;

function positive(values: OptionValues, name: string): number | undefined {
  const v = stringOpt(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${name} must be a positive number (got '${v}')`);
  return n;
}

export function historyOptionsFromFlags(values: OptionValues): Partial<HistoryOptions> {
  return {
    windowMonths: positive(values, 'window-months'),
    inactiveMonths: positive(values, 'inactive-months'),
    hotspotTopPercent: positive(values, 'hotspot-top-percent'),
  };
}
