// Markdown rendering of an analysis for humans (PR comments, terminals); JSON is the contract.

import { AnalysisTimings } from '../core/analysis/analysisTimings';
import { ChangeSet } from '../core/review/changeSetTypes';
import { Risk } from '../core/risk/scoreRisk';
import { ChangeSetHistory, FileHistory } from '../core/history/historyTypes';
import { ChangeSetImpact, HunkImpact } from '../core/impact/impactTypes';
import { printable } from '../core/printable';
import { plural } from '../core/words';
import { LevelGating } from '../core/risk/attachRisk';
import { comparedScoreWords, gatingWords, levelWords } from '../core/risk/riskWords';

/** Text from git or a remote, inert in Markdown and in a terminal: no HTML, no links, no formatting, no control characters, one line. */
export function esc(s: string): string {
  return printable(s, 300).replace(/[\\`*_{}[\]<>()#+!|&~]/g, (c) => `\\${c}`);
}

interface Attached {
  risk?: Risk;
  history?: FileHistory | ChangeSetHistory;
  impact?: HunkImpact | ChangeSetImpact;
}

/** Our own reason texts (figures and fixed words, perhaps a name): only what could start markup is escaped. */
const own = (s: string) => printable(s).replace(/[<>[\]`|\\]/g, (c) => `\\${c}`);

function riskText(r: Risk | undefined, reasons = 3): string {
  if (!r) return '';
  const why = r.reasons.slice(0, reasons).map((x) => own(x.text)).join('; ');
  return `${r.level} ${r.score}${why ? `: ${why}` : ''}`;
}

/** The PR-level lines: risk with its reasons, call-graph impact, history. */
function summary(cs: ChangeSet): string[] {
  const a = cs as unknown as Attached;
  const out: string[] = [];
  if (a.risk) {
    const missing = a.risk.unavailable.length ? ` (signals not computed: ${a.risk.unavailable.join(', ')})` : '';
    out.push(`- **Risk ${a.risk.level} (${a.risk.score}/100)**, ${own(levelWords(a.risk))}${a.risk.reasons.length ? `: ${a.risk.reasons.slice(0, 4).map((x) => own(x.text)).join('; ')}` : ''}${missing}`);
    const compared = comparedScoreWords(a.risk);
    if (compared) out.push(`  - ${own(compared)}`);
    const gating = (a.risk as Risk & { gating?: LevelGating }).gating;
    const h = a.history as ChangeSetHistory | undefined;
    if (gating) out.push(`  - ${own(gatingWords(gating))}${gating.base !== cs.baseCommit ? ` (measured at base ${gating.base.slice(0, 12)})` : ''}`);
    else if (h?.gating?.notMeasurable) out.push(`  - gating figure for this level: ${own(h.gating.notMeasurable)}`);
    else if (h && a.risk.comparedWith && !h.gating) out.push('  - gating figure for this level: not computed yet (`senior-review levels` or `analyze --gating` measures it once, then it is cached with the history index)');
  }
  const m = a.impact as ChangeSetImpact | undefined;
  // The server that ran belongs to this run (timings), not to the numbers.
  const run = (cs.timings as AnalysisTimings | undefined)?.passes.impact as { server?: string } | undefined;
  if (m) {
    const api = m.entryPoints.filter((e) => e.kind === 'exported-api').length;
    const tests = m.entryPoints.filter((e) => e.kind === 'test').length;
    out.push(
      `- Call-graph impact: ${plural(m.callers, 'caller')} in ${plural(m.files.length, 'file')}` +
        `${m.dirs.length ? ` (${m.dirs.map(esc).join(', ')})` : ''}, reaching ${plural(api, 'exported API')} and ${plural(tests, 'test file')}` +
        `${m.truncated ? `, truncated (${m.truncatedBy?.length ? m.truncatedBy.map(esc).join('; ') : 'at the limits'})` : ''}${m.approximate ? ' — approximate (text search)' : run?.server ? ` — ${esc(run.server)}` : ''}`,
    );
    for (const n of m.notes) out.push(`  - ${esc(n)}`);
  } else out.push('- Call-graph impact: not computed');
  const h = a.history as ChangeSetHistory | undefined;
  if (h) {
    out.push(
      `- History (as of the base, ${h.windowMonths}-month window): ${plural(h.hotspotsTouched, 'hotspot')} touched, ` +
        `${plural(h.aiAssistedLines, 'AI-assisted line')} added${h.partial.length ? `; partial (shallow clone): ${h.partial.map(esc).join(', ')}` : ''}`,
    );
    for (const n of h.notes) out.push(`  - ${esc(n)}`);
  }
  return out;
}

function fileHistoryText(h: FileHistory | undefined): string {
  if (!h) return '';
  // An excluded file (a lockfile, generated code) has commits; the index just does not keep them.
  if (h.excluded) return 'excluded from history';
  if (!h.known) return 'new';
  const parts = [`${h.commits.window}/${h.commits.allTime} commits`];
  if (h.hotspot.isHotspot) parts.unshift(`hotspot #${h.hotspot.rank} of ${h.hotspot.of.toLocaleString('en-US')} source files`);
  if (h.fixes.window) parts.push(plural(h.fixes.window, 'fix', 'fixes'));
  if (h.ownership.inactiveAuthorShare >= 0.5) parts.push(`${Math.round(h.ownership.inactiveAuthorShare * 100)}% by inactive authors`);
  return parts.join(', ');
}

interface SinceReviewSummary {
  reviewedHead: string;
  unchanged: number;
  changed: number;
  new: number;
  gone: number;
}

/** Under --since-review only changed and new hunks are shown; unchanged ones were seen already. */
function shownHunks(cs: ChangeSet, f: ChangeSet['files'][number]): ChangeSet['files'][number]['hunks'] {
  return cs.sinceReview ? f.hunks.filter((h) => h.reviewState === 'changed' || h.reviewState === 'new') : f.hunks;
}

function sinceReviewLines(cs: ChangeSet): string[] {
  const s = cs.sinceReview as SinceReviewSummary | undefined;
  if (!s) return [];
  const out = ['', `## Since your last review (head \`${s.reviewedHead.slice(0, 12)}\`)`, ''];
  out.push(`- ${plural(s.changed, 'changed hunk')}, ${plural(s.new, 'new hunk')}; ${plural(s.unchanged, 'unchanged hunk')} not shown${s.gone ? `; ${plural(s.gone, 'seen hunk')} gone` : ''}`);
  for (const f of cs.files) for (const h of shownHunks(cs, f)) out.push(`- ${h.reviewState} ${esc(f.path)} \`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\`${h.section ? ` ${esc(h.section)}` : ''}`);
  return out;
}

/** The hunks to read first: medium risk or more, riskiest first. */
function riskyHunks(cs: ChangeSet, limit = 10): string[] {
  const order = { low: 0, medium: 1, high: 2, critical: 3 } as const;
  const hunks = cs.files.flatMap((f) => shownHunks(cs, f).map((h) => ({ f, h, a: h as unknown as Attached })));
  const risky = hunks.filter((x) => x.a.risk && order[x.a.risk.level] >= 1).sort((x, y) => y.a.risk!.score - x.a.risk!.score);
  if (risky.length === 0) return [];
  const out = ['', `## Hunks to read first (${risky.length} at medium risk or more)`, ''];
  for (const { f, h, a } of risky.slice(0, limit)) {
    const m = a.impact as HunkImpact | undefined;
    const callers = m?.directCallers.slice(0, 3).map((c) => `${esc(c.name)} (${esc(c.path)}:${c.line})`).join(', ');
    out.push(`- ${esc(f.path)} \`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\` — ${riskText(a.risk)}${callers ? ` — called by ${callers}${m!.directCallers.length > 3 ? ', …' : ''}` : ''}`);
  }
  if (risky.length > limit) out.push(`- … and ${risky.length - limit} more`);
  return out;
}

export function analyzeMarkdown(cs: ChangeSet): string {
  const out: string[] = [];
  const pr = cs.pullRequest as { number: number; title: string | null; author: string | null; state: string | null; url: string | null } | undefined;
  out.push(pr ? `# Senior Review: #${pr.number}${pr.title ? ` ${esc(pr.title)}` : ''}` : `# Senior Review: ${esc(cs.base)}...${esc(cs.head)}`, '');
  if (pr) out.push(`- ${pr.author ? `by ${esc(pr.author)}, ` : ''}${pr.state ?? 'state unknown'}${pr.url ? `, ${esc(pr.url)}` : ''}`);
  out.push(`- merge base \`${cs.mergeBase.slice(0, 12)}\`, head \`${cs.headCommit.slice(0, 12)}\``);
  out.push(`- ${cs.stats.files} files, ${cs.stats.hunks} hunks, +${cs.stats.additions} −${cs.stats.deletions}`);
  if (cs.files.length) out.push(...summary(cs));
  out.push('');
  if (cs.files.length === 0) out.push('No changes between base and head.');
  else {
    out.push('| file | status | +/− | hunks | risk | callers | history |', '|---|---|---|---|---|---|---|');
    for (const f of cs.files) {
      if (cs.sinceReview && shownHunks(cs, f).length === 0) continue;
      const a = f as unknown as Attached;
      const name = f.oldPath ? `${esc(f.oldPath)} → ${esc(f.path)}` : esc(f.path);
      const note = f.tooLarge ? ' (too large to show)' : f.kind !== 'text' ? ` (${f.kind})` : '';
      const impacts = f.hunks.map((h) => (h as unknown as Attached).impact as HunkImpact | undefined).filter((m): m is HunkImpact => !!m);
      const callers = impacts.length ? `${new Set(impacts.flatMap((m) => m.callers.map((c) => `${c.path}:${c.line}`))).size}${impacts.some((m) => m.approximate) ? ' (approx.)' : ''}` : '';
      const risk = a.risk ? `${a.risk.level} ${a.risk.score}` : '';
      out.push(`| ${name} | ${f.status}${note} | +${f.additions} −${f.deletions} | ${shownHunks(cs, f).length} | ${risk} | ${callers} | ${fileHistoryText(a.history as FileHistory | undefined)} |`);
    }
    out.push(...sinceReviewLines(cs));
    out.push(...riskyHunks(cs));
  }
  return out.join('\n') + '\n';
}
