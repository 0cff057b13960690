// `senior-review backtest` (risk of every commit in a window, from history before it),
// `senior-review evaluate` (AUC, Recall@20%Effort and the gating curve against SZZ labels and the
// baselines), `senior-review calibrate` (weights fitted to the repository's own history, optionally
// stored) and `senior-review levels` (the level scale drawn through the repository's own changes).

import { repoRoot } from '../core/git/repository';
import { backtest } from '../core/risk/backtest';
import { evaluateRisk } from '../core/risk/evaluation/evaluate';
import { calibrateRisk } from '../core/risk/evaluation/calibrate';
import { updateConfigFile } from '../core/checklist/updateConfigFile';
import { git } from '../core/git/runGit';
import { monthsAgo } from '../core/history/historyOptions';
import { parseBound } from '../core/dates';
import { levelsReport } from '../core/risk/levelsReport';
import { HISTORY_FLAGS, historyOptionsFromFlags } from './historyFlags';
import { CliCommand, OptionValues, REPO_OPTIONS, UsageError, formatOpt, stringOpt } from './cliTypes';
import { printable, printableJson } from '../core/printable';

function dateOpt(values: OptionValues, name: string): number | undefined {
  const v = stringOpt(values, name);
  if (v === undefined) return undefined;
  const t = parseBound(v, name === 'until');
  if (Number.isNaN(t)) throw new UsageError(`--${name} must be a date like 2024-01-31 (got '${v}')`);
  return t;
}

function horizonOpt(values: OptionValues): number {
  const h = stringOpt(values, 'horizon-months');
  const horizon = h === undefined ? 12 : Number(h);
  if (!Number.isFinite(horizon) || horizon <= 0) throw new UsageError('--horizon-months must be a positive number');
  return horizon;
}

export const backtestCommand: CliCommand = {
  name: 'backtest',
  summary: 'Score every first-parent commit (or, with --all-commits, every commit) in a window as if it were under review (history before it only)',
  usage: 'senior-review backtest [--repo DIR] [--since DATE] [--until DATE] [--all-commits] [--format json|table]',
  options: { ...REPO_OPTIONS, since: { type: 'string' }, until: { type: 'string' }, 'all-commits': { type: 'boolean' }, format: { type: 'string' } },
  async run(values, _p, io) {
    const format = formatOpt(values, ['json', 'table'] as const, 'json');
    const root = await repoRoot(stringOpt(values, 'repo') ?? io.cwd, { signal: io.signal, logger: io.logger });
    const r = await backtest({ cwd: root, signal: io.signal, logger: io.logger }, {
      since: dateOpt(values, 'since'),
      until: dateOpt(values, 'until'),
      // Every commit reachable, by commit time: the changes the levels compare a review with.
      commits: values['all-commits'] === true ? 'all' : 'first-parent',
    });
    io.stderr(`backtest: ${r.entries.length} commits scored (${r.commitsSeen} read) in ${(r.ms / 1000).toFixed(1)} s; call-graph impact is not part of the backtest (it needs a language server per commit)\n`);
    if (format === 'json') {
      io.stdout(printableJson(r.entries.map((e) => ({ sha: e.sha, score: e.risk.score, level: e.risk.level, reasons: e.risk.reasons.map((x) => x.text) })), 1) + '\n');
    } else {
      for (const e of r.entries) io.stdout(`${e.sha.slice(0, 10)}  ${String(e.risk.score).padStart(3)} ${e.risk.level.padEnd(8)} ${printable(e.subject, 70)}\n`);
    }
    return 0;
  },
};

