// The history signals attached to the change set (`file.history`, `hunk.history`,
// `changeSet.history`) and printed by `senior-review hotspots`; every figure is raw, so the UI
// and the risk model can explain themselves.

import type { CachedDistribution } from '../risk/levelDistribution';
import type { GatingFigures } from '../risk/gatingEvaluation';

/** One person's part in a file (identities of one person merged: src/core/history/identities.ts). */
export interface AuthorShare {
  name: string;
  email: string;
  /** The person's number among the base's authors (the same number as in `rangeAuthors`). */
  person: number;
  commits: number;
  /** Share of the file's commits, 0..1. */
  share: number;
  lastCommit: string;
  /** No commit anywhere in the repository, under any of the person's identities, within `inactiveMonths` before the base. */
  active: boolean;
}

export interface FileHistory {
  /** The path looked up at the base (the old path of a renamed file). */
  path: string;
  /** False when the file has no history at the base (added by the change). */
  known: boolean;
  excluded: boolean;
  commits: { window: number; allTime: number };
  /**
   * Lines added and deleted: in the hotspot report's JSON, which counts them for the files it
   * lists. A review does not show them (no score or view reads them, and counting costs a numstat
   * pass over every commit of the files), so its files have none.
   */
  churn?: { window: { added: number; deleted: number }; allTime: { added: number; deleted: number } };
  /** `share`: fixes among all commits; `windowShare`: fixes among the window's commits (what the risk reason states). */
  fixes: { window: number; allTime: number; reverts: number; share: number; windowShare: number };
  aiAssistedCommits: number;
  complexity: {
    base: { total: number; max: number; lines: number } | null;
    head: { total: number; max: number; lines: number } | null;
    /** head.total − base.total. */
    delta: number | null;
  };
  /** Rank among the program source files at base (`of` of them); rank 0 for a file that is not ranked (not source, or new). */
  hotspot: { score: number; percentile: number; rank: number; of: number; isHotspot: boolean };
  age: { created: string | null; lastChanged: string | null; createdMonthsAgo: number | null; lastChangedMonthsAgo: number | null };
  ownership: {
    authors: AuthorShare[];
    mainAuthor: AuthorShare | null;
    /** 1 − Σ share²: 0 when one author wrote everything, towards 1 when many did. */
    fragmentation: number;
    /** Share of commits by authors inactive at the base date. */
    inactiveAuthorShare: number;
  };
  /** Signals that are incomplete (shallow clone) and so shown as lower bounds. */
  partial: string[];
}

export interface HunkHistory {
  /** The function or block around the hunk at head (at base for a pure deletion). */
  enclosing: { name: string; startLine: number; endLine: number; total: number; max: number; side: 'head' | 'base' } | null;
  knowledgeLoss: {
    /** Base lines the hunk touches (removed and context lines). */
    touchedLines: number;
    inactiveLines: number;
    share: number;
    inactiveAuthors: Array<{ name: string; email: string; lines: number; lastCommit: string | null; monthsInactive: number | null }>;
  } | null;
  aiAssisted: {
    addedLines: number;
    lines: number;
    share: number;
    commits: Array<{ sha: string; subject: string; markers: string[]; lines: number }>;
  };
}

export interface ChangeSetHistory {
  /** "Now" for every window: the base commit's committer date, so figures are reproducible. */
  asOf: string;
  windowMonths: number;
  inactiveMonths: number;
  hotspotTopPercent: number;
  commitsIndexed: number;
  filesRanked: number;
  shallow: boolean;
  partial: string[];
  /** Signals left out for a file and why (e.g. a name git cannot be given as an argument). */
  notes: string[];
  cache: 'warm' | 'extended' | 'cold';
  ms: number;
  hotspotsTouched: number;
  aiAssistedLines: number;
  /** The commits under review (merge base..head), newest first. */
  rangeCommits: Array<{ sha: string; subject: string; authorName: string; authorEmail: string; isFix: boolean; aiMarkers: string[] }>;
  /**
   * Per person among the range's authors: their commits reachable from the base (experience with
   * the repository), and `person`, their number among the base's authors (null when new to it).
   */
  rangeAuthors: Array<{ name: string; email: string; commitsBeforeBase: number; person: number | null }>;
  /**
   * This repository's changes (non-merge commits) of the window before the base, as the backtest
   * scores them from the index (no call graph): what the levels compare with. Absent when fixed
   * thresholds are configured.
   */
  distribution?: CachedDistribution;
  /** The gating figures measured on the window before that one, when computed (cached; possibly for an earlier base, which they name). */
  gating?: GatingFigures;
}
