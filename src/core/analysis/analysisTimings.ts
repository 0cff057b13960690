// The one place of an analysis that differs from run to run: how long each pass took and how warm
// each cache was (`cs.timings`). Everything else in the change set depends only on the commits and
// the options, so two runs' JSON without this field are identical.

export interface AnalysisTimings {
  /** cold: computed; warm: read whole from the analysis cache; resumed: history read from it, impact computed. */
  analysis: 'cold' | 'warm' | 'resumed';
  /** Milliseconds of each pass that ran (changes, history, levels, impact) and of the whole run. */
  ms: Record<string, number>;
  /** What the passes' own caches said: how warm each was, what it walked, what it took. */
  passes: Record<string, Record<string, unknown>>;
}

export class TimingClock {
  private readonly t0 = performance.now();
  private last = this.t0;
  private end: number | null = null;
  private readonly ms: Record<string, number> = {};
  private readonly passes: Record<string, Record<string, unknown>> = {};

  /** Closes the pass `name`: the time since the previous lap is its own. */
  lap(name: string): void {
    const now = performance.now();
    this.ms[name] = Math.round(now - this.last);
    this.last = now;
  }

  /** Keeps a pass's run-dependent fields (moved out of its part of the change set). */
  moved(pass: string, fields: Record<string, unknown>): void {
    this.passes[pass] = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  }

  stop(): void {
    this.end = performance.now();
  }

  timings(analysis: AnalysisTimings['analysis']): AnalysisTimings {
    return { analysis, ms: { ...this.ms, total: Math.round((this.end ?? performance.now()) - this.t0) }, passes: { ...this.passes } };
  }
}
