// `senior-review verify`: exit 0 when the range carries a sign-off for exactly its current diff,
// exit 1 with the status and reason (missing, stale with the files, outdated, malformed,
// committer-mismatch, self-approval, not-allowed, blocking-threads; with --require-signature also
// unsigned, bad-signature, untrusted-signature). `--commit SHA` checks one commit after a squash or
// rebase merge instead, and says which rules a commit made by the host cannot satisfy.

import { repoRoot } from '../core/git/repository';
import { resolveRange } from '../core/review/resolveRange';
import { verifySignoff } from '../core/signoff/verifySignoff';
import { MergedCommitError, verifyMergedCommit } from '../core/signoff/verifyMergedCommit';
import { CliCommand, CliIo, OptionValues, REPO_OPTIONS, UsageError, formatOpt, stringOpt } from './cliTypes';
import { printable, printableJson } from '../core/printable';

async function verifyCommit(values: OptionValues, ctx: { cwd: string; signal: AbortSignal; logger: CliIo['logger'] }) {
  if (stringOpt(values, 'base') !== undefined || stringOpt(values, 'head') !== undefined) throw new UsageError('--commit checks one merged commit: it does not go with --base or --head');
  try {
    return await verifyMergedCommit(stringOpt(values, 'commit')!, ctx, { from: stringOpt(values, 'from'), requireSignature: values['require-signature'] === true });
  } catch (e) {
    throw e instanceof MergedCommitError ? new UsageError(e.message) : e;
  }
}

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'Check in CI that the range (or, after a squash merge, one commit) carries a sign-off for exactly its diff',
  usage: 'senior-review verify [--repo DIR] ([--base REF] [--head REF] | --commit SHA [--from REV]) [--require-signature] [--format json|text]',
  options: { ...REPO_OPTIONS, base: { type: 'string' }, head: { type: 'string' }, commit: { type: 'string' }, from: { type: 'string' }, 'require-signature': { type: 'boolean' }, format: { type: 'string' } },
  async run(values, _p, io) {
    const format = formatOpt(values, ['text', 'json'] as const, 'text');
    if (stringOpt(values, 'from') !== undefined && stringOpt(values, 'commit') === undefined) throw new UsageError('--from goes with --commit');
    const root = await repoRoot(stringOpt(values, 'repo') ?? io.cwd, { signal: io.signal, logger: io.logger });
    const ctx = { cwd: root, signal: io.signal, logger: io.logger };
    const merged = stringOpt(values, 'commit') !== undefined ? await verifyCommit(values, ctx) : null;
    const r = merged ?? (await verifySignoff(await resolveRange({ base: stringOpt(values, 'base'), head: stringOpt(values, 'head') }, ctx), ctx, { requireSignature: values['require-signature'] === true }));
    const notChecked = merged?.notChecked.length ? `not checked on a merged commit: ${printable(merged.notChecked.map((n) => `${n.rule} (${n.why})`).join('; '))}\n` : '';
    if (format === 'json') io.stdout(printableJson(r) + '\n');
    else if (r.ok) io.stdout(`valid: ${printable(r.reason)}\n${notChecked}`);
    else io.stderr(`senior-review verify: ${r.status}: ${printable(r.reason)}\n`);
    return r.ok ? 0 : 1;
  },
};
