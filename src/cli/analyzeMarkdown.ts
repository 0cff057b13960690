// Markdown rendering of an analysis for humans (PR comments, terminals); JSON is the contract.

import { ChangeSet } from '../core/review/changeSetTypes';

function esc(s: string): string {
  return s.replace(/[\\`*_{}[\]<>()#+!|]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ');
}

export function analyzeMarkdown(cs: ChangeSet): string {
  const out: string[] = [];
  out.push(`# Senior Review: ${esc(cs.base)}...${esc(cs.head)}`, '');
  out.push(`- merge base \`${cs.mergeBase.slice(0, 12)}\`, head \`${cs.headCommit.slice(0, 12)}\``);
  out.push(`- ${cs.stats.files} files, ${cs.stats.hunks} hunks, +${cs.stats.additions} −${cs.stats.deletions}`, '');
  if (cs.files.length === 0) out.push('No changes between base and head.');
  else {
    out.push('| file | status | +/− | hunks |', '|---|---|---|---|');
    for (const f of cs.files) {
      const name = f.oldPath ? `${esc(f.oldPath)} → ${esc(f.path)}` : esc(f.path);
      const note = f.tooLarge ? ' (too large to show)' : f.kind !== 'text' ? ` (${f.kind})` : '';
      out.push(`| ${name} | ${f.status}${note} | +${f.additions} −${f.deletions} | ${f.hunks.length} |`);
    }
  }
  return out.join('\n') + '\n';
}
