// Attaches `risk` ({score, level, reasons, unavailable}) to every hunk, file and the change set,
// using the repository's thresholds and calibrated weights from its review configuration.

import { ChangeSet } from '../review/changeSetTypes';
import { ReviewConfig } from '../checklist/checklistTypes';
import { changeSetInputs, fileInputs, hunkInputs } from './inputsFromAnalysis';
import { scoreRisk } from './scoreRisk';
import { ReasonCode } from './riskWeights';

export function attachRisk(cs: ChangeSet, config?: Pick<ReviewConfig, 'riskThresholds' | 'riskWeights'>): void {
  const opts = { thresholds: config?.riskThresholds, weights: config?.riskWeights as Partial<Record<ReasonCode, number>> | undefined };
  for (const f of cs.files) {
    for (const h of f.hunks) h.risk = scoreRisk(hunkInputs(h, f, cs), opts);
    f.risk = scoreRisk(fileInputs(f, cs), opts);
  }
  cs.risk = scoreRisk(changeSetInputs(cs), opts);
}
