// Decides which checklist items apply to a change (their `when` conditions on the change's facts)
// and derives those facts from an analysed change set, reading later analyses' fields defensively.

import { pathMatcher } from '../history/historyOptions';
import { ChangeSet, Hunk } from '../review/changeSetTypes';
import { ChangeFacts, ChecklistItem, RiskLevel, levelAtLeast } from './checklistTypes';
import { asksAgain } from '../loop/interdiff';

export function conditionHolds(item: ChecklistItem, f: ChangeFacts): boolean {
  const w = item.when;
  if (!w) return true;
  if (w.riskAtLeast && !levelAtLeast(f.riskLevel, w.riskAtLeast)) return false;
  if (w.paths && !f.paths.some(pathMatcher(w.paths))) return false;
  if (w.aiAssisted !== undefined && (f.aiAssistedLines > 0) !== w.aiAssisted) return false;
  if (w.hotspotTouched !== undefined && (f.hotspotsTouched > 0) !== w.hotspotTouched) return false;
  if (w.filesMoreThan !== undefined && !(f.fileCount > w.filesMoreThan)) return false;
  if (w.callersMoreThan !== undefined && !((f.callers ?? 0) > w.callersMoreThan)) return false;
  return true;
}

export function applicableItems(items: readonly ChecklistItem[], facts: ChangeFacts): ChecklistItem[] {
  return items.filter((i) => conditionHolds(i, facts));
}

type Loose = Record<string, unknown> | undefined;
const obj = (v: unknown): Loose => (v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function riskOf(node: unknown): { level: RiskLevel | null; score: number | null } {
  const r = obj(obj(node)?.risk);
  const level = r?.level;
  return {
    level: level === 'low' || level === 'medium' || level === 'high' || level === 'critical' ? level : null,
    score: num(r?.score),
  };
}

export function factsFromChangeSet(cs: ChangeSet): ChangeFacts {
  let ai = 0;
  let hotspots = 0;
  for (const f of cs.files) {
    if (obj(obj(f.history)?.hotspot)?.isHotspot === true) hotspots++;
    for (const h of f.hunks) ai += num(obj(obj(h.history)?.aiAssisted)?.lines) ?? 0;
  }
  const pr = riskOf(cs);
  const impact = obj(cs.impact);
  return {
    riskLevel: pr.level,
    riskScore: pr.score,
    paths: cs.files.flatMap((f) => (f.oldPath ? [f.path, f.oldPath] : [f.path])),
    aiAssistedLines: ai,
    hotspotsTouched: hotspots,
    fileCount: cs.files.length,
    callers: num(impact?.transitiveCallers) ?? num(impact?.callers),
  };
}

/** The part of a unit's score that is final once history is done (callers may still arrive). */
function finalScore(node: unknown): number {
  const r = obj(obj(node)?.risk);
  return num(r?.comparableScore) ?? num(r?.score) ?? 0;
}

/**
 * Hunks that must be visited before approval: risk level at or above the configured one, and the
 * riskiest hunk of every file at or above it (levels place a unit among whole commits, so a hunk of
 * a risky file is rarely risky on its own: the reviewer still reads that file's worst hunk), and the
 * PR's riskiest hunk when the PR is at or above it (a risky PR of moderate files still has a hunk to
 * read), except those unchanged since the reviewer's last review (when the change set carries that
 * classification).
 */
export function mustVisitHunks(cs: ChangeSet, min: RiskLevel): Array<{ id: string; path: string; header: string; level: RiskLevel }> {
  const out: Array<{ id: string; path: string; header: string; level: RiskLevel }> = [];
  const riskiestOf = (hunks: Hunk[]): Hunk | null => hunks.reduce<Hunk | null>((best, h) => (best === null || finalScore(h) > finalScore(best) ? h : best), null);
  const prLevel = riskOf(cs).level;
  const prRiskiest = prLevel && levelAtLeast(prLevel, min) ? riskiestOf(cs.files.flatMap((f) => f.hunks.filter(asksAgain))) : null;
  for (const f of cs.files) {
    const fileLevel = riskOf(f).level;
    const riskiest = fileLevel && levelAtLeast(fileLevel, min) ? riskiestOf(f.hunks) : null;
    for (const h of f.hunks) {
      const { level } = riskOf(h);
      if (!asksAgain(h)) continue;
      if (level && levelAtLeast(level, min)) out.push({ id: h.id, path: f.path, header: h.header, level });
      else if (h === riskiest) out.push({ id: h.id, path: f.path, header: h.header, level: fileLevel! });
      else if (h === prRiskiest) out.push({ id: h.id, path: f.path, header: h.header, level: prLevel! });
    }
  }
  return out;
}
