// What the views show, derived from the analysed change set in one place: risk, impact and history
// of hunks and files, hunk ordering, and the hover and CodeLens texts.
import { ChangeSet, ChangedFile, Hunk } from '../../core/review/changeSetTypes';
import { Risk } from '../../core/risk/scoreRisk';
import { HunkImpact } from '../../core/impact/impactTypes';
import { FileHistory, HunkHistory } from '../../core/history/historyTypes';
import { RiskLevel, RISK_LEVELS } from '../../core/checklist/checklistTypes';
import { comparedScoreWords, gatingWords, levelWords } from '../../core/risk/riskWords';
import { LevelGating } from '../../core/risk/attachRisk';
import { AnalysisStatus } from '../../core/analysis/analysisStatus';

export const riskOf = (x: ChangedFile | Hunk | ChangeSet): Risk | undefined => x.risk as Risk | undefined;
export const impactOf = (h: Hunk): HunkImpact | undefined => h.impact as HunkImpact | undefined;
export const fileHistoryOf = (f: ChangedFile): FileHistory | undefined => f.history as FileHistory | undefined;
export const hunkHistoryOf = (h: Hunk): HunkHistory | undefined => h.history as HunkHistory | undefined;

export function levelRank(level: RiskLevel | undefined): number {
  return level ? RISK_LEVELS.indexOf(level) : -1;
}

export interface HunkRef {
  file: ChangedFile;
  hunk: Hunk;
}

/**
 * The score rows are sorted by: the one without call-graph impact, final once history is known, so
 * no row moves under the reviewer when callers arrive.
 */
const finalScore = (x: ChangedFile | Hunk): number => riskOf(x)?.comparableScore ?? 0;

/** Every hunk in review order: by risk (highest first) or by path and position. */
export function orderedHunks(cs: ChangeSet, byRisk: boolean): HunkRef[] {
  const all = cs.files.flatMap((file) => file.hunks.map((hunk) => ({ file, hunk })));
  if (!byRisk) return all;
  return [...all].sort((a, b) => finalScore(b.hunk) - finalScore(a.hunk));
}

export function orderedFiles(cs: ChangeSet, byRisk: boolean): ChangedFile[] {
  return byRisk ? [...cs.files].sort((a, b) => finalScore(b) - finalScore(a) || a.path.localeCompare(b.path)) : [...cs.files].sort((a, b) => a.path.localeCompare(b.path));
}

/** A score as shown: "…" while it waits for call-graph impact (the level is final already). */
export function scoreText(r: Risk): string {
  return r.pending.length ? '…' : String(r.score);
}

/** "callers: 12 of 40 hunks analysed" while impact is computed for this review, else null. */
export function impactPendingWords(status: AnalysisStatus | undefined): string | null {
  const i = status?.impact;
  return i && i.state === 'pending' ? `callers: ${i.analysed} of ${i.total} hunks analysed` : null;
}

/** "82 high": what starts a tree row, so it survives truncation at any sidebar width. */
export function riskFigure(r: Risk | undefined): string {
  return r ? `${scoreText(r)} ${r.level}` : '';
}

/** A path as the folder and the file name: "src/billing" and "invoice.ts" ("" for a top-level file). */
export function splitPath(path: string): { dir: string; name: string } {
  const at = path.lastIndexOf('/');
  return at < 0 ? { dir: '', name: path } : { dir: path.slice(0, at), name: path.slice(at + 1) };
}

/** "risk 82 · 47 callers · hotspot · AI 40%" */
export function lensText(file: ChangedFile, hunk: Hunk): string {
  const parts: string[] = [];
  const r = riskOf(hunk);
  if (r) parts.push(`risk ${scoreText(r)} (${r.level})`);
  else parts.push('risk …');
  const m = impactOf(hunk);
  if (m) parts.push(`${m.transitiveCallers} caller${m.transitiveCallers === 1 ? '' : 's'}${m.approximate ? ' (approx.)' : ''}`);
  if (fileHistoryOf(file)?.hotspot.isHotspot) parts.push('hotspot');
  const ai = hunkHistoryOf(hunk)?.aiAssisted;
  if (ai && ai.lines > 0) parts.push(`AI ${Math.round(ai.share * 100)}%`);
  return parts.join(' · ');
}

