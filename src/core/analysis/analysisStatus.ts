// Where an analysis stands (`cs.status`) and what a number still waits for (`risk.pending`): what
// the CLI, the editor and approve read to tell a final number from a pending one.

import { ChangeSet } from '../review/changeSetTypes';

export type AnalysisPhase = 'changes' | 'history' | 'impact' | 'risk';

/** "history 40/138 files": which pass, how far, and what it counts. */
export interface AnalysisProgress {
  phase: AnalysisPhase;
  done: number;
  total: number;
  /** What is counted ("files", "hunks") or what the pass is doing ("history index"). */
  detail?: string;
}

export interface ImpactStatus {
  state: 'off' | 'pending' | 'done';
  /** Hunks whose impact is attached, of `total` that get one. */
  analysed: number;
  total: number;
  /** Hunks whose walk stopped at a limit (their callers are a lower bound). */
  truncated: number;
}

export interface AnalysisStatus {
  history: 'off' | 'pending' | 'done';
  impact: ImpactStatus;
}

export function progressText(p: AnalysisProgress): string {
  return `${p.phase} ${p.done}/${p.total}${p.detail ? ` ${p.detail}` : ''}`;
}

export const statusOf = (cs: ChangeSet): AnalysisStatus | undefined => cs.status as AnalysisStatus | undefined;
