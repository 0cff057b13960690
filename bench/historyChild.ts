// Child process for the history benchmark: loads the index once and reports its time, outcome and
// peak RSS, so each measurement starts from a fresh process.
import { loadHistory } from '../src/core/history/historyStore';
import { historyOptions } from '../src/core/history/historyOptions';

async function main(): Promise<void> {
  const [repo, rev, useCache, churnPaths] = process.argv.slice(2);
  const t0 = performance.now();
  const churnFor = churnPaths ? churnPaths.split('\n').filter(Boolean) : [];
  const r = await loadHistory(rev, historyOptions(), { cwd: repo }, useCache !== 'nocache', async (_h, need) => {
    await need.churn(churnFor);
  });
  const ms = performance.now() - t0;
  process.stdout.write(
    JSON.stringify({ ms, outcome: r.outcome, commits: r.index.commits.length / 3, files: r.tree.length, churnCounted: r.churnCounted, maxRssMb: process.resourceUsage().maxRSS / 1024 }),
  );
}

void main();
