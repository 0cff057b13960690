// Markdown rendering of an analysis for humans (PR comments, terminals); JSON is the contract.

import { ChangeSet } from '../core/review/changeSetTypes';
import { plainText } from '../core/hosting/restClient';

/** Text from git or a remote, inert in Markdown: no HTML, no links, no formatting, one line. */
export function esc(s: string): string {
  return plainText(s, 300).replace(/[\\`*_{}[\]<>()#+!|&~]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

export function analyzeMarkdown(cs: ChangeSet): string {
  const out: string[] = [];
  const pr = cs.pullRequest as { number: number; title: string | null; author: string | null; state: string | null; url: string | null } | undefined;
  out.push(pr ? `# Senior Review: #${pr.number}${pr.title ? ` ${esc(pr.title)}` : ''}` : `# Senior Review: ${esc(cs.base)}...${esc(cs.head)}`, '');
  if (pr) out.push(`- ${pr.author ? `by ${esc(pr.author)}, ` : ''}${pr.state ?? 'state unknown'}${pr.url ? `, ${esc(pr.url)}` : ''}`);
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
