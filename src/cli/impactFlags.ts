// Command-line flags for call-graph impact, shared by analyze and impact.

import { AttachImpactOptions } from '../core/impact/attachImpact';
import { ServerSetting } from '../core/impact/servers';
import { OptionValues, UsageError, listOpt, stringOpt } from './cliTypes';

export const IMPACT_FLAGS = {
  'no-impact': { type: 'boolean' },
  'max-depth': { type: 'string' },
  'trust-workspace': { type: 'boolean' },
  'language-server': { type: 'string', multiple: true },
  'server-timeout': { type: 'string' },
} as const;

/** `--language-server .py=pyright-langserver --stdio` style: EXTS=COMMAND [ARGS...], languageId from the first ext. */
function parseServer(spec: string): ServerSetting {
  const eq = spec.indexOf('=');
  if (eq <= 0) throw new UsageError(`--language-server must be EXTS=COMMAND, e.g. .py=pyright-langserver --stdio (got '${spec}')`);
  const exts = spec.slice(0, eq).split(',').map((e) => (e.startsWith('.') ? e : `.${e}`));
  const [command, ...args] = spec.slice(eq + 1).trim().split(/\s+/);
  return { extensions: exts, command, args, languageId: exts[0].slice(1) };
}

export function impactOptionsFromFlags(values: OptionValues): AttachImpactOptions | false {
  if (values['no-impact'] === true) return false;
  const d = stringOpt(values, 'max-depth');
  const maxDepth = d === undefined ? undefined : Number(d);
  if (maxDepth !== undefined && (!Number.isInteger(maxDepth) || maxDepth < 1)) throw new UsageError('--max-depth must be a positive whole number');
  const t = stringOpt(values, 'server-timeout');
  if (t !== undefined && (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > 3600)) {
    throw new UsageError(`--server-timeout must be a whole number of seconds from 1 to 3600 (got '${t}')`);
  }
  return {
    maxDepth, trusted: values['trust-workspace'] === true, servers: listOpt(values, 'language-server').map(parseServer),
    serverTimeoutMs: t === undefined ? undefined : Number(t) * 1000,
  };
}
