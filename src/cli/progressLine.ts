// The CLI's progress line on stderr ("history 40/138 files", "impact 12/40 hunks"): redrawn in
// place on a terminal, one line per step when forced with --progress elsewhere, nothing otherwise.

import { AnalysisProgress, progressText } from '../core/analysis/analysisStatus';

const CLEAR = '\r\x1b[2K';
/** Redraws at most this often on a terminal; lines when not a terminal at most once a second per phase. */
const TTY_MS = 100;
const LINE_MS = 1000;

/**
 * Owns stderr while a status line may be shown: other text (warnings) clears the line first and
 * draws it again after, so the two never run into each other.
 */
export class StatusLine {
  private shown = '';

  constructor(private readonly out: (text: string) => void, readonly tty: boolean) {}

  readonly write = (text: string): void => {
    if (!this.shown) return this.out(text);
    this.out(CLEAR + text + this.shown);
  };

  show(text: string): void {
    this.shown = text;
    this.out(CLEAR + text);
  }

  clear(): void {
    if (this.shown) this.out(CLEAR);
    this.shown = '';
  }
}

/** A progress callback for the pipeline, and `end` to take the line away; null when nothing is to be shown. */
export function progressReporter(line: StatusLine | undefined, forced: boolean): { report: (p: AnalysisProgress) => void; end: () => void } | null {
  if (!line || (!line.tty && !forced)) return null;
  let phase = '';
  let last = 0;
  const report = (p: AnalysisProgress): void => {
    const now = Date.now();
    const step = p.phase + (p.detail ?? '');
    const every = line.tty ? TTY_MS : LINE_MS;
    // A new phase and a finished one are always shown; the counts in between at most every `every` ms.
    if (step === phase && p.done < p.total && now - last < every) return;
    phase = step;
    last = now;
    if (line.tty) line.show(progressText(p));
    else line.write(`${progressText(p)}\n`);
  };
  return { report, end: () => line.clear() };
}
