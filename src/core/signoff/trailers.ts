// The sign-off trailers: their keys, how values are made safe (a value can never break a line or
// forge another trailer), the versioned patch identity values, and how trailer lines are read back.

import { IDENTITY_VERSION, PatchIdentity } from './patchIdentity';

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

/** Cap of a value a person wrote (a note, a reason, a name); machine values (ids) are not cut. */
export const MAX_VALUE = 400;
const MAX_EMAIL = 254;

/**
 * One line of printable text: control characters (newlines, CR, tabs, escapes) become spaces,
 * runs of spaces collapse, and the length is capped. A value that then *starts* like a trailer
 * key is harmless because it sits after "Key: " on the same line.
 */
export function safeValue(v: string, max = MAX_VALUE): string {
  const flat = v.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  return cut(flat, max);
}

/** At most `max` characters (code points, so a surrogate pair is never split), "…" marking a cut. */
function cut(s: string, max: number): string {
  const chars = [...s];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : s;
}

/**
 * git's own "crud" (ident.c): characters git strips from both ends of a name or email when it
 * records a committer. We strip them first, so the Reviewed-by trailer and the committer agree.
 */
const CRUD = /^[\u0000-\u0020.,:;<>"\\']+|[\u0000-\u0020.,:;<>"\\']+$/g;

/** "Name <email>": the name cut (never the email) so the whole value stays within MAX_VALUE. */
export function formatIdentity(name: string, email: string): string {
  const e = safeValue(email, Infinity);
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(e) || e.replace(CRUD, '') !== e) throw new Error(`the reviewer email '${safeValue(e, 80)}' is not a valid address`);
  if (e.length > MAX_EMAIL) throw new Error(`the reviewer email is longer than ${MAX_EMAIL} characters`);
  const clean = safeValue(name, Infinity).replace(/[<>]/g, '').replace(CRUD, '');
  const n = cut(clean, MAX_VALUE - [...e].length - 3);
  if (!n || n === '…') throw new Error('the reviewer has no name (set git user.name or pass --reviewer "Name <email>")');
  return `${n} <${e}>`;
}

export function parseIdentity(s: string): { name: string; email: string } | null {
  const m = /^\s*([^<>]*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(s);
  return m && m[1] ? { name: m[1], email: m[2] } : null;
}

export function formatTrailers(trailers: readonly Trailer[]): string {
  return trailers.map(([k, v]) => `${k}: ${safeValue(v, Infinity)}`).join('\n') + '\n';
}

/** The trailers as a person reads them before writing: the per-file ids collapse to a count. */
export function displayTrailers(trailers: readonly Trailer[]): string {
  return formatTrailers(trailers.map(([k, v]): Trailer => {
    if (k !== TRAILER.files) return [k, v];
    const n = parseFilesValue(v).size;
    return [k, `${n} file${n === 1 ? '' : 's'}`];
  }));
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

export function lastTrailer(trailers: readonly Trailer[], key: string): string | null {
  const found = trailers.filter(([k]) => k.toLowerCase() === key.toLowerCase());
  return found.length ? found[found.length - 1][1] : null;
}

export function formatPatchId(identity: PatchIdentity): string {
  return `${IDENTITY_VERSION} ${identity.patchId}`;
}

export type PatchIdValue = { version: typeof IDENTITY_VERSION; hex: string } | { version: 'v1' } | null;

/** "v2 <64 hex>"; a bare 40-hex id is what versions before v2 wrote (git patch-id --stable). */
export function parsePatchIdValue(value: string): PatchIdValue {
  const v2 = new RegExp(`^${IDENTITY_VERSION} ([0-9a-f]{64})$`).exec(value);
  if (v2) return { version: IDENTITY_VERSION, hex: v2[1] };
  return /^[0-9a-f]{40}$/.test(value) ? { version: 'v1' } : null;
}

/** "v2 key:id,key:id,…" sorted by key. */
export function formatFilesValue(identity: PatchIdentity): string {
  return `${IDENTITY_VERSION} ${[...identity.files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, f]) => `${k}:${f.id}`).join(',')}`;
}

export function parseFilesValue(value: string): Map<string, string> {
  const body = value.startsWith(`${IDENTITY_VERSION} `) ? value.slice(IDENTITY_VERSION.length + 1) : value;
  return new Map(body.split(',').map((kv) => kv.split(':')).filter((p): p is [string, string] => p.length === 2 && /^[0-9a-f]{8}$/.test(p[0])));
}
