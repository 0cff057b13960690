// Risk: backtest speed on a long history (SR_BENCH_RISK_REPO; target ≥ 50 commits/s) and the
// evaluation against SZZ labels on the repositories in SR_BENCH_RISK_EVAL
// ("path:since:until[,path:since:until]"), each beside its baselines.

import { Bench, BenchResult } from './run';
import { backtest } from '../src/core/risk/backtest';
import { evaluateRisk } from '../src/core/risk/evaluation/evaluate';
import { parseBound } from '../src/core/dates';
import { execFileSync } from 'node:child_process';

export const bench: Bench = {
  name: 'risk',
  async run(): Promise<BenchResult> {
    const repo = process.env.SR_BENCH_RISK_REPO;
    if (!repo) return { name: 'risk', skipped: 'set SR_BENCH_RISK_REPO to a clone with ≥ 10,000 commits', figures: {} };
    const total = Number(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim());
    const r = await backtest({ cwd: repo });
    const perSecond = Math.round(r.entries.length / (r.ms / 1000));
    const figures: Record<string, unknown> = { repo, commits: total, firstParentCommitsRead: r.commitsSeen, scored: r.entries.length, ms: Math.round(r.ms), commitsPerSecond: perSecond };
    const targets = [{ what: 'backtest commits scored per second', value: perSecond, limit: 50, unit: 'commits/s', met: perSecond >= 50 }];
    const evals = (process.env.SR_BENCH_RISK_EVAL ?? '').split(',').filter(Boolean);
    const table: unknown[] = [];
    for (const spec of evals) {
      const [path, since, until] = spec.split(':');
      const e = await evaluateRisk({ cwd: path }, { since: parseBound(since, false), until: parseBound(until, true) });
      table.push(e);
      targets.push({ what: `AUC gain over lines added (${path.split('/').pop()}; 95% interval ${e.auc.gainInterval.join(' – ')})`, value: e.auc.gain, limit: 0.1, unit: '', met: e.auc.gain >= 0.1 });
      targets.push({ what: `Recall@20%Effort risk density − smallest first (${path.split('/').pop()})`, value: +(e.recallAt20Effort.riskDensity - e.recallAt20Effort.smallestFirst).toFixed(3), limit: 0, unit: '', met: e.recallAt20Effort.riskDensity > e.recallAt20Effort.smallestFirst });
    }
    figures.evaluation = table;
    return { name: 'risk', figures, targets };
  },
};
