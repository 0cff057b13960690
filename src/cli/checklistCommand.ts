// `senior-review checklist`: the checklist items that apply to a range, the reviewer's progress,
// and the hunks that must still be visited.

import { applicableItems, factsFromChangeSet, mustVisitHunks } from '../core/checklist/evaluate';
import { openReview } from '../core/signoff/reviewContext';
import { isChecked, noteOf } from '../core/checklist/session';
import { attachSinceReview, sinceLastReview } from '../core/loop/interdiff';
import { CliCommand, REPO_OPTIONS, formatOpt, stringOpt } from './cliTypes';
import { printable, printableJson } from '../core/printable';

export const checklistCommand: CliCommand = {
  name: 'checklist',
  summary: 'Show the checklist that applies to a range and the review progress',
  usage: 'senior-review checklist [--repo DIR] [--base REF] [--head REF] [--reviewer "Name <email>"] [--format json|text]',
  options: { ...REPO_OPTIONS, base: { type: 'string' }, head: { type: 'string' }, reviewer: { type: 'string' }, format: { type: 'string' } },
  async run(values, _p, io) {
    const format = formatOpt(values, ['text', 'json'] as const, 'text');
    const r = await openReview({ repo: stringOpt(values, 'repo') ?? io.cwd, base: stringOpt(values, 'base'), head: stringOpt(values, 'head'), reviewer: stringOpt(values, 'reviewer'), signal: io.signal, logger: io.logger });
    // After an earlier review, must-visit asks again only for hunks changed or new since then.
    const since = await sinceLastReview(r.cs, { reviewer: r.reviewer, gitDir: r.gitDir, ctx: r.ctx });
    if (since) attachSinceReview(r.cs, since);
    const facts = factsFromChangeSet(r.cs);
    const items = applicableItems(r.config.items, facts).map((i) => ({ ...i, checked: isChecked(r.session, i.id), note: noteOf(r.session, i.id) }));
    const mustVisit = mustVisitHunks(r.cs, r.config.mustVisitRiskAtLeast).map((h) => ({ ...h, visited: r.session.visited.includes(h.id) }));
    if (format === 'json') {
      io.stdout(printableJson({ source: r.config.source, reviewer: r.reviewer, facts, items, mustVisit, droppedVisits: r.droppedVisits, sinceReview: r.cs.sinceReview ?? null }) + '\n');
      return 0;
    }
    io.stdout(`Checklist for ${printable(`${r.cs.base}...${r.cs.head}`)} (${printable(r.config.source)}), reviewer ${printable(r.reviewer)}\n`);
    for (const i of items) io.stdout(`  [${i.checked ? 'x' : ' '}] ${printable(i.id).padEnd(14)} ${printable(i.title)}${i.required ? '' : ' (optional)'}${i.requiresNote ? (i.note ? ' — note written' : ' — needs a note') : ''}\n`);
    if (since) io.stdout(`Since your last review (${since.reviewedHead.slice(0, 12)}): ${since.counts.changed} changed, ${since.counts.new} new, ${since.counts.unchanged} unchanged, ${since.counts.gone} gone\n`);
    if (mustVisit.length) {
      io.stdout(since ? 'Hunks to visit (changed or new since your last review):\n' : 'Hunks to visit:\n');
      for (const h of mustVisit) io.stdout(`  [${h.visited ? 'x' : ' '}] ${h.id} ${h.level} ${printable(h.path)} ${printable(h.header)}\n`);
    }
    return 0;
  },
};