export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  summary: 'Measure the risk score against SZZ labels: ROC AUC and Recall@20%Effort with baselines',
  usage: 'senior-review evaluate [--repo DIR] --since DATE --until DATE [--horizon-months N] [--format json|markdown]',
  options: { ...REPO_OPTIONS, since: { type: 'string' }, until: { type: 'string' }, 'horizon-months': { type: 'string' }, format: { type: 'string' } },
  async run(values, _p, io) {
    const format = formatOpt(values, ['json', 'markdown'] as const, 'markdown');
    const since = dateOpt(values, 'since');
    const until = dateOpt(values, 'until');
    if (since === undefined || until === undefined) throw new UsageError('--since and --until are required');
    const horizon = horizonOpt(values);
    const root = await repoRoot(stringOpt(values, 'repo') ?? io.cwd, { signal: io.signal, logger: io.logger });
    const r = await evaluateRisk({ cwd: root, signal: io.signal, logger: io.logger }, { since, until, horizonMonths: horizon, onProgress: (s) => io.stderr(`${s}\n`) });
    if (format === 'json') io.stdout(printableJson(r) + '\n');
    else {
      const [lo, hi] = r.auc.gainInterval;
      io.stdout(`| repository | window | commits | defect-inducing | AUC risk | AUC lines added | gain (95% interval) | Recall@20% risk density | Recall@20% smallest first |\n|---|---|---|---|---|---|---|---|---|\n`);
      io.stdout(`| ${printable(root.split('/').pop() ?? '')} | ${r.since} – ${r.until} | ${r.commits} | ${r.defectInducing} | ${r.auc.risk} | ${r.auc.linesAdded} | ${r.auc.gain} (${lo} – ${hi}) | ${r.recallAt20Effort.riskDensity} | ${r.recallAt20Effort.smallestFirst} |\n`);
      io.stdout(`\nGating curve (defect-inducing changes caught when the riskiest changes are gated):\n\n| gated (top by score) | share of changes gated | defect-inducing caught |\n|---|---|---|\n`);
      for (const g of r.gating) io.stdout(`| top ${g.top}% | ${g.gated}% | ${Math.round(g.caught * 1000) / 10}% |\n`);
    }
    return 0;
  },
};

export const calibrateCommand: CliCommand = {
  name: 'calibrate',
  summary: "Fit the risk weights to this repository's history (optional; the defaults need no training)",
  usage: 'senior-review calibrate [--repo DIR] [--since DATE] [--until DATE] [--horizon-months N] [--write] [--format json|markdown]',
  options: { ...REPO_OPTIONS, since: { type: 'string' }, until: { type: 'string' }, 'horizon-months': { type: 'string' }, write: { type: 'boolean' }, format: { type: 'string' } },
  async run(values, _p, io) {
    const format = formatOpt(values, ['json', 'markdown'] as const, 'markdown');
    const horizon = horizonOpt(values);
    const root = await repoRoot(stringOpt(values, 'repo') ?? io.cwd, { signal: io.signal, logger: io.logger });
    const ctx = { cwd: root, signal: io.signal, logger: io.logger };
    // Default window: the two years that end one horizon before HEAD, so every label had time to appear.
    const headTime = Number((await git(['show', '-s', '--format=%ct', 'HEAD'], ctx)).trim());
    const until = dateOpt(values, 'until') ?? Math.floor(monthsAgo(headTime, horizon));
    const since = dateOpt(values, 'since') ?? Math.floor(monthsAgo(until, 24));
    if (since >= until) throw new UsageError('--since must be before --until');
    const r = await calibrateRisk(ctx, { since, until, horizonMonths: horizon, onProgress: (s) => io.stderr(`${s}\n`) });
    const written = values.write === true ? updateConfigFile(root, { riskWeights: r.weights }) : null;
    if (format === 'json') {
      io.stdout(printableJson({ ...r, written: written?.file ?? null }) + '\n');
      return 0;
    }
    io.stdout(`Calibration on ${printable(root.split('/').pop() ?? '')}, ${r.since} – ${r.until} (${r.commits} commits, ${r.defectInducing} defect-inducing by SZZ, ${r.horizonMonths}-month horizon)\n\n`);
    io.stdout('| signal | default points | calibrated points |\n|---|---|---|\n');
    for (const [code, points] of Object.entries(r.weights)) io.stdout(`| ${code} | ${r.defaults[code as keyof typeof r.defaults]} | ${points} |\n`);
    io.stdout(`\nNot calibrated (not replayed by the backtest, or no evidence in the window), defaults kept: ${r.notCalibrated.join(', ')}\n`);
    const h = r.heldOut;
    io.stdout(
      h.aucCalibrated === null
        ? `Held out (last third): ${h.commits} commits, ${h.defectInducing} defect-inducing: too few to measure; widen the window for a held-out check\n`
        : `Held out (last third, ${h.commits} commits, ${h.defectInducing} defect-inducing; fitted on the first two thirds): AUC ${h.aucCalibrated} calibrated, ${h.aucDefault} default, ${h.aucLinesAdded} lines added\n`,
    );
    io.stdout(`In sample: AUC ${r.inSample.aucCalibrated} calibrated, ${r.inSample.aucDefault} default\n`);
    io.stdout(
      written
        ? `\nWrote riskWeights to ${printable(written.file)}${written.created ? ' (new file)' : ''}; commit it: reviews read the configuration from the base revision.\n`
        : '\nDry run: add --write to store these weights as riskWeights in .senior-review.json.\n',
    );
    return 0;
  },
};

