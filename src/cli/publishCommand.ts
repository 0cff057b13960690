// `senior-review publish`: posts the review of a pull request (its comment threads and the outcome)
// to GitHub or GitLab as one review, with the token bound to that host; publishing again posts only what is new.

import { repoRoot } from '../core/git/repository';
import { envTokenFor, envTokenHint } from '../core/hosting/hostTokens';
import { resolveRange } from '../core/review/resolveRange';
import { computeChangeSet } from '../core/review/changeSet';
import { Outcome } from '../core/loop/hostReviews';
import { publishReview } from '../core/loop/publishReview';
import { identityFromFlag } from './sinceReviewFlag';
import { plural } from '../core/words';
import { CliCommand, CliIo, OptionValues, REPO_OPTIONS, UsageError, stringOpt } from './cliTypes';
import { ResolvedPr, httpTimeoutFromEnv, resolvePr } from './prSupport';

const OUTCOMES: readonly Outcome[] = ['approve', 'request-changes', 'comment'];

/** The pull request, its reviewed change set, the comments' review name and the host's token. */
export async function openPrReview(values: OptionValues, io: CliIo, needToken: boolean) {
  const prArg = stringOpt(values, 'pr');
  if (!prArg) throw new UsageError('--pr N|URL is required');
  const repoDir = stringOpt(values, 'repo') ?? io.cwd;
  const pr: ResolvedPr = await resolvePr(prArg, stringOpt(values, 'remote'), repoDir, io);
  const root = await repoRoot(repoDir, { signal: io.signal, logger: io.logger });
  const ctx = { cwd: root, signal: io.signal, logger: io.logger };
  const range = await resolveRange({ base: pr.range.baseRef, head: pr.range.headRef }, ctx);
  const cs = await computeChangeSet(root, range, ctx);
  const repo = pr.range.repo;
  const token = repo ? envTokenFor(repo, io.env) : undefined;
  if (needToken && (!repo || (pr.range.service !== 'github' && pr.range.service !== 'gitlab'))) throw new Error(`#${pr.range.number} is not on a GitHub or GitLab host: there is no API to publish to`);
  if (needToken && !token) throw new Error(`publishing needs a token for ${repo!.host} (${envTokenHint(repo!.host)})`);
  const reviewName = stringOpt(values, 'review') ?? pr.range.info?.headBranch;
  if (!reviewName) throw new Error(`the comments of #${pr.range.number} belong to its head branch, which the host did not say: pass --review BRANCH`);
  return { pr, ctx, cs, reviewName, repo, token, http: { signal: io.signal, env: io.env, timeoutMs: httpTimeoutFromEnv(io.env) } };
}

export const PR_OPTIONS = { pr: { type: 'string' }, remote: { type: 'string' }, review: { type: 'string' } } as const;

export const publishCommand: CliCommand = {
  name: 'publish',
  summary: 'Post the review (line comments and outcome) to the pull request on GitHub or GitLab, once',
  usage: 'senior-review publish [--repo DIR] --pr N|URL [--remote NAME] [--review BRANCH] [--outcome approve|request-changes|comment] [--body TEXT] [--reviewer "Name <email>"]',
  options: { ...REPO_OPTIONS, ...PR_OPTIONS, outcome: { type: 'string' }, body: { type: 'string' }, reviewer: { type: 'string' } },
  async run(values, _p, io) {
    const outcome = (stringOpt(values, 'outcome') ?? 'comment') as Outcome;
    if (!OUTCOMES.includes(outcome)) throw new UsageError(`--outcome must be one of ${OUTCOMES.join(', ')} (got '${outcome.slice(0, 30)}')`);
    const o = await openPrReview(values, io, true);
    const reviewer = await identityFromFlag(stringOpt(values, 'reviewer'), o.ctx);
    const r = await publishReview({
      repo: o.repo!, number: o.pr.range.number, token: o.token!, reviewName: o.reviewName, reviewer, outcome,
      body: stringOpt(values, 'body') ?? '', cs: o.cs, ctx: o.ctx, http: o.http,
    });
    if (!r.posted) io.stdout(`nothing new to publish on #${o.pr.range.number} (already published: ${outcome} at ${o.cs.headCommit.slice(0, 12)})\n`);
    else io.stdout(`published ${outcome} on #${o.pr.range.number} (${r.remoteId}): ${plural(r.lineComments, 'line comment')}, ${plural(r.replies, 'reply', 'replies')}, ${plural(r.inBody, 'thread')} in the text\n`);
    return 0;
  },
};
