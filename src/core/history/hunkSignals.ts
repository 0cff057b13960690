// Per-hunk history: knowledge loss from blame at the base (who wrote the lines the hunk touches,
// and have they left), AI-assisted lines from blame at head restricted to the range's own commits
// (both attributed by lineAuthors.ts), and the complexity of the block around the hunk.

import { RepoContext } from '../git/repository';
import { runGit } from '../git/runGit';
import { Hunk } from '../review/changeSetTypes';
import { addedLines } from '../review/lineMap';
import { detectAiAssistance } from './aiAssistance';
import { fixMatcher, isRevert } from './fixCommits';
import { enclosingBlock } from './complexity';
import { IndexPeople } from './identities';
import { HistoryOptions, monthsAgo, monthsBetween } from './historyOptions';
import { HunkHistory } from './historyTypes';
import { authorOf } from './lineAuthors';

export interface RangeCommit {
  sha: string;
  subject: string;
  markers: string[];
}

export interface RangeCommitInfo {
  sha: string;
  subject: string;
  authorName: string;
  authorEmail: string;
  isFix: boolean;
  aiMarkers: string[];
}

/** The commits under review (merge base..head), newest first, with fix and AI-assistance flags. */
export async function commitsInRange(mergeBase: string, head: string, o: HistoryOptions, ctx: RepoContext, mailmap: string[]): Promise<RangeCommitInfo[]> {
  const out = (await runGit([...mailmap, 'log', '--no-color', '--format=%H%x1f%aN%x1f%aE%x1f%B%x1e', `${mergeBase}..${head}`, '--'], ctx)).stdout.toString('utf8');
  const isFix = fixMatcher(o.fixPatterns);
  const commits: RangeCommitInfo[] = [];
  for (const rec of out.split('\x1e')) {
    const [sha, name, email, message] = rec.replace(/^\n/, '').split('\x1f');
    if (!sha || message === undefined) continue;
    const d = detectAiAssistance(message, name, email, o.aiPatterns);
    commits.push({ sha, subject: message.split('\n')[0], authorName: name, authorEmail: email, isFix: isFix(message) || isRevert(message), aiMarkers: d.assisted && !d.botOnly ? d.markers : [] });
  }
  return commits;
}

/** The AI-assisted commits of the range, by id. */
export function aiCommitMap(commits: readonly RangeCommitInfo[]): Map<string, RangeCommit> {
  return new Map(commits.filter((c) => c.aiMarkers.length).map((c) => [c.sha, { sha: c.sha, subject: c.subject, markers: c.aiMarkers }]));
}

/** Base line numbers a hunk touches: its removed and context lines. */
export function touchedBaseLines(h: Hunk): number[] {
  const out: number[] = [];
  let o = h.oldStart;
  for (const l of h.lines) {
    if (l[0] === '-' || l[0] === ' ') out.push(o++);
  }
  return out;
}

export interface FileHunkContext {
  hunks: Hunk[];
  baseText: string | null;
  headText: string | null;
  /** Who last changed each touched base line ("name\nemail", lineAuthors.ts); null when not computed for this file. */
  baseAuthors: ReadonlyMap<number, string> | null;
  /** The range commit that added each added line ('' when older than the range); null when not computed. */
  headCommits: ReadonlyMap<number, string> | null;
}

/** The history of each hunk of one file from its attributed lines (no git work of its own). */
export function hunkHistories(
  f: FileHunkContext,
  aiCommits: Map<string, RangeCommit>,
  who: IndexPeople,
  asOf: number,
  o: HistoryOptions,
): HunkHistory[] {
  // Active means any identity of the person committed lately (identities.ts).
  const lastByAuthor = (name: string, email: string): number | null => {
    const p = who.people.personOf(name, email);
    return p === null ? null : who.last.get(p) ?? null;
  };
  const inactiveSince = monthsAgo(asOf, o.inactiveMonths);
  return f.hunks.map((h) => {
    const touched = touchedBaseLines(h);
    const added = addedLines(h);
    const knowledgeLoss = f.baseAuthors ? knowledge(touched, f.baseAuthors, lastByAuthor, inactiveSince, asOf) : null;
    const aiByCommit = new Map<string, number>();
    for (const n of added) {
      const sha = f.headCommits?.get(n);
      if (sha && aiCommits.has(sha)) aiByCommit.set(sha, (aiByCommit.get(sha) ?? 0) + 1);
    }
    const aiLines = [...aiByCommit.values()].reduce((s, n) => s + n, 0);
    const useHead = h.newLines > 0 && f.headText !== null;
    const text = useHead ? f.headText : f.baseText;
    const block = text !== null ? enclosingBlock(text, useHead ? h.newStart : Math.max(1, h.oldStart), useHead ? h.newStart + Math.max(h.newLines, 1) - 1 : h.oldStart + Math.max(h.oldLines, 1) - 1) : null;
    return {
      enclosing: block ? { name: block.name, startLine: block.startLine, endLine: block.endLine, total: block.total, max: block.max, side: useHead ? 'head' : 'base' } : null,
      knowledgeLoss,
      aiAssisted: {
        addedLines: added.length,
        lines: aiLines,
        share: added.length ? Math.round((aiLines / added.length) * 1000) / 1000 : 0,
        commits: [...aiByCommit.entries()].map(([sha, lines]) => ({ ...aiCommits.get(sha)!, lines })),
      },
    };
  });
}

function knowledge(
  lines: number[],
  blame: ReadonlyMap<number, string>,
  lastByAuthor: (name: string, email: string) => number | null,
  inactiveSince: number,
  asOf: number,
): HunkHistory['knowledgeLoss'] {
  if (lines.length === 0) return null;
  let inactive = 0;
  const byAuthor = new Map<string, { name: string; email: string; lines: number; last: number | null }>();
  for (const n of lines) {
    const value = blame.get(n);
    // '' marks a line git did not attribute.
    if (!value) continue;
    const b = authorOf(value);
    const who = `${b.name} <${b.email}>`;
    const last = lastByAuthor(b.name, b.email);
    if (last !== null && last >= inactiveSince) continue;
    inactive++;
    const e = byAuthor.get(who) ?? { name: b.name, email: b.email, lines: 0, last };
    e.lines++;
    byAuthor.set(who, e);
  }
  return {
    touchedLines: lines.length,
    inactiveLines: inactive,
    share: Math.round((inactive / lines.length) * 1000) / 1000,
    inactiveAuthors: [...byAuthor.values()]
      .sort((a, b) => b.lines - a.lines)
      .map((a) => ({ name: a.name, email: a.email, lines: a.lines, lastCommit: a.last === null ? null : new Date(a.last * 1000).toISOString(), monthsInactive: a.last === null ? null : Math.round(monthsBetween(a.last, asOf) * 10) / 10 })),
  };
}
