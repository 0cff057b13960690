// Paths as git stores them are bytes; this keeps them lossless in JavaScript strings. A valid UTF-8
// name decodes as usual; each byte that is not part of valid UTF-8 becomes the lone surrogate
// U+DC80..U+DCFF (Python's "surrogateescape"), so distinct names stay distinct strings and the
// bytes can be recovered. Node cannot pass such bytes as process arguments, so callers ask
// `isArgumentSafe` and reach the file by object id instead.

import { isUtf8 } from 'node:buffer';

/** Length of the valid UTF-8 sequence at `i` (1..4), or 0 when the byte there starts none. */
function sequenceLength(b: Buffer, i: number, end: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (k: number) => i + k < end && (b[i + k] & 0xc0) === 0x80;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const c1 = b[i + 1];
    // No overlong forms (E0 80..9F) and no UTF-16 surrogates (ED A0..BF).
    if (c === 0xe0 && !(c1 >= 0xa0)) return 0;
    if (c === 0xed && !(c1 < 0xa0)) return 0;
    return cont(1) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const c1 = b[i + 1];
    if (c === 0xf0 && !(c1 >= 0x90)) return 0;
    if (c === 0xf4 && !(c1 < 0x90)) return 0;
    return cont(1) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/** The path in `buf[start, end)` as a lossless string. */
export function decodeGitPath(buf: Buffer, start = 0, end = buf.length): string {
  // The common case costs what a plain decode costs: Node's decoder turns anything invalid into
  // U+FFFD, so text without one was valid (a name may hold a real U+FFFD; isUtf8 tells).
  const text = buf.toString('utf8', start, end);
  if (!text.includes('\ufffd')) return text;
  const slice = buf.subarray(start, end);
  if (isUtf8(slice)) return text;
  let out = '';
  let run = 0;
  let i = 0;
  while (i < slice.length) {
    const n = sequenceLength(slice, i, slice.length);
    if (n > 0) {
      i += n;
      continue;
    }
    out += slice.toString('utf8', run, i) + String.fromCharCode(0xdc00 + slice[i]);
    i += 1;
    run = i;
  }
  return out + slice.toString('utf8', run, slice.length);
}

const ESCAPED_BYTE = /[\udc80-\udcff]/u;

/** The exact bytes of a path decoded by decodeGitPath. */
export function encodeGitPath(path: string): Buffer {
  if (!ESCAPED_BYTE.test(path)) return Buffer.from(path, 'utf8');
  const parts: Buffer[] = [];
  let run = '';
  for (const ch of path) {
    const code = ch.codePointAt(0)!;
    if (code >= 0xdc80 && code <= 0xdcff) {
      if (run) parts.push(Buffer.from(run, 'utf8'));
      run = '';
      parts.push(Buffer.from([code - 0xdc00]));
    } else run += ch;
  }
  if (run) parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

/** Whether the path can be given to git as an argument (it is valid UTF-8). */
export function isArgumentSafe(path: string): boolean {
  return !ESCAPED_BYTE.test(path);
}

/** Base64 of the path's bytes when they are not UTF-8 (the JSON output's lossless field), else undefined. */
export function pathBytesField(path: string): string | undefined {
  return isArgumentSafe(path) ? undefined : encodeGitPath(path).toString('base64');
}