export const levelsCommand: CliCommand = {
  name: 'levels',
  summary: "Show where each risk level starts among this repository's own changes, and what gating each level catches",
  usage: 'senior-review levels [--repo DIR] [--base REF] [--no-gating] [--format json|markdown] [--window-months N] [--inactive-months N] [--no-cache]',
  options: { ...REPO_OPTIONS, ...HISTORY_FLAGS, base: { type: 'string' }, 'no-gating': { type: 'boolean' }, format: { type: 'string' } },
  async run(values, _p, io) {
    const format = formatOpt(values, ['json', 'markdown'] as const, 'markdown');
    const root = await repoRoot(stringOpt(values, 'repo') ?? io.cwd, { signal: io.signal, logger: io.logger });
    const r = await levelsReport(
      {
        base: stringOpt(values, 'base'),
        options: historyOptionsFromFlags(values),
        cache: values['no-cache'] !== true,
        gating: values['no-gating'] !== true,
        onProgress: (d, n) => {
          if (d % 100 === 0 || d === n) io.stderr(`szz: ${d}/${n} fixes blamed\n`);
        },
      },
      { cwd: root, signal: io.signal, logger: io.logger },
    );
    if (format === 'json') {
      io.stdout(JSON.stringify(r, null, 2) + '\n');
      return 0;
    }
    const d = r.distribution;
    const t = r.scale.thresholds;
    io.stdout(`Risk levels at ${r.base.slice(0, 12)}: ${d.commits.toLocaleString('en-US')} changes (non-merge commits) of ${d.since} – ${d.until}, scored by the backtest without call-graph impact (distribution ${d.cache}, ${d.walked} commits walked, ${(d.ms / 1000).toFixed(1)} s)\n`);
    io.stdout(r.scale.by === 'history' ? '\n' : `\nLevels by fixed score thresholds: ${r.scale.why}\n\n`);
    io.stdout('| level | scores | share of the changes |\n|---|---|---|\n');
    const range = (lo: number, hi: number) => (lo > 100 ? 'none' : hi > 100 ? `${lo} – 100` : `${lo} – ${Math.min(100, hi - 1)}`);
    io.stdout(`| critical | ${range(t.critical, 101)} | ${r.shares.critical}% |\n| high | ${range(t.high, t.critical)} | ${r.shares.high}% |\n| medium | ${range(t.medium, t.high)} | ${r.shares.medium}% |\n| low | ${range(0, t.medium)} | ${r.shares.low}% |\n`);
    const g = r.gating;
    if (!g) return 0;
    if (g.notMeasurable) {
      io.stdout(`\nGating: ${g.notMeasurable}\n`);
      return 0;
    }
    io.stdout(`\nGating, measured on ${g.commits.toLocaleString('en-US')} changes of ${g.since} – ${g.until} labelled by SZZ with the fixes up to ${g.labelsUntil} (${g.defectInducing} defect-inducing; ${g.cache}, ${(g.ms / 1000).toFixed(1)} s):\n\n`);
    io.stdout('| gated | share of changes gated | defect-inducing caught |\n|---|---|---|\n');
    io.stdout(`| critical | ${g.levels.critical.gated}% | ${Math.round(g.levels.critical.caught * 1000) / 10}% |\n| high or above | ${g.levels.high.gated}% | ${Math.round(g.levels.high.caught * 1000) / 10}% |\n| medium or above | ${g.levels.medium.gated}% | ${Math.round(g.levels.medium.caught * 1000) / 10}% |\n`);
    for (const p of g.curve) io.stdout(`| top ${p.top}% | ${p.gated}% | ${Math.round(p.caught * 1000) / 10}% |\n`);
    return 0;
  },
};
