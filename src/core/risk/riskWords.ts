// The level and the gating figure in plain words, one spelling for the CLI's Markdown, the
// editor's hovers and tree: "riskier than 96% of this repository's 1,225 changes in the last 12
// months", "gating critical changes here catches 31% of defect-inducing changes".

import { Risk } from './scoreRisk';
import { LevelGating } from './attachRisk';
import { plural } from '../words';

const count = (x: number) => x.toLocaleString('en-US');
const pct = (x: number) => `${Math.floor(x)}%`;

function months(since: string, until: string): number {
  return Math.round((Date.parse(until) - Date.parse(since)) / (30.4375 * 86_400_000));
}

/** Where the level comes from, in words: the percentile among the repository's changes, or the fixed thresholds and why. */
export function levelWords(r: Risk): string {
  if (r.comparedWith && r.percentile !== null) {
    const c = r.comparedWith;
    const among = `this repository's ${count(c.commits)} changes in the last ${plural(months(c.since, c.until), 'month')}`;
    return r.percentile >= 100 ? `riskier than all of ${among}` : `riskier than ${pct(r.percentile)} of ${among}`;
  }
  return `level by fixed score thresholds${r.levelNote ? ` (${r.levelNote})` : ''}`;
}

/** Says that the level compares the score without call-graph impact, when impact added points. */
export function comparedScoreWords(r: Risk): string | null {
  return r.score !== r.comparableScore ? `the level compares the score without call-graph impact (${r.comparableScore}): the history has no call graph to compare with` : null;
}

export function gatingWords(g: LevelGating): string {
  const where = `SZZ on ${count(g.commits)} changes of ${g.since} – ${g.until}, ${plural(g.defectInducing, 'defect-inducing change')}`;
  const caught = Math.round(g.caught * 100);
  if (g.level === 'low') return `low-risk changes here (the lower ${Math.round(100 - g.gated)}%) held ${100 - caught}% of defect-inducing changes (${where})`;
  const gate = g.level === 'critical' ? 'critical changes' : `changes at ${g.level} risk or above`;
  return `gating ${gate} here (the top ${g.gated}%) catches ${caught}% of defect-inducing changes (${where})`;
}
