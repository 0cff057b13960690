// The checklist model: items with conditions, the repository's configuration, and the facts about
// a change that conditions are evaluated on.

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical';
export const RISK_LEVELS: readonly RiskLevel[] = ['low', 'medium', 'high', 'critical'];

export interface Condition {
  riskAtLeast?: RiskLevel;
  paths?: string[];
  aiAssisted?: boolean;
  hotspotTouched?: boolean;
  filesMoreThan?: number;
  callersMoreThan?: number;
}

export interface ChecklistItem {
  id: string;
  title: string;
  help: string;
  required: boolean;
  requiresNote: boolean;
  when?: Condition;
}

export interface ReviewConfig {
  items: ChecklistItem[];
  allowedReviewers: string[];
  /** Path (in the base revision) of the SSH allowed-signers file `verify --require-signature` checks against. */
  allowedSignersFile: string;
  writeMode: 'auto' | 'amend' | 'commit';
  mustVisitRiskAtLeast: RiskLevel;
  /** Fixed score thresholds of each level (the lowest score of each), replacing `riskLevels`. */
  riskThresholds?: { medium?: number; high?: number; critical?: number };
  /** Percent of this repository's changes of the window before the base at each level (default 5 / 15 / 30, low the rest). */
  riskLevels?: { critical?: number; high?: number; medium?: number };
  riskWeights?: Record<string, number>;
  /** Where the configuration came from, for the UI ("built-in" or ".senior-review.json at abc123"). */
  source: string;
}

export interface ChangeFacts {
  riskLevel: RiskLevel | null;
  riskScore: number | null;
  paths: string[];
  aiAssistedLines: number;
  hotspotsTouched: number;
  fileCount: number;
  callers: number | null;
}

export function levelAtLeast(level: RiskLevel | null, min: RiskLevel): boolean {
  return level !== null && RISK_LEVELS.indexOf(level) >= RISK_LEVELS.indexOf(min);
}
