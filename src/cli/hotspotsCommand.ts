// `senior-review hotspots`: the files of a revision ranked by change frequency × complexity,
// with fixes, age and ownership, as a table or JSON.

import { hotspotReport } from '../core/history/hotspotReport';
import { repoFacts } from '../core/git/repository';
import { commitFacts } from '../core/history/historyStore';
import { CliCommand, REPO_OPTIONS, UsageError, formatOpt, stringOpt } from './cliTypes';
import { historyOptionsFromFlags, HISTORY_FLAGS } from './historyFlags';
import { printable, printableJson } from '../core/printable';

export const hotspotsCommand: CliCommand = {
  name: 'hotspots',
  summary: 'Rank the files of a revision by change frequency × complexity (legacy hotspots)',
  usage: 'senior-review hotspots [--repo DIR] [--as-of REF] [--since DATE] [--limit N] [--format json|table] [--window-months N] [--inactive-months N] [--no-cache]',
  options: { ...REPO_OPTIONS, ...HISTORY_FLAGS, 'as-of': { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' }, format: { type: 'string' } },
  async run(values, _p, io) {
    const format = formatOpt(values, ['table', 'json'] as const, 'table');
    const limitText = stringOpt(values, 'limit');
    const limit = limitText === undefined ? (format === 'table' ? 20 : undefined) : Number(limitText);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) throw new UsageError('--limit must be a positive whole number');
    const since = stringOpt(values, 'since');
    if (since !== undefined && Number.isNaN(Date.parse(since))) throw new UsageError(`--since must be a date like 2025-01-31 (got '${since}')`);
    const dir = stringOpt(values, 'repo') ?? io.cwd;
    const ctx = { signal: io.signal, logger: io.logger };
    // The repository and the revision at once (rev-parse answers from any folder of the work tree);
    // not being in a repository is the error reported first.
    const [facts, commit] = await Promise.allSettled([repoFacts(dir, ctx), commitFacts(stringOpt(values, 'as-of') ?? 'HEAD', { ...ctx, cwd: dir }, 'as-of revision')]);
    if (facts.status === 'rejected') throw facts.reason;
    if (commit.status === 'rejected') throw commit.reason;
    const r = await hotspotReport(
      { since, limit, options: historyOptionsFromFlags(values), cache: values['no-cache'] !== true, churn: format === 'json', resolved: { commit: commit.value, dirFacts: facts.value } },
      { cwd: facts.value.root, ...ctx },
    );
    if (format === 'json') {
      io.stdout(printableJson(r) + '\n');
      return 0;
    }
    io.stdout(`Hotspots as of ${r.commit.slice(0, 12)} (${r.asOf.slice(0, 10)}), window ${r.windowMonths} months, ${r.commitsIndexed} commits, ${r.filesRanked} program source files ranked${r.shallow ? ' — SHALLOW CLONE: all-time figures are lower bounds' : ''}\n`);
    const rows = [['rank', 'pct', 'score', 'commits', 'fixes', 'cplx', 'age(mo)', 'main author', 'path']];
    for (const f of r.files) {
      rows.push([
        String(f.hotspot.rank), f.hotspot.percentile.toFixed(1) + (f.hotspot.isHotspot ? '*' : ''), String(f.hotspot.score),
        `${f.commits.window}/${f.commits.allTime}`, `${f.fixes.window}/${f.fixes.allTime}`, String(f.complexity.base?.total ?? '-'),
        f.age.createdMonthsAgo === null ? '-' : String(Math.round(f.age.createdMonthsAgo)),
        f.ownership.mainAuthor ? `${printable(f.ownership.mainAuthor.name)} ${Math.round(f.ownership.mainAuthor.share * 100)}%${f.ownership.mainAuthor.active ? '' : ' (inactive)'}` : '-',
        printable(f.path),
      ]);
    }
    const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
    for (const row of rows) io.stdout(row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ') + '\n');
    io.stdout('commits and fixes: window/all time; * = hotspot (top band of the source files)\n');
    return 0;
  },
};
