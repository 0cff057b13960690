// The sign-off trailers: their keys, how values are made safe (a value can never break a line or
// forge another trailer), and how a message's trailer block is read back.

export const TRAILER = {
  reviewedBy: 'Reviewed-by',
  outcome: 'Senior-Review-Outcome',
  checks: 'Senior-Review-Checks',
  risk: 'Senior-Review-Risk',
  patchId: 'Senior-Review-Patch-Id',
  files: 'Senior-Review-Files',
  override: 'Senior-Review-Override',
  note: 'Senior-Review-Note',
} as const;

export type Trailer = [key: string, value: string];

const MAX_VALUE = 400;

/**
 * One line of printable text: control characters (newlines, CR, tabs, escapes) become spaces,
 * runs of spaces collapse, and the length is capped. A value that then *starts* like a trailer
 * key is harmless because it sits after "Key: " on the same line.
 */
export function safeValue(v: string): string {
  const flat = v.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > MAX_VALUE ? `${flat.slice(0, MAX_VALUE - 1)}…` : flat;
}

/** "Name <email>" with the name stripped of angle brackets and the email checked. */
export function formatIdentity(name: string, email: string): string {
  const n = safeValue(name).replace(/[<>]/g, '').trim();
  const e = safeValue(email).trim();
  if (!n) throw new Error('the reviewer has no name (set git user.name or pass --reviewer "Name <email>")');
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(e)) throw new Error(`the reviewer email '${e}' is not a valid address`);
  return `${n} <${e}>`;
}

export function parseIdentity(s: string): { name: string; email: string } | null {
  const m = /^\s*([^<>]*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(s);
  return m && m[1] ? { name: m[1], email: m[2] } : null;
}

export function formatTrailers(trailers: readonly Trailer[]): string {
  return trailers.map(([k, v]) => `${k}: ${safeValue(v)}`).join('\n') + '\n';
}

/** Appends a trailer block to a message, separated by a blank line unless one ends it already. */
export function appendTrailers(message: string, trailers: readonly Trailer[]): string {
  const body = message.replace(/\s+$/, '');
  return `${body}\n\n${formatTrailers(trailers)}`;
}

/** Reads `Key: value` lines (as printed by `%(trailers:only,unfold)`) into pairs. */
export function parseTrailerLines(text: string): Trailer[] {
  const out: Trailer[] = [];
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9][A-Za-z0-9-]*):\s?(.*)$/.exec(line);
    if (m) out.push([m[1], m[2]]);
  }
  return out;
}
