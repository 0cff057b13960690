// One file's history figures added to the risk inputs of a unit (hunk, file, commit or PR): the
// hotspot figures and the fix figures each come whole from the file whose signal is strongest.
//
// Why whole: a reason must state one file's figures over one window ("8 of 15 commits in the last
// 12 months were fixes"), never one file's count beside another's share. The score is unchanged by
// this: a signal's strength only grows with each figure, so the strongest file's strength is the
// strength of the figures' maxima.

import { RiskInputs } from './riskInputs';
import { WEIGHTS } from './riskWeights';

export interface FileFigures {
  /** Named in the reasons of a unit that spans files; null for a single file's own units. */
  path: string | null;
  commitsWindow: number;
  fixesWindow: number;
  /** Rank among the program source files at base; null where unknown (the backtest). */
  percentile: number | null;
  rank: number | null;
  of: number | null;
  isHotspot: boolean | null;
}

const HOTSPOT = WEIGHTS.find((r) => r.code === 'hotspot')!;
const FIXES = WEIGHTS.find((r) => r.code === 'fixes')!;

/** A share of fixes is a pattern from three commits in the window on (1 of 1 is none). */
export const MIN_COMMITS_FOR_SHARE = 3;

export function addFileFigures(i: RiskInputs, f: FileFigures): void {
  const hot: RiskInputs = { ...i, fileCommitsWindow: f.commitsWindow, hotspotPercentile: f.percentile, isHotspot: f.isHotspot };
  const [hotNew, hotOld] = [HOTSPOT.strength(hot) ?? 0, i.fileCommitsWindow === null ? -1 : HOTSPOT.strength(i) ?? 0];
  if (hotNew > hotOld || (hotNew === hotOld && f.commitsWindow > (i.fileCommitsWindow ?? 0))) {
    Object.assign(i, { fileCommitsWindow: f.commitsWindow, hotspotPercentile: f.percentile, isHotspot: f.isHotspot, hotspotRank: f.rank, hotspotOf: f.of, hotspotPath: f.path });
  }
  if (f.isHotspot !== null) i.hotspotsTouched = (i.hotspotsTouched ?? 0) + (f.isHotspot ? 1 : 0);
  const share = f.commitsWindow >= MIN_COMMITS_FOR_SHARE ? f.fixesWindow / f.commitsWindow : 0;
  const fixes: RiskInputs = { ...i, fixesWindow: f.fixesWindow, fixShare: share };
  const [fixNew, fixOld] = [FIXES.strength(fixes) ?? 0, i.fixesWindow === null ? -1 : FIXES.strength(i) ?? 0];
  if (fixNew > fixOld || (fixNew === fixOld && f.fixesWindow > (i.fixesWindow ?? 0))) {
    Object.assign(i, { fixesWindow: f.fixesWindow, fixShare: share, fixCommitsWindow: f.commitsWindow, fixPath: f.path });
  }
}
