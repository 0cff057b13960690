// How far can any weighting of the backtest's signals get above the lines-added baseline? For each
// repository in SR_BENCH_RISK_EVAL: an unconstrained logistic regression over nineteen signals (the
// risk inputs the backtest replays, plus the JIT features of jitFeatures.ts), fitted and measured
// on the window itself (in sample: the most optimistic figure there is) and trained on the other
// repositories (leave one repository out); the plain count of added source lines; and the same
// gains under a second fix definition (fix words in the subject only), to show the figures are not
// an artefact of how fixes are recognised.

import { Bench, BenchResult } from './run';
import { BacktestEntry, backtest } from '../src/core/risk/backtest';
import { szzLabels } from '../src/core/risk/evaluation/szz';
import { fitLogistic } from '../src/core/risk/evaluation/logistic';
import { rocAuc } from '../src/core/risk/evaluation/metrics';
import { parseBound } from '../src/core/dates';
import { MONTH_SECONDS } from '../src/core/history/historyOptions';
import { codeLinesAdded } from '../src/core/risk/riskInputs';
import { JitFeatures, jitFeatures } from './jitFeatures';

const HORIZON = 12 * MONTH_SECONDS;
const SUBJECT_FIX = /\b(fix(e[sd])?|bug|bugs|hotfix|regression|patch(ed)?)\b|^(fix|bugfix|hotfix)(\([^)]*\))?!?:/i;

const log = Math.log1p;

/** The nineteen signals, log-scaled counts. */
function signals(e: BacktestEntry, j: JitFeatures): number[] {
  const i = e.inputs;
  return [
    log(j.addedToExisting), log(j.addedToNew), log(j.removed), log(j.sourceFiles), j.entropy,
    log(j.lt), log(j.ndev), log(j.nuc), log(j.daysSinceLastChange), log(j.changesLast90Days), log(j.authorCommits),
    log(i.testLinesAdded), log(i.configLinesAdded), i.isFix ? 1 : 0, log(i.fixesWindow ?? 0), log(i.fileCommitsWindow ?? 0),
    i.knowledgeLossShare ?? 0, log(i.ageMonths ?? 0), log(i.authorFileCommits ?? 0),
  ];
}

interface Window { name: string; x: number[][]; y: boolean[]; added: number[]; score: number[]; code: number[]; subjectLabels: boolean[] }

const r3 = (v: number) => Math.round(v * 1000) / 1000;

function predict(fit: { weights: number[]; intercept: number }, x: number[][]): number[] {
  return x.map((row) => fit.intercept + row.reduce((s, v, k) => s + v * fit.weights[k], 0));
}

async function load(spec: string): Promise<Window> {
  const [repo, since, until] = spec.split(':');
  const [s, u] = [parseBound(since, false), parseBound(until, true)];
  const { entries } = await backtest({ cwd: repo }, { since: s, until: u + HORIZON });
  const buggy = await szzLabels(entries, { cwd: repo });
  const bySubject = await szzLabels(entries.map((e) => ({ ...e, isFix: e.revertOf ? e.isFix : SUBJECT_FIX.test(e.subject) })), { cwd: repo });
  const window = entries.filter((e) => e.time <= u);
  const jit = await jitFeatures(repo, new Set(window.map((e) => e.sha)), u);
  return {
    name: repo.split('/').pop()!,
    x: window.map((e) => signals(e, jit.get(e.sha)!)),
    y: window.map((e) => buggy.has(e.sha)),
    added: window.map((e) => e.linesAdded),
    score: window.map((e) => e.risk.score),
    code: window.map((e) => codeLinesAdded(e.inputs)),
    subjectLabels: window.map((e) => bySubject.has(e.sha)),
  };
}

export const bench: Bench = {
  name: 'risk-ceiling',
  async run(): Promise<BenchResult> {
    const specs = (process.env.SR_BENCH_RISK_EVAL ?? '').split(',').filter(Boolean);
    if (specs.length < 2) return { name: 'risk-ceiling', skipped: 'set SR_BENCH_RISK_EVAL to at least two path:since:until windows', figures: {} };
    const windows: Window[] = [];
    for (const spec of specs) windows.push(await load(spec));
    const table = windows.map((w) => {
      const base = rocAuc(w.added, w.y);
      const gain = (s: number[]) => r3(rocAuc(s, w.y) - base);
      const others = windows.filter((o) => o !== w);
      const inSample = fitLogistic(w.x, w.y, { nonNegative: false });
      const crossRepo = fitLogistic(others.flatMap((o) => o.x), others.flatMap((o) => o.y), { nonNegative: false });
      const subjectBase = rocAuc(w.added, w.subjectLabels);
      return {
        repo: w.name,
        commits: w.y.length,
        defectInducing: w.y.filter(Boolean).length,
        aucLinesAdded: r3(base),
        gain: { riskScore: gain(w.score), addedSourceLines: gain(w.code), regressionInSample: gain(predict(inSample, w.x)), regressionOtherRepositories: gain(predict(crossRepo, w.x)) },
        subjectOnlyFixes: {
          defectInducing: w.subjectLabels.filter(Boolean).length,
          gainRiskScore: r3(rocAuc(w.score, w.subjectLabels) - subjectBase),
          gainAddedSourceLines: r3(rocAuc(w.code, w.subjectLabels) - subjectBase),
        },
      };
    });
    for (const t of table) {
      process.stderr.write(`  ${t.repo}: gain over lines added — score ${t.gain.riskScore}, source lines ${t.gain.addedSourceLines}, regression in sample ${t.gain.regressionInSample}, trained on the others ${t.gain.regressionOtherRepositories}; subject-only fixes: score ${t.subjectOnlyFixes.gainRiskScore} (${t.subjectOnlyFixes.defectInducing} defect-inducing)\n`);
    }
    return { name: 'risk-ceiling', figures: { signals: 19, windows: table } };
  },
};
