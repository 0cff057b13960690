// Which files get line-level history, and the one line that says which do not and why. Knowledge
// loss (blame at the merge base, the costly walk) is computed for program source only: it weighs
// nothing for tests, documentation or configuration (risk/riskWeights.ts, per-line rows). AI-
// assisted lines are attributed in every text file, as the checklist's AI item reads them, and
// their blame stops at the merge base.

import { isArgumentSafe } from '../git/gitPath';
import { ChangedFile } from '../review/changeSetTypes';
import { addedLines } from '../review/lineMap';
import { isSourcePath } from '../risk/riskInputs';
import { touchedBaseLines } from './hunkSignals';

export interface FileScope {
  /** Path at the merge base (null when added) and at head (null when deleted). */
  basePath: string | null;
  headPath: string | null;
  /** Text the change set read (not binary, not over its size limit). */
  text: boolean;
  /** Touched base lines to attribute for knowledge loss (empty: not computed). */
  baseLines: number[];
  /** Added lines to attribute for AI assistance (empty: none, or not computed). */
  headLines: number[];
}

type Skip = 'notSource' | 'notText' | 'unsafeName';

export interface LineSignalScope {
  files: FileScope[];
  /** One line for `changeSet.history.notes` when some files' line signals are not computed; null when all are. */
  note: (aiInRange: boolean) => string | null;
}

const union = (lists: number[][]): number[] => [...new Set(lists.flat())].sort((a, b) => a - b);

export function lineSignalScope(files: readonly ChangedFile[]): LineSignalScope {
  const skipped: Record<Skip, number> = { notSource: 0, notText: 0, unsafeName: 0 };
  let computed = 0;
  let aiUnsafe = 0;
  const scopes = files.map((f): FileScope => {
    const basePath = f.status === 'added' ? null : (f.oldPath ?? f.path);
    const headPath = f.status === 'deleted' ? null : f.path;
    const text = f.kind === 'text' && !f.tooLarge;
    const touched = basePath ? union(f.hunks.map(touchedBaseLines)) : [];
    const added = headPath ? union(f.hunks.map(addedLines)) : [];
    // git blame takes the path as an argument, and an argument cannot carry bytes that are not UTF-8.
    let baseLines: number[] = [];
    if (touched.length) {
      const why: Skip | null = !text ? 'notText' : !isSourcePath(f.path) ? 'notSource' : !isArgumentSafe(basePath!) ? 'unsafeName' : null;
      if (why) skipped[why]++;
      else {
        baseLines = touched;
        computed++;
      }
    }
    const headSafe = headPath !== null && isArgumentSafe(headPath);
    if (text && added.length && !headSafe) aiUnsafe++;
    return { basePath, headPath, text, baseLines, headLines: text && headSafe && f.newOid ? added : [] };
  });
  const note = (aiInRange: boolean): string | null => {
    const parts = [
      skipped.notSource ? `${skipped.notSource} not program source (tests, documentation, configuration: it counts only for source)` : '',
      skipped.notText ? `${skipped.notText} binary or too large` : '',
      skipped.unsafeName ? `${skipped.unsafeName} whose name is not UTF-8 (git blame takes names as arguments)` : '',
    ].filter(Boolean);
    const ai = aiInRange && aiUnsafe ? `; AI-assisted lines not computed for ${aiUnsafe} whose name is not UTF-8` : '';
    if (parts.length === 0 && !ai) return null;
    const skippedCount = skipped.notSource + skipped.notText + skipped.unsafeName;
    return `line signals: knowledge loss (git blame at the merge base) computed for ${computed} file${computed === 1 ? '' : 's'}${skippedCount ? `, not for ${skippedCount}: ${parts.join(', ')}` : ''}${ai}`;
  };
  return { files: scopes, note };
}