/** The tree's tooltip: the level in words, this repository's gating figure for it (the PR row), then the reasons. */
export function riskTooltip(r: Risk | undefined): string | undefined {
  if (!r) return undefined;
  const gating = (r as Risk & { gating?: LevelGating }).gating;
  return [`${r.level} (${scoreText(r)}): ${levelWords(r)}`, ...(gating ? [gatingWords(gating)] : []), ...r.reasons.map((x) => `• ${x.text}`)].join('\n');
}

/**
 * Markdown for the hover: reasons, callers (as links built by `link`), history, owners, AI commits.
 * Paragraphs are separated by exactly one blank line and none is empty ("" when nothing is known),
 * so the hover shows no empty rows. While an input is pending it says so (`status`), never a
 * number that will change.
 */
export function hoverMarkdown(file: ChangedFile, hunk: Hunk, link: (path: string, line: number) => string, windowMonths = 12, status?: AnalysisStatus): string {
  const out: string[][] = [];
  const esc = (s: string) => s.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
  const r = riskOf(hunk);
  if (!r && status?.history === 'pending') out.push(['**Risk …**: _history is still being read; the level follows._']);
  if (r) {
    out.push([`**Risk ${scoreText(r)} — ${r.level}**: ${esc(levelWords(r))}`]);
    if (r.pending.length) out.push([`_The score waits for call-graph impact (${esc(impactPendingWords(status) ?? 'not computed')}); the level is final._`]);
    const compared = comparedScoreWords(r);
    if (compared) out.push([`_${esc(compared)}_`]);
    if (r.reasons.length) out.push(r.reasons.map((reason) => `- ${esc(reason.text)} (+${reason.points})`));
    if (r.perLineFactor > 0 && r.perLineFactor < 1) out.push([`_History, author and fix signals count ×${r.perLineFactor} for a change of this size._`]);
    // Say why a test or configuration hunk in a hotspot scores next to nothing.
    if (r.perLineFactor === 0) out.push(['_History, author and fix signals do not count: no program source changed here._']);
    if (r.unavailable.length) out.push([`_Not available: ${r.unavailable.join(', ')}_`]);
  }
  const m = impactOf(hunk);
  const waiting = impactPendingWords(status);
  // Only a hunk whose score waits for callers says so: documentation and data get none.
  if (!m && waiting && r?.pending.includes('impact')) out.push([`**Callers**: pending (${waiting})`]);
  if (m) {
    out.push([`**Callers**${m.approximate ? ' (approximate text search)' : ''}: ${m.transitiveCallers} in ${m.files.length} file${m.files.length === 1 ? '' : 's'}${m.truncated ? ' (truncated)' : ''}`]);
    if (m.callers.length) out.push(m.callers.slice(0, 12).map((c) => `- [${esc(c.name)}](${link(c.path, c.line)}) — ${esc(c.path)}:${c.line}${c.depth > 1 ? ` (depth ${c.depth})` : ''}`));
  }
  const fh = fileHistoryOf(file);
  if (fh && fh.known) {
    const of = `${fh.hotspot.of.toLocaleString('en-US')} source files`;
    const rank = fh.hotspot.isHotspot ? `**hotspot #${fh.hotspot.rank} of ${of}**` : fh.hotspot.rank ? `#${fh.hotspot.rank} of ${of} by change frequency × complexity` : 'not ranked (not program source)';
    out.push([`**History**: ${fh.commits.window} commits in the last ${windowMonths} months (${fh.commits.allTime} in all), ${fh.fixes.window} of them fixes; ${rank}; created ${fh.age.createdMonthsAgo ?? '?'} months ago`]);
    const owners = fh.ownership.authors.slice(0, 3).map((a) => `${esc(a.name)} ${Math.round(a.share * 100)}%${a.active ? '' : ' (inactive)'}`);
    if (owners.length) out.push([`**Owners**: ${owners.join(', ')}`]);
  }
  const hh = hunkHistoryOf(hunk);
  if (hh?.knowledgeLoss && hh.knowledgeLoss.inactiveLines) out.push([`**Knowledge loss**: ${Math.round(hh.knowledgeLoss.share * 100)}% of touched lines by inactive authors`]);
  if (hh?.aiAssisted.commits.length) out.push(['**AI-assisted commits**:', ...hh.aiAssisted.commits.map((c) => `- ${c.sha.slice(0, 10)} ${esc(c.subject)} — ${esc(c.markers.join('; '))}`)]);
  return out.map((p) => p.join('\n')).join('\n\n');
}
