// `senior-review impact`: who calls the code each hunk changes, transitively, through a language
// server (or a labelled text search when none can answer).

import { analyzeChangeSet } from '../core/analysis/analyze';
import { HunkImpact } from '../core/impact/impactTypes';
import { Hunk } from '../core/review/changeSetTypes';
import { CliCommand, REPO_OPTIONS, formatOpt, stringOpt } from './cliTypes';
import { IMPACT_FLAGS, impactOptionsFromFlags } from './impactFlags';
import { printable, printableJson } from '../core/printable';

export const impactCommand: CliCommand = {
  name: 'impact',
  summary: 'Call-graph impact of every hunk (callers, transitively) through a language server',
  usage: 'senior-review impact [--repo DIR] [--base REF] [--head REF] [--max-depth N] [--trust-workspace] [--language-server EXTS=COMMAND] [--server-timeout SECONDS] [--format json|text]',
  options: { ...REPO_OPTIONS, ...IMPACT_FLAGS, base: { type: 'string' }, head: { type: 'string' }, format: { type: 'string' } },
  async run(values, _p, io) {
    const format = formatOpt(values, ['json', 'text'] as const, 'json');
    const impact = impactOptionsFromFlags(values) || {};
    const shown = new Set<string>();
    const show = (path: string, h: Hunk) => {
      if (format !== 'text' || shown.has(h.id) || !h.impact) return;
      shown.add(h.id);
      io.stdout(line(path, h.header, h.impact as HunkImpact));
    };
    const cs = await analyzeChangeSet(
      { repo: stringOpt(values, 'repo') ?? io.cwd, base: stringOpt(values, 'base'), head: stringOpt(values, 'head'), signal: io.signal, logger: io.logger, history: false, impact },
      // Each hunk as it is analysed (riskiest first); a cached analysis has them all at once.
      { impactHunk: (f, h) => show(f.path, h) },
    );
    for (const f of cs.files) for (const h of f.hunks) show(f.path, h);
    if (format === 'json') {
      const hunks = cs.files.flatMap((f) => f.hunks.filter((h) => h.impact).map((h) => ({ path: f.path, hunk: h.id, header: h.header, impact: h.impact })));
      io.stdout(printableJson({ base: cs.base, head: cs.head, headCommit: cs.headCommit, mergeBase: cs.mergeBase, impact: cs.impact, hunks }) + '\n');
    }
    return 0;
  },
};

function line(path: string, header: string, m: HunkImpact): string {
  const names = printable(m.symbols.map((s) => s.name).join(', ')) || '(no symbol)';
  return `${printable(path)} ${printable(header)}\n  ${names}: ${m.directCallers.length} direct, ${m.transitiveCallers} callers in ${m.files.length} files${m.approximate ? ' (approximate)' : ''}${m.truncated ? ` (truncated: ${m.truncatedBy ?? 'at the limits'})` : ''}\n`;
}
