// Threads for people: plain text for the terminal, Markdown for Request Changes and hosts (every
// user-written word made inert), and the JSON shape of `senior-review comments --format json`.

import { plainText } from '../hosting/restClient';
import { LocatedThread } from './commentTypes';

/** Comment text in Markdown: no HTML, links or formatting of its own, no terminal escapes. */
function md(s: string, max = 2000): string {
  return plainText(s, max).replace(/[\\`*_{}[\]<>()#+!|&~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function flags(l: LocatedThread): string[] {
  return [l.thread.resolved ? 'resolved' : 'open', ...(l.thread.blocking ? ['blocking'] : []), ...(l.outdated ? ['outdated'] : []), ...(l.readOnly ? ['from the host'] : [])];
}

export function threadsText(located: readonly LocatedThread[]): string {
  if (located.length === 0) return 'No comments.\n';
  const out: string[] = [];
  for (const l of located) {
    out.push(`[${flags(l).join(', ')}] ${plainText(l.path, 300)}:${l.line} (${l.thread.anchor.side}) ${l.thread.id}`);
    if (l.outdated) out.push(`  was: ${plainText(l.thread.anchor.text, 200)}`);
    for (const c of l.thread.comments) out.push(`  ${plainText(c.author, 120)} (${c.id}${c.editedAt ? ', edited' : ''}): ${plainText(c.body, 4000).replace(/\n/g, '\n    ')}`);
  }
  return out.join('\n') + '\n';
}

/** The Markdown of threads; Request Changes passes only the unresolved ones. */
export function threadsMarkdown(located: readonly LocatedThread[], title = 'Review comments'): string {
  if (located.length === 0) return '';
  const out = [`### ${md(title)} (${located.length})`, ''];
  for (const l of located) {
    const [first, ...replies] = l.thread.comments;
    const f = flags(l).filter((x) => x !== 'open');
    out.push(`- **${md(l.path)}:${l.line}**${f.length ? ` (${f.join(', ')})` : ''} — ${first ? `${md(first.body)} — ${md(first.author, 120)}` : ''}`);
    for (const c of replies) out.push(`  - ${md(c.body)} — ${md(c.author, 120)}`);
  }
  return out.join('\n') + '\n';
}

/** For Request Changes: the unresolved threads with their file and line (empty when there are none). */
export function requestChangesThreadsMarkdown(located: readonly LocatedThread[]): string {
  return threadsMarkdown(located.filter((l) => !l.thread.resolved), 'Unresolved comments');
}

export function threadsJson(located: readonly LocatedThread[]): unknown[] {
  return located.map((l) => ({
    id: l.thread.id, path: l.path, line: l.line, side: l.thread.anchor.side, outdated: l.outdated, readOnly: l.readOnly,
    resolved: l.thread.resolved, resolvedBy: l.thread.resolvedBy, blocking: l.thread.blocking,
    anchor: l.thread.anchor, comments: l.thread.comments, published: l.thread.published,
  }));
}
