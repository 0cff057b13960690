// Chunk-safe parser for `git log -z --numstat` or `--raw` with our record format: each commit is
// \x1e fields separated by \x1f, the message, \x1d, then NUL-terminated entries. Numstat:
// "added\tdeleted\tpath", or "added\tdeleted\t" + NUL + old + NUL + new for a rename. Raw:
// ":modes oids STATUS" + NUL + path, or + NUL + old + NUL + new for a rename or copy (no line
// counts: the raw walk is six times faster than numstat, so line churn is counted on demand).

import { decodeGitPath } from '../git/gitPath';

export const LOG_FORMAT = '%x1e%H%x1f%P%x1f%aN%x1f%aE%x1f%at%x1f%ct%x1f%B%x1d';

export interface LogFileChange {
  path: string;
  oldPath: string | null;
  /** null for binary files (git prints "-") and for raw entries (not counted). */
  added: number | null;
  deleted: number | null;
  /** False for raw entries: the line counts were not computed. */
  counted: boolean;
}

export interface LogCommit {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authorTime: number;
  commitTime: number;
  message: string;
  files: LogFileChange[];
}

const RS = 0x1e;
const GS = 0x1d;
const COLON = 0x3a;

export class LogStreamParser {
  private pending: Buffer = Buffer.alloc(0);
  private current: LogCommit | null = null;

  constructor(private readonly onCommit: (c: LogCommit) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const consumed = this.parse(false);
    this.pending = this.pending.subarray(consumed);
  }

  end(): void {
    this.parse(true);
    this.pending = Buffer.alloc(0);
    if (this.current) this.onCommit(this.current);
    this.current = null;
  }

  /** Parses as far as complete units go; returns the offset of the first unconsumed byte. */
  private parse(final: boolean): number {
    const buf = this.pending;
    let pos = 0;
    for (;;) {
      while (pos < buf.length && (buf[pos] === 0x0a || (buf[pos] === 0 && this.current !== null))) pos++;
      if (pos >= buf.length) return pos;
      if (buf[pos] === RS) {
        const headerEnd = buf.indexOf(GS, pos + 1);
        if (headerEnd < 0) return final ? buf.length : pos;
        if (this.current) this.onCommit(this.current);
        this.current = this.parseHeader(buf.toString('utf8', pos + 1, headerEnd));
        pos = headerEnd + 1;
        continue;
      }
      if (buf[pos] === COLON) {
        // A raw entry: ":old-mode new-mode old-oid new-oid STATUS" NUL path NUL [new-path NUL]
        const e0 = buf.indexOf(0, pos);
        if (e0 < 0) return final ? buf.length : pos;
        const status = buf[buf.lastIndexOf(0x20, e0) + 1];
        const e1 = buf.indexOf(0, e0 + 1);
        if (e1 < 0) return final ? buf.length : pos;
        const first = decodeGitPath(buf, e0 + 1, e1);
        if (status === 0x52 || status === 0x43) {
          const e2 = buf.indexOf(0, e1 + 1);
          if (e2 < 0) return final ? buf.length : pos;
          this.current?.files.push({ path: decodeGitPath(buf, e1 + 1, e2), oldPath: first, added: null, deleted: null, counted: false });
          pos = e2 + 1;
        } else {
          this.current?.files.push({ path: first, oldPath: null, added: null, deleted: null, counted: false });
          pos = e1 + 1;
        }
        continue;
      }
      // A numstat entry: added \t deleted \t (path NUL | NUL old NUL new NUL)
      const tab1 = buf.indexOf(0x09, pos);
      if (tab1 < 0) return final ? buf.length : pos;
      const tab2 = buf.indexOf(0x09, tab1 + 1);
      if (tab2 < 0) return final ? buf.length : pos;
      let end: number;
      let path: string;
      let oldPath: string | null = null;
      if (buf[tab2 + 1] === 0) {
        const e1 = buf.indexOf(0, tab2 + 2);
        if (e1 < 0) return final ? buf.length : pos;
        const e2 = buf.indexOf(0, e1 + 1);
        if (e2 < 0) return final ? buf.length : pos;
        oldPath = decodeGitPath(buf, tab2 + 2, e1);
        path = decodeGitPath(buf, e1 + 1, e2);
        end = e2;
      } else {
        const e = buf.indexOf(0, tab2 + 1);
        if (e < 0) return final ? buf.length : pos;
        path = decodeGitPath(buf, tab2 + 1, e);
        end = e;
      }
      const a = buf.toString('latin1', pos, tab1);
      const d = buf.toString('latin1', tab1 + 1, tab2);
      this.current?.files.push({ path, oldPath, added: a === '-' ? null : Number(a), deleted: d === '-' ? null : Number(d), counted: true });
      pos = end + 1;
    }
  }

  private parseHeader(text: string): LogCommit {
    const [sha, parents, authorName, authorEmail, at, ct, ...rest] = text.split('\x1f');
    return {
      sha,
      parents: parents ? parents.split(' ') : [],
      authorName,
      authorEmail,
      authorTime: Number(at),
      commitTime: Number(ct),
      message: rest.join('\x1f'),
      files: [],
    };
  }
}
