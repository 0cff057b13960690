// `senior-review approve`: records the checks, notes and visits given as flags in the review
// session, shows the exact trailers and write mode, and with --yes writes the sign-off into git.

import { applicableItems, factsFromChangeSet } from '../core/checklist/evaluate';
import { setNote, tick, visit } from '../core/loop/reviewSession';
import { saveSessionKeepingHeads } from '../core/loop/reviewedHeads';
import { openReview } from '../core/signoff/reviewContext';
import { planSignoff, WriteMode } from '../core/signoff/signoffPlan';
import { SignoffStep, writeSignoff } from '../core/signoff/writeSignoff';
import { verifySignoff } from '../core/signoff/verifySignoff';
import { displayTrailers } from '../core/signoff/trailers';
import { describeSigning, signingSetup } from '../core/signoff/signingSetup';
import { readCommit } from '../core/signoff/commitObject';
import { CliCommand, REPO_OPTIONS, UsageError, listOpt, stringOpt } from './cliTypes';
import { printable } from '../core/printable';

export const approveCommand: CliCommand = {
  name: 'approve',
  summary: 'Sign off a review range: commit trailers bound to the exact diff approved',
  usage: 'senior-review approve [--repo DIR] [--base REF] [--head REF] [--reviewer "Name <email>"] [--check ID ...] [--note ID=TEXT ...] [--visit HUNK_ID ...|--visit-all] [--mode amend|commit] [--sign|--no-sign] [--override REASON] [--yes]',
  options: {
    ...REPO_OPTIONS, base: { type: 'string' }, head: { type: 'string' }, reviewer: { type: 'string' },
    check: { type: 'string', multiple: true }, note: { type: 'string', multiple: true }, visit: { type: 'string', multiple: true },
    'visit-all': { type: 'boolean' }, mode: { type: 'string' }, override: { type: 'string' }, yes: { type: 'boolean', short: 'y' },
    sign: { type: 'boolean' }, 'no-sign': { type: 'boolean' },
  },
  async run(values, _p, io) {
    const mode = stringOpt(values, 'mode');
    if (mode !== undefined && mode !== 'amend' && mode !== 'commit') throw new UsageError(`--mode must be amend or commit (got '${mode}')`);
    if (values.sign === true && values['no-sign'] === true) throw new UsageError('--sign and --no-sign contradict each other');
    const sign = values.sign === true ? true : values['no-sign'] === true ? false : undefined;
    const r = await openReview({ repo: stringOpt(values, 'repo') ?? io.cwd, base: stringOpt(values, 'base'), head: stringOpt(values, 'head'), reviewer: stringOpt(values, 'reviewer'), signal: io.signal, logger: io.logger });
    const known = new Set(applicableItems(r.config.items, factsFromChangeSet(r.cs)).map((i) => i.id));
    const all = new Set(r.config.items.map((i) => i.id));
    for (const id of listOpt(values, 'check')) {
      if (!all.has(id)) throw new UsageError(`--check ${id}: no such checklist item (items: ${[...all].join(', ')})`);
      tick(r.session, id);
    }
    for (const kv of listOpt(values, 'note')) {
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new UsageError(`--note must be ID=TEXT (got '${kv.split('\n')[0]}')`);
      const id = kv.slice(0, eq);
      if (!all.has(id)) throw new UsageError(`--note ${id}: no such checklist item`);
      setNote(r.session, id, kv.slice(eq + 1));
    }
    const hunkIds = new Set(r.cs.files.flatMap((f) => f.hunks.map((h) => h.id)));
    for (const id of listOpt(values, 'visit')) {
      if (!hunkIds.has(id)) throw new UsageError(`--visit ${id}: no such hunk in this range`);
      visit(r.session, id);
    }
    if (values['visit-all'] === true) for (const id of hunkIds) visit(r.session, id);
    await saveSessionKeepingHeads(r.gitDir, r.session, r.ctx);
    if (r.droppedVisits.length) io.stderr(`note: the head moved; ${r.droppedVisits.length} visited hunk(s) changed and must be visited again\n`);

    const already = await verifySignoff(r.cs, r.ctx);
    // A valid but unsigned sign-off (say, after a rebase) is signed again when the reviewer signs.
    if (already.ok && already.reviewer === r.reviewer && (!(await signingSetup(r.ctx, sign)).sign || (await readCommit(already.signoffCommit!, r.ctx)).signature !== null)) {
      io.stdout(`already approved: ${printable(already.reason)}\n`);
      return 0;
    }
    const plan = await planSignoff({ cs: r.cs, config: r.config, session: r.session, reviewer: r.reviewer, mode: mode as WriteMode | undefined, override: stringOpt(values, 'override'), sign, ctx: r.ctx });
    if (plan.blocked) throw new Error(`cannot approve: ${plan.blocked}`);
    if (plan.missing.length && !plan.override) {
      throw new Error(`cannot approve yet (${plan.missing.length} missing): ${plan.missing.join('; ')} — or pass --override REASON`);
    }
    const branch = plan.branchRef.replace(/^refs\/heads\//, '');
    io.stdout(`Sign-off for ${printable(branch)} (${plan.mode}: ${printable(plan.modeReason)}):\n\n${displayTrailers(plan.trailers)}\nSignature: ${describeSigning(plan.signing)}\n`);
    if (values.yes !== true) {
      io.stdout('dry run: nothing written (pass --yes to write the sign-off)\n');
      return 0;
    }
    const crashAt = io.env.SENIOR_REVIEW_CRASH_AT;
    // Fault injection for the crash tests: the process kills itself at the named step.
    const onStep = (s: SignoffStep) => {
      if (crashAt === s) process.kill(process.pid, 'SIGKILL');
    };
    const w = await writeSignoff(plan, r.ctx, onStep);
    io.stdout(`${w.mode === 'amend' ? 'amended' : 'committed'} ${w.commit.slice(0, 12)} on ${printable(branch)} (was ${w.previous.slice(0, 12)}${w.backupRef ? `, backup ${printable(w.backupRef)}` : ''}${w.signed ? ', signed' : ''})\n`);
    if (w.signed) {
      // What CI will say with --require-signature, said now while the reviewer can still fix it.
      const strict = await verifySignoff({ ...r.cs, headCommit: w.commit }, r.ctx, { requireSignature: true });
      if (!strict.ok) io.stderr(`note: verify --require-signature would refuse this sign-off: ${strict.status}: ${printable(strict.reason)}\n`);
    }
    return 0;
  },
};
