// Makes text from repositories, remotes and users inert before it reaches a terminal or a log:
// every control or direction-changing character is shown as an escape, nothing is dropped.

/**
 * C0 and C1 controls, DEL, line/paragraph separators, bidirectional overrides and isolates
 * (which reorder what a reader sees), and lone surrogates: the bytes of file names that are not
 * UTF-8 (see git/gitPath.ts) and anything else that is not a character.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]/gu;

function escape(c: string): string {
  const code = c.codePointAt(0)!;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  // A byte of a name that is not UTF-8 is shown as the byte it stands for.
  if (code >= 0xdc80 && code <= 0xdcff) return `\\x${(code - 0xdc00).toString(16)}`;
  return `\\u{${code.toString(16)}}`;
}

/**
 * One line of text safe to print: control characters become `\xNN` (a newline too), direction
 * overrides `\u{NNNN}`; longer than `max` characters is cut with an ellipsis.
 */
export function printable(text: string, max = Infinity): string {
  const t = text.replace(UNPRINTABLE, escape);
  return t.length > max ? `${t.slice(0, Math.max(0, max - 1))}…` : t;
}

/**
 * JSON for a terminal: JSON.stringify already escapes C0 controls and lone surrogates; this also
 * escapes DEL, C1 controls and direction overrides, as `\uNNNN` so the data stays the same.
 */
export function printableJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
