// Incremental parser for `git diff --raw -z -p` output: raw records first, then one patch section
// per file pair, each parsed as soon as it is complete, so parsing overlaps with git's own work.

import { ChangeSetLimits, ChangedFile, DEFAULT_LIMITS, FileKind } from './changeSetTypes';
import { RawEntry, parseRawZ } from './rawDiff';
import { parseSection } from './patchSections';
import { pathBytesField } from '../git/gitPath';

const SECTION_START = Buffer.from('\ndiff --git ');
const FIRST_SECTION = Buffer.from('diff --git ');

function kindOf(oldMode: string, newMode: string, binary: boolean): FileKind {
  if (oldMode === '160000' || newMode === '160000') return 'submodule';
  if (oldMode === '120000' || newMode === '120000') return 'symlink';
  return binary ? 'binary' : 'text';
}

export class DiffStreamParser {
  readonly files: ChangedFile[] = [];
  private entries: RawEntry[] | null = null;
  /** Bytes not yet consumed; only the current, incomplete section (or raw block) is kept. */
  private chunks: Buffer[] = [];
  private size = 0;
  /** Where to resume looking for the next section start inside the pending bytes. */
  private scanFrom = 1;

  constructor(private readonly limits: ChangeSetLimits = DEFAULT_LIMITS) {}

  push(chunk: Buffer): void {
    const prev = this.chunks[this.chunks.length - 1];
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.entries === null) {
      this.tryRaw(false);
      if (this.entries !== null) this.drainSections(false);
      return;
    }
    // Only join the pending chunks when a section boundary arrived: a huge file's section then
    // costs one concatenation, not one per chunk.
    const straddle = prev ? Buffer.concat([prev.subarray(Math.max(0, prev.length - SECTION_START.length)), chunk.subarray(0, SECTION_START.length)]) : null;
    if (chunk.indexOf(SECTION_START) >= 0 || (straddle && straddle.indexOf(SECTION_START) >= 0)) this.drainSections(false);
  }

  end(): ChangedFile[] {
    if (this.entries === null) this.tryRaw(true);
    this.drainSections(true);
    if (this.entries && this.files.length !== this.entries.length) {
      throw new Error(`git printed ${this.entries.length} file records but ${this.files.length} patch sections`);
    }
    return this.files;
  }

  private pending(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private take(from: number): void {
    const buf = this.pending();
    const rest = buf.subarray(from);
    this.chunks = rest.length ? [rest] : [];
    this.size = rest.length;
  }

  /** The raw block is complete once the patch has started (or the stream ended). */
  private tryRaw(final: boolean): void {
    const buf = this.pending();
    const patchStart = this.findPatchStart(buf);
    if (patchStart < 0 && !final) return;
    const { entries, patchOffset } = parseRawZ(patchStart < 0 ? buf : buf.subarray(0, patchStart));
    this.entries = entries;
    this.take(patchStart < 0 ? patchOffset : patchStart);
    this.scanFrom = 1;
  }

  /** Walks the raw records (so a path containing "diff --git" cannot fool us) to where they end. */
  private findPatchStart(buf: Buffer): number {
    let pos = 0;
    while (pos < buf.length && buf[pos] === 0x3a) {
      const metaEnd = buf.indexOf(0, pos);
      if (metaEnd < 0) return -1;
      const meta = buf.toString('latin1', pos, metaEnd);
      const status = meta.charCodeAt(meta.lastIndexOf(' ') + 1);
      let end = buf.indexOf(0, metaEnd + 1);
      if (end < 0) return -1;
      if (status === 0x52 || status === 0x43) {
        end = buf.indexOf(0, end + 1);
        if (end < 0) return -1;
      }
      pos = end + 1;
    }
    if (pos >= buf.length) return -1;
    if (buf[pos] === 0) pos += 1;
    if (buf.length - pos < FIRST_SECTION.length) return -1;
    return pos;
  }

  private drainSections(final: boolean): void {
    const entries = this.entries;
    if (!entries) return;
    for (;;) {
      if (this.size === 0) return;
      const buf = this.pending();
      const next = buf.indexOf(SECTION_START, Math.max(1, this.scanFrom));
      if (next < 0 && !final) {
        this.scanFrom = Math.max(1, buf.length - SECTION_START.length);
        return;
      }
      const end = next < 0 ? buf.length : next + 1;
      this.emit(entries, buf, 0, end);
      this.take(end);
      this.scanFrom = 1;
      if (next < 0) return;
    }
  }

  private emit(entries: RawEntry[], buf: Buffer, start: number, end: number): void {
    const e = entries[this.files.length];
    if (!e) throw new Error('git printed more patch sections than file records');
    const p = parseSection(buf, start, end, e.path, this.limits);
    const pathBytes = pathBytesField(e.path);
    const oldPathBytes = e.oldPath === null ? undefined : pathBytesField(e.oldPath);
    this.files.push({
      path: e.path,
      oldPath: e.oldPath,
      ...(pathBytes === undefined ? {} : { pathBytes }),
      ...(oldPathBytes === undefined ? {} : { oldPathBytes }),
      status: e.status,
      similarity: e.similarity,
      kind: kindOf(e.oldMode, e.newMode, p.binary),
      binary: p.binary,
      oldMode: e.oldMode === '000000' ? null : e.oldMode,
      newMode: e.newMode === '000000' ? null : e.newMode,
      oldOid: e.oldOid || null,
      newOid: e.newOid || null,
      additions: p.additions,
      deletions: p.deletions,
      tooLarge: p.tooLarge,
      encoding: p.encoding,
      hunks: p.hunks,
    });
  }
}
