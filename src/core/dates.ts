// Window bounds given on the command line. A bare day ("2023-06-30") as an upper bound means the
// whole of that day: `--until 2023-06-30` that stopped at midnight would drop the window's last day.

const DAY_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** Seconds since the epoch, or NaN when `text` is no date. A bare day is read in UTC; `end` takes its last second. */
export function parseBound(text: string, end: boolean): number {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) return NaN;
  return Math.floor(ms / 1000) + (end && DAY_ONLY.test(text.trim()) ? 86_399 : 0);
}
