// `senior-review analyze`: the change set of a range (and every analysis attached to it) as the
// JSON contract of schemas/analyze.schema.json, or as Markdown.

import { analyzeChangeSet } from '../core/analysis/analyze';
import { CliCommand, REPO_OPTIONS, UsageError, formatOpt, stringOpt } from './cliTypes';
import { resolvePr } from './prSupport';
import { analyzeMarkdown } from './analyzeMarkdown';
import { HISTORY_FLAGS, historyOptionsFromFlags } from './historyFlags';
import { IMPACT_FLAGS, impactOptionsFromFlags } from './impactFlags';
import { printableJson } from '../core/printable';
import { SINCE_REVIEW_FLAGS, applySinceReview } from './sinceReviewFlag';
import { repoRoot } from '../core/git/repository';
import { progressReporter } from './progressLine';

export const analyzeCommand: CliCommand = {
  name: 'analyze',
  summary: 'Analyse a review range: files, hunks and the signals attached to them',
  usage: 'senior-review analyze [--repo DIR] [--base REF] [--head REF | --pr N|URL [--remote NAME]] [--format json|markdown] [--since-review [--reviewer "Name <email>"]] [--no-history] [--no-impact] [--server-timeout SECONDS] [--window-months N] [--inactive-months N] [--no-cache] [--gating] [--progress]',
  options: { ...REPO_OPTIONS, ...HISTORY_FLAGS, ...IMPACT_FLAGS, ...SINCE_REVIEW_FLAGS, pr: { type: 'string' }, remote: { type: 'string' }, base: { type: 'string' }, head: { type: 'string' }, format: { type: 'string' }, 'no-history': { type: 'boolean' }, gating: { type: 'boolean' }, progress: { type: 'boolean' } },
  async run(values, _positionals, io) {
    const format = formatOpt(values, ['json', 'markdown'] as const, 'json');
    const repo = stringOpt(values, 'repo') ?? io.cwd;
    const prArg = stringOpt(values, 'pr');
    if (prArg && (stringOpt(values, 'base') || stringOpt(values, 'head'))) throw new UsageError('--pr replaces --base and --head: give one or the other');
    const pr = prArg ? await resolvePr(prArg, stringOpt(values, 'remote'), repo, io) : null;
    // "history 40/138 files" on stderr while it runs: on a terminal, or anywhere with --progress.
    const progress = progressReporter(io.statusLine, values.progress === true);
    const cs = await analyzeChangeSet({
      repo,
      base: pr ? pr.range.baseRef : stringOpt(values, 'base'),
      head: pr ? pr.range.headRef : stringOpt(values, 'head'),
      signal: io.signal,
      logger: io.logger,
      history: values['no-history'] === true ? false : historyOptionsFromFlags(values),
      cache: values['no-cache'] !== true,
      impact: impactOptionsFromFlags(values),
      // The gating figure needs SZZ over a year of fixes: measured when asked, shown from the cache otherwise.
      gating: values.gating === true ? 'compute' : 'cached',
    }, { progress: progress?.report }).finally(() => progress?.end());
    if (pr) cs.pullRequest = pr.summary;
    if (stringOpt(values, 'reviewer') !== undefined && values['since-review'] !== true) throw new UsageError('--reviewer goes with --since-review');
    if (values['since-review'] === true) {
      const root = await repoRoot(repo, { signal: io.signal, logger: io.logger });
      await applySinceReview(cs, stringOpt(values, 'reviewer'), { cwd: root, signal: io.signal, logger: io.logger });
    }
    io.stdout(format === 'json' ? printableJson(cs) + '\n' : analyzeMarkdown(cs));
    return 0;
  },
};
