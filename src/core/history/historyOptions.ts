// Settings of the history index with their defaults; the editor maps VS Code settings onto this
// object and the CLI maps flags, so every consumer computes the same figures.

import { compileGlob } from '../globMatch';

export interface HistoryOptions {
  /** The change-frequency window, in months before the base commit's date. */
  windowMonths: number;
  /** A program source file is a hotspot when its rank is in this top share of the source files at base (percent; at least the top file). */
  hotspotTopPercent: number;
  /** ...and has changed at least this many times in the window (a file changed once is no hotspot). */
  hotspotMinCommits: number;
  /** Authors with no commit in this many months before the base are "inactive". */
  inactiveMonths: number;
  /** Commit messages that mark a bug fix (case-insensitive regular expressions). */
  fixPatterns: string[];
  /** Paths left out of churn and hotspots (lockfiles, generated and vendored code): globs. */
  excludeGlobs: string[];
  /** Extra AI-assistance patterns, matched against trailer lines and author identities. */
  aiPatterns: string[];
}

export const DEFAULT_FIX_PATTERNS = [
  '^(fix|bugfix|hotfix)(\\([^)]*\\))?!?:',
  '\\b(fix(e[sd])?|bug|bugs|hotfix|regression|patch(ed)?)\\b',
  '^revert\\b',
  '\\bthis reverts commit\\b',
];

export const DEFAULT_EXCLUDE_GLOBS = [
  '**/package-lock.json', '**/npm-shrinkwrap.json', '**/yarn.lock', '**/pnpm-lock.yaml', '**/Cargo.lock',
  '**/go.sum', '**/poetry.lock', '**/Gemfile.lock', '**/composer.lock', '**/*.min.js', '**/*.min.css',
  '**/*.map', '**/dist/**', '**/vendor/**', '**/node_modules/**', '**/*.snap', '**/*.pb.go', '**/*_pb2.py',
];

export const DEFAULT_HISTORY_OPTIONS: HistoryOptions = {
  windowMonths: 12,
  hotspotTopPercent: 5,
  hotspotMinCommits: 2,
  inactiveMonths: 6,
  fixPatterns: DEFAULT_FIX_PATTERNS,
  excludeGlobs: DEFAULT_EXCLUDE_GLOBS,
  aiPatterns: [],
};

export function historyOptions(partial: Partial<HistoryOptions> = {}): HistoryOptions {
  return { ...DEFAULT_HISTORY_OPTIONS, ...Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined)) };
}

const matchers = new Map<string, (path: string) => boolean>();
/** Answers remembered per matcher, at most (a long-lived editor process sees many repositories). */
const SEEN_MAX = 200_000;

/**
 * One matcher for many globs (see globMatch.ts for their semantics), remembering its answers; the
 * same globs give the same matcher, so the walk, the update and the ranking share what it learnt.
 */
export function pathMatcher(globs: readonly string[]): (path: string) => boolean {
  const key = JSON.stringify(globs);
  const known = matchers.get(key);
  if (known) return known;
  const compiled = globs.map(compileGlob);
  // A history walk asks about the same few thousand paths again and again.
  const seen = new Map<string, boolean>();
  const matcher = (path: string) => {
    let hit = seen.get(path);
    if (hit === undefined) {
      if (seen.size >= SEEN_MAX) seen.clear();
      seen.set(path, (hit = compiled.some((g) => g.test(path))));
    }
    return hit;
  };
  matchers.set(key, matcher);
  return matcher;
}

/** An average month, in seconds (365.25 / 12 days). */
export const MONTH_SECONDS = 30.4375 * 86_400;
const MONTH_MS = MONTH_SECONDS * 1000;

export function monthsBetween(fromSec: number, toSec: number): number {
  return Math.max(0, ((toSec - fromSec) * 1000) / MONTH_MS);
}

export function monthsAgo(asOfSec: number, months: number): number {
  return asOfSec - (months * MONTH_MS) / 1000;
}
