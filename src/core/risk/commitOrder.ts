// The order in which the backtest of every commit replays history: by commit time, and among
// commits of the same second (a rebased series often shares one) parents before their children,
// then by id. Both backtests sort by it, so "the history before a commit" is the same set for the
// walk over the whole history and for the state rebuilt from the history index.

export interface Ordered {
  sha: string;
  time: number;
  parents: readonly string[];
}

export function commitOrder<T extends Ordered>(commits: readonly T[]): T[] {
  const byTime = [...commits].sort((a, b) => a.time - b.time || (a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0));
  const out: T[] = [];
  for (let i = 0; i < byTime.length; ) {
    let j = i;
    while (j < byTime.length && byTime[j].time === byTime[i].time) j++;
    if (j - i === 1) out.push(byTime[i]);
    else out.push(...parentsFirst(byTime.slice(i, j)));
    i = j;
  }
  return out;
}

/** Kahn's algorithm over the parent links inside one group (already sorted by id), smallest id first. */
function parentsFirst<T extends Ordered>(group: T[]): T[] {
  const inGroup = new Map(group.map((c, k) => [c.sha, k]));
  const waiting = group.map((c) => c.parents.filter((p) => inGroup.has(p)).length);
  const children = group.map(() => [] as number[]);
  group.forEach((c, k) => c.parents.forEach((p) => inGroup.has(p) && children[inGroup.get(p)!].push(k)));
  const ready = group.map((_, k) => k).filter((k) => waiting[k] === 0);
  const out: T[] = [];
  while (ready.length) {
    // The group is sorted by id, so the smallest index is the smallest id.
    ready.sort((a, b) => a - b);
    const k = ready.shift()!;
    out.push(group[k]);
    for (const ch of children[k]) if (--waiting[ch] === 0) ready.push(ch);
  }
  return out;
}
