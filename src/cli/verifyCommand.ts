// `senior-review verify`: exit 0 when the range carries a sign-off for exactly its current diff,
// exit 1 with the status and reason (missing, stale with the files, outdated, malformed,
// committer-mismatch, self-approval, not-allowed; with --require-signature also unsigned,
// bad-signature, untrusted-signature).

import { repoRoot } from '../core/git/repository';
import { resolveRange } from '../core/review/resolveRange';
import { verifySignoff } from '../core/signoff/verifySignoff';
import { CliCommand, REPO_OPTIONS, formatOpt, stringOpt } from './cliTypes';
import { printable, printableJson } from '../core/printable';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'Check in CI that the range carries a sign-off for exactly its current diff',
  usage: 'senior-review verify [--repo DIR] [--base REF] [--head REF] [--require-signature] [--format json|text]',
  options: { ...REPO_OPTIONS, base: { type: 'string' }, head: { type: 'string' }, 'require-signature': { type: 'boolean' }, format: { type: 'string' } },
  async run(values, _p, io) {
    const format = formatOpt(values, ['text', 'json'] as const, 'text');
    const root = await repoRoot(stringOpt(values, 'repo') ?? io.cwd, { signal: io.signal, logger: io.logger });
    const ctx = { cwd: root, signal: io.signal, logger: io.logger };
    const range = await resolveRange({ base: stringOpt(values, 'base'), head: stringOpt(values, 'head') }, ctx);
    const r = await verifySignoff(range, ctx, { requireSignature: values['require-signature'] === true });
    if (format === 'json') io.stdout(printableJson(r) + '\n');
    else if (r.ok) io.stdout(`valid: ${printable(r.reason)}\n`);
    else io.stderr(`senior-review verify: ${r.status}: ${printable(r.reason)}\n`);
    return r.ok ? 0 : 1;
  },
};
