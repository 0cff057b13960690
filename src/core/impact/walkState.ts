// What a hunk's walk of incoming calls has found so far, and the hunk's head side kept while the
// merge base's side waits for its own server (the two servers never run at once: impactSession).

import { ChangedFile, Hunk } from '../review/changeSetTypes';
import { AnalysisTree } from './analysisTree';
import { CallerRef, EntryPoint, SymbolRef } from './impactTypes';
import { CallHierarchyItem, HierarchyClient, ServerCommand } from './lspClient';

/** A starting point of the walk, with the source that prepared it (and so knows its project). */
export type Root = { item: CallHierarchyItem; tree: AnalysisTree; client: HierarchyClient; callLine?: number };

export interface Walk {
  /** Items met (roots and callers), by uri and position. */
  seen: Set<string>;
  callers: Map<string, CallerRef>;
  /** With the breadth step each was first met at (0: the roots). */
  entryPoints: Map<string, { entry: EntryPoint; step: number }>;
  /** Why the walk stopped before the end, with the step each reason was first met at. */
  truncatedBy: Map<string, number>;
  /** A request was cut (timeout, error answer): another run may find more. */
  incomplete: boolean;
  depthReached: number;
}

export function newWalk(): Walk {
  return { seen: new Set(), callers: new Map(), entryPoints: new Map(), truncatedBy: new Map(), incomplete: false, depthReached: 0 };
}

/** A copy that walking on does not change (the head's and the base's callers never share a key: their trees differ). */
export function copyWalk(w: Walk): Walk {
  return { ...w, seen: new Set(w.seen), callers: new Map(w.callers), entryPoints: new Map(w.entryPoints), truncatedBy: new Map(w.truncatedBy) };
}

export function addEntry(w: Walk, key: string, entry: EntryPoint, step: number): void {
  w.entryPoints.set(key, { entry, step: w.entryPoints.get(key)?.step ?? step });
}

export function addStop(w: Walk, why: string, step: number): void {
  if (!w.truncatedBy.has(why)) w.truncatedBy.set(why, step);
}

/**
 * Entry points and stop reasons by the step they were met at, then as met: the order of one walk
 * over the head's and the base's roots at once, whose every step met the head's nodes first. So
 * walking the base's side after the head's (on its own server) gives the same answer.
 */
export function entriesInOrder(w: Walk): EntryPoint[] {
  return [...w.entryPoints.values()].sort((a, b) => a.step - b.step).map((e) => e.entry);
}

export function stopsInOrder(w: Walk): string[] {
  return [...w.truncatedBy].sort((a, b) => a[1] - b[1]).map(([why]) => why);
}

/** A hunk whose head side is walked and whose merge-base side (a removed or renamed-away declaration) is still to walk. */
export class BaseSide {
  constructor(
    readonly file: ChangedFile,
    readonly hunk: Hunk,
    readonly headCommit: string,
    readonly mergeBase: string,
    readonly server: ServerCommand,
    /** The head's symbols; the base adds those the head no longer has. */
    readonly symbols: SymbolRef[],
    /** How many roots the head prepared (none: the base's roots are the hunk's). */
    readonly headRoots: number,
    readonly walked: Walk,
    /** Why the head's confirmation of text callers was cut short. */
    readonly cuts: string[],
  ) {}
}
