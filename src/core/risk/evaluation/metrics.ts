// Evaluation metrics for risk rankings: ROC AUC (Mann–Whitney, ties counted half) and
// Recall@20%Effort (share of defect-inducing changes found within the first 20% of changed lines),
// and the gating curve (defect-inducing changes caught when the top shares by score are gated).

import { cutoffFor, distributionOf } from '../levelScale';

import { seededRandom } from '../../seededRandom';

export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number {
  const idx = scores.map((s, i) => [s, labels[i]] as const).sort((a, b) => a[0] - b[0]);
  let pos = 0;
  let neg = 0;
  let rankSum = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && idx[j][0] === idx[i][0]) j++;
    const avgRank = (i + j + 1) / 2; // ranks are 1-based
    for (let k = i; k < j; k++) if (idx[k][1]) rankSum += avgRank;
    i = j;
  }
  for (const l of labels) {
    if (l) pos++;
    else neg++;
  }
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Inspects changes in `order` (indices) until `budget` of the total effort is spent; returns the
 * share of positives found. The change that crosses the budget is not counted.
 */
export function recallAtEffort(order: readonly number[], effort: readonly number[], labels: readonly boolean[], budget = 0.2): number {
  const total = effort.reduce((s, e) => s + e, 0);
  const positives = labels.filter(Boolean).length;
  if (positives === 0 || total === 0) return NaN;
  let spent = 0;
  let found = 0;
  for (const i of order) {
    if (spent + effort[i] > budget * total) break;
    spent += effort[i];
    if (labels[i]) found++;
  }
  return found / positives;
}

/** Indices sorted by `key` descending (ties by index, for determinism). */
export function rankBy(key: readonly number[], ascending = false): number[] {
  return key.map((_, i) => i).sort((a, b) => (ascending ? key[a] - key[b] : key[b] - key[a]) || a - b);
}

/**
 * 95% interval of AUC(a) − AUC(b) by paired bootstrap: the commits are resampled with
 * replacement and both rankings are measured on the same sample, so their correlation counts. With
 * a few dozen positives a difference of a few hundredths is often within the noise; this says so.
 */
export function aucGainInterval(a: readonly number[], b: readonly number[], labels: readonly boolean[], rounds = 1000, seed = 1): [number, number] {
  // Seeded: the same interval on every run of the same data.
  const rnd = seededRandom(seed);
  const n = labels.length;
  const gains: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const sa: number[] = [];
    const sb: number[] = [];
    const sl: boolean[] = [];
    for (let k = 0; k < n; k++) {
      const i = Math.floor(rnd() * n);
      sa.push(a[i]);
      sb.push(b[i]);
      sl.push(labels[i]);
    }
    const g = rocAuc(sa, sl) - rocAuc(sb, sl);
    if (!Number.isNaN(g)) gains.push(g);
  }
  if (gains.length === 0) return [NaN, NaN];
  gains.sort((x, y) => x - y);
  const at = (q: number) => gains[Math.min(gains.length - 1, Math.max(0, Math.round(q * (gains.length - 1))))];
  return [at(0.025), at(0.975)];
}

export interface GatingPoint {
  /** The share of changes a gate at this level aims at (percent), and the share it holds (at most that, ties left out). */
  top: number;
  gated: number;
  /** Share (0..1) of the defect-inducing changes among the gated ones. */
  caught: number;
}

/**
 * The gating curve: for each `top` share, gate the changes scoring at or above the lowest score
 * that keeps at most that share (as the levels draw their lines, levelScale.ts), and count the
 * defect-inducing changes caught.
 */
export function gatingCurve(scores: readonly number[], labels: readonly boolean[], tops: readonly number[] = [5, 10, 20, 50]): GatingPoint[] {
  const d = distributionOf(scores, 0, 0);
  const positives = labels.filter(Boolean).length;
  return tops.map((top) => {
    const cut = cutoffFor(d.scoreCounts, top);
    let gated = 0;
    let caught = 0;
    scores.forEach((s, i) => {
      if (Math.round(s) < cut) return;
      gated++;
      if (labels[i]) caught++;
    });
    return { top, gated: scores.length ? Math.round((1000 * gated) / scores.length) / 10 : 0, caught: positives ? Math.round((1000 * caught) / positives) / 1000 : 0 };
  });
}
