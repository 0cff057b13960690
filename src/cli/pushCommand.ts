// `senior-review push`: sends the signed-off head to the branch the pull request comes from (plain
// push for a sign-off commit, lease on the replaced head for an amended one) with the review's comments.

import { repoRoot } from '../core/git/repository';
import { PushRefused, executePush, planPush } from '../core/signoff/pushSignoff';
import { printable } from '../core/printable';
import { CliCommand, REPO_OPTIONS, UsageError, stringOpt } from './cliTypes';

export const pushCommand: CliCommand = {
  name: 'push',
  summary: 'Push the signed-off head to its branch on the remote (lease on the exact old head after an amend) with the review\'s comments',
  usage: 'senior-review push [--repo DIR] [--branch BRANCH] [--remote NAME] [--to BRANCH] [--no-comments] [--dry-run]',
  options: { ...REPO_OPTIONS, branch: { type: 'string' }, remote: { type: 'string' }, to: { type: 'string' }, 'no-comments': { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  async run(values, _p, io) {
    const root = await repoRoot(stringOpt(values, 'repo') ?? io.cwd, { signal: io.signal, logger: io.logger });
    const ctx = { cwd: root, signal: io.signal, logger: io.logger };
    const req = { branch: stringOpt(values, 'branch'), remote: stringOpt(values, 'remote'), to: stringOpt(values, 'to'), comments: values['no-comments'] !== true };
    let plan;
    try {
      plan = await planPush(req, ctx);
    } catch (e) {
      if (e instanceof PushRefused && e.badRequest) throw new UsageError(e.message);
      throw e;
    }
    const where = `${plan.remote} ${plan.dest.replace('refs/heads/', '')}`;
    const how = plan.upToDate ? 'already there' : plan.mode === 'amend'
      ? `amended sign-off, --force-with-lease on ${plan.remoteNow ? plan.remoteNow.slice(0, 12) : 'no such branch yet'}`
      : `sign-off commit on ${plan.expected[0]?.slice(0, 12) ?? 'a root commit'}, plain push`;
    const comments = plan.comments ? ` and the comments (${plan.comments.to})` : '';
    if (values['dry-run'] === true) {
      io.stdout(`would push ${plan.tip.slice(0, 12)} to ${printable(where)} (${how})${printable(comments)}${plan.args.length ? `: git push ${printable(plan.args.join(' '))}` : ': nothing to send'}\n`);
      return 0;
    }
    const r = await executePush(plan, ctx);
    if (plan.args.length === 0) io.stdout(`${printable(where)} already has the sign-off ${plan.tip.slice(0, 12)}; no comments to push\n`);
    else io.stdout(`pushed ${plan.tip.slice(0, 12)} to ${printable(where)} (${how})${printable(comments)}: ${printable(r.updated.map((u) => `${u.ref} ${u.summary}`).join('; '))}\n`);
    return 0;
  },
};
