// `calibrate`: the non-negative logistic regression meets its optimality conditions, and on a
// real repository whose later fixes all land on newcomers' untested code, the fitted weights favour
// the signals that separate them, are written into .senior-review.json without losing other keys, and
// bad input is refused in one line with nothing written.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitLogistic } from '../../../src/core/risk/evaluation/logistic';
import { parseConfig } from '../../../src/core/checklist/loadConfig';
import { WEIGHTS } from '../../../src/core/risk/riskWeights';
import { Person } from '../../../src/demo/repoBuilder';
import { tempRepo, cleanupRepos, cli } from '../../helpers/repos';

const DEV: Person = { name: 'Dev', email: 'dev@example.com' };

describe('risk calibration', function () {
  this.timeout(60_000);
  after(cleanupRepos);

  it('fits a logistic regression whose free weights have zero gradient and whose zeroed ones would not help', () => {
    // A deterministic sample: y follows x0 (noisily), x1 is anti-correlated with y, x2 is noise.
    const x: number[][] = [];
    const y: boolean[] = [];
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 400; i++) {
      const a = rnd();
      const label = rnd() < 0.15 + 0.7 * a;
      x.push([a, label ? rnd() * 0.5 : 0.5 + rnd() * 0.5, rnd()]);
      y.push(label);
    }
    const l2 = 1;
    const fit = fitLogistic(x, y, { l2 });
    assert.ok(fit.weights[0] > 1, `x0 carries the signal (${fit.weights[0]})`);
    assert.equal(fit.weights[1], 0, 'a signal that lowers risk is held at zero');
    // KKT: ∂loss/∂wⱼ = Σ (p − y) xⱼ + λ wⱼ is 0 for free weights and ≥ 0 for weights held at zero.
    const grad = [0, 0, 0];
    let gb = 0;
    for (let i = 0; i < x.length; i++) {
      const p = 1 / (1 + Math.exp(-(fit.intercept + x[i].reduce((s, v, j) => s + v * fit.weights[j], 0))));
      gb += p - (y[i] ? 1 : 0);
      for (let j = 0; j < 3; j++) grad[j] += (p - (y[i] ? 1 : 0)) * x[i][j];
    }
    assert.ok(Math.abs(gb) < 1e-6, `intercept gradient ${gb}`);
    for (let j = 0; j < 3; j++) {
      if (fit.weights[j] > 0) assert.ok(Math.abs(grad[j] + l2 * fit.weights[j]) < 1e-6, `free weight ${j}: gradient ${grad[j] + l2 * fit.weights[j]}`);
      else assert.ok(grad[j] >= -1e-9, `held weight ${j}: gradient ${grad[j]}`);
    }
    // Unconstrained (the benchmark's ceiling analysis): the anti-correlated signal gets its negative weight, every gradient is 0.
    const open = fitLogistic(x, y, { l2, nonNegative: false });
    assert.ok(open.weights[1] < -1, `x1 lowers risk (${open.weights[1]})`);
    const g = [0, 0, 0];
    for (let i = 0; i < x.length; i++) {
      const p = 1 / (1 + Math.exp(-(open.intercept + x[i].reduce((s, v, j) => s + v * open.weights[j], 0))));
      for (let j = 0; j < 3; j++) g[j] += (p - (y[i] ? 1 : 0)) * x[i][j];
    }
    for (let j = 0; j < 3; j++) assert.ok(Math.abs(g[j] + l2 * open.weights[j]) < 1e-6, `weight ${j}: gradient ${g[j] + l2 * open.weights[j]}`);
  });

  it('fits the weights to the history, writes them into the configuration and refuses bad input', async () => {
    const r = await tempRepo('2024-01-01T00:00:00Z');
    const files = Object.fromEntries(Array.from({ length: 5 }, (_, m) => [`src/m${m}.ts`, `export const m${m} = ${m};\n`]));
    await r.commit({ message: 'base', author: DEV, files });
    const text = new Map(Object.entries(files));
    const add = (path: string, line: string) => {
      text.set(path, `${text.get(path) ?? ''}${line}\n`);
      return text.get(path)!;
    };
    // Newcomers (one commit each, no test) introduce the lines later fixes change; the veteran's
    // commits come with a test and are never fixed.
    const buggy: Array<[string, string]> = [];
    for (let k = 0; k < 36; k++) {
      const path = `src/m${k % 5}.ts`;
      if (k % 2 === 0) {
        const line = `export const f${k} = (x: number) => x + ${k};`;
        await r.commit({ message: `feature ${k}`, author: { name: `New ${k}`, email: `new${k}@example.com` }, files: { [path]: add(path, line) } });
        buggy.push([path, line]);
      } else {
        await r.commit({ message: `feature ${k}`, author: DEV, files: { [path]: add(path, `export const g${k} = ${k};`), [`test/m${k}.test.ts`]: `test ${k}\n` } });
      }
    }
    const dates = (await r.git('log', '--reverse', '--format=%cI')).trim().split('\n');
    // The window: the 36 feature commits (the base before it, the fixes after it).
    const [since, until] = [dates[1], dates[36]];
    for (const [path, line] of buggy) {
      const fixed = text.get(path)!.replace(line, line.replace('x +', 'x -'));
      text.set(path, fixed);
      await r.commit({ message: `fix: wrong sign in ${path}`, author: DEV, files: { [path]: fixed } });
    }
    writeFileSync(join(r.dir, '.senior-review.json'), JSON.stringify({ allowedReviewers: ['Rita <rita@example.com>'] }));

    const run = await cli(['calibrate', '--repo', r.dir, '--since', since, '--until', until, '--format', 'json', '--write']);
    assert.equal(run.code, 0, run.stderr);
    const out = JSON.parse(run.stdout) as { weights: Record<string, number>; defaults: Record<string, number>; notCalibrated: string[]; defectInducing: number; commits: number; inSample: { aucCalibrated: number; aucDefault: number }; written: string };
    assert.equal(out.commits, 36);
    assert.equal(out.defectInducing, 18);
    assert.ok(out.notCalibrated.includes('callers') && out.notCalibrated.includes('ai-assisted'), out.notCalibrated.join(','));
    // What separates the two kinds of commit here: no test alongside, and an author new to the
    // repository; size does not (every commit adds one line of code, so it is not fitted at all).
    assert.ok(out.weights.untested > out.defaults.untested, JSON.stringify(out.weights));
    assert.ok(out.weights['new-to-repo'] > out.defaults['new-to-repo'], JSON.stringify(out.weights));
    assert.ok(out.notCalibrated.includes('size') && !('size' in out.weights), JSON.stringify(out));
    const total = (w: Record<string, number>) => Object.values(w).reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(total(out.weights) - total(out.defaults)) < 1, 'the fitted points keep the default total');
    assert.ok(out.inSample.aucCalibrated > 0.95, `calibrated AUC ${out.inSample.aucCalibrated}`);
    const config = JSON.parse(readFileSync(join(r.dir, '.senior-review.json'), 'utf8')) as { allowedReviewers: string[]; riskWeights: Record<string, number> };
    assert.deepEqual(config.allowedReviewers, ['Rita <rita@example.com>'], 'other keys are kept');
    assert.deepEqual(config.riskWeights, out.weights);
    assert.deepEqual(parseConfig(JSON.stringify(config), 'x').riskWeights, out.weights, 'the result passes the schema');
    assert.ok(Object.keys(config.riskWeights).every((k) => WEIGHTS.some((w) => w.code === k)));

    // A broken configuration file is reported and left as it is.
    writeFileSync(join(r.dir, '.senior-review.json'), '{ broken');
    const bad = await cli(['calibrate', '--repo', r.dir, '--since', since, '--until', until, '--write']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^senior-review calibrate: \.senior-review\.json: not valid JSON .*nothing written\n$/m);
    assert.equal(readFileSync(join(r.dir, '.senior-review.json'), 'utf8'), '{ broken');
    // Too little history: one line, nothing written.
    const few = await cli(['calibrate', '--repo', r.dir, '--since', since, '--until', dates[4]]);
    assert.equal(few.code, 1);
    assert.match(few.stderr.trim().split('\n').pop()!, /^senior-review calibrate: the window has \d+ commits, \d+ of them defect-inducing: at least 10 of each are needed/);
    const usage = await cli(['calibrate', '--repo', r.dir, '--since', 'yesterday']);
    assert.equal(usage.code, 2);
  });
});
