// Evaluation metrics for risk rankings: ROC AUC (Mann–Whitney, ties counted half) and
// Recall@20%Effort (share of defect-inducing changes found within the first 20% of changed lines).

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
