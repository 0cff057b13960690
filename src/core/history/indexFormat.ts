// The history index as stored in its cache file: a small JSON header (names, settings, paths)
// followed by the bulk as binary numbers and raw commit ids, so a warm load or a +10-commit
// update reads, checks and writes a long history in milliseconds instead of parsing JSON numbers.

import { endianness } from 'node:os';
import { newDict, toDict } from '../dict';
import { arrayOf, isBoolean, isInteger, isOid, isString, recordOf, shape } from '../jsonShape';
import { FileRecords, INDEX_VERSION, IndexData } from './historyIndex';

/**
 * Layout (little-endian): MAGIC, u32 header length, u32 zero, the header's JSON padded with
 * spaces to a multiple of 8, then Float64 commit triples (time, author index, flags: a date may be
 * past 2038 or before 1970), Int32 record counts per path, Int32 records (commit index, added,
 * deleted) one path after another, and 20 bytes per commit id.
 */
const MAGIC = Buffer.from(`SRHIDX${INDEX_VERSION}\n`);
const PREFIX = MAGIC.length + 8;

/** The index's small fields as they are, its bulk by count (the numbers follow the header). */
export type IndexHeader = Pick<IndexData, 'version' | 'tip' | 'optionsKey' | 'shallow' | 'authors' | 'authorLast' | 'aliases' | 'excluded'> & {
  commits: number;
  records: number;
  /** The paths at tip that have records, in the order of the counts. */
  paths: string[];
};

// Typed arrays take the machine's byte order; the file is little-endian everywhere.
const BIG_ENDIAN = endianness() === 'BE';

/** The array's bytes, little-endian; a view of the array itself where no swap is needed. */
const bytesOf = (a: Float64Array | Int32Array): Buffer => {
  if (!BIG_ENDIAN) return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const b = Buffer.from(a.slice().buffer);
  return a instanceof Float64Array ? b.swap64() : b.swap32();
};

export function encodeIndex(index: IndexData): Buffer {
  const paths = Object.keys(index.files);
  let total = 0;
  for (const p of paths) total += index.files[p].length;
  const records = new Int32Array(total);
  const counts = new Int32Array(paths.length);
  let at = 0;
  paths.forEach((p, i) => {
    const recs = index.files[p];
    records.set(recs, at);
    at += recs.length;
    counts[i] = recs.length;
  });
  const header: IndexHeader = {
    version: INDEX_VERSION, tip: index.tip, optionsKey: index.optionsKey, shallow: index.shallow, authors: index.authors, authorLast: index.authorLast,
    commits: index.commits.length / 3, records: total, paths, aliases: index.aliases, excluded: index.excluded,
  };
  const json = Buffer.from(JSON.stringify(header));
  const padded = Buffer.alloc(Math.ceil(json.length / 8) * 8, 0x20);
  json.copy(padded);
  const lengths = Buffer.alloc(8);
  lengths.writeUInt32LE(padded.length, 0);
  return Buffer.concat([MAGIC, lengths, padded, bytesOf(index.commits), bytesOf(counts), bytesOf(records), index.shas]);
}

const isHeader = shape({
  version: isInteger, tip: isOid, optionsKey: isString, shallow: isBoolean, authors: arrayOf(isString), authorLast: arrayOf(isInteger),
  commits: isInteger, records: isInteger, paths: arrayOf(isString), aliases: recordOf(arrayOf(isString)), excluded: recordOf(isInteger),
});

/**
 * A cache file's header (its tip and settings), or why the file cannot be used: read on its own so
 * an update can ask git about the tip before the bulk is decoded.
 */
export function decodeIndexHeader(file: Buffer): IndexHeader | string {
  if (file.length < PREFIX || !file.subarray(0, MAGIC.length).equals(MAGIC)) return 'not a history index of this version';
  const headerLength = file.readUInt32LE(MAGIC.length);
  if (headerLength % 8 !== 0 || PREFIX + headerLength > file.length) return 'truncated';
  let h: unknown;
  try {
    h = JSON.parse(file.toString('utf8', PREFIX, PREFIX + headerLength));
  } catch {
    return 'a header that is not valid JSON';
  }
  return isHeader(h) ? (h as IndexHeader) : 'a header not of the expected shape';
}

/**
 * The index a cache file holds, or why it cannot be used: every field of the right type and every
 * cross-reference in range, so a damaged file cannot fail the analysis later.
 */
export function decodeIndex(file: Buffer, header: IndexHeader | string = decodeIndexHeader(file)): IndexData | string {
  if (typeof header === 'string') return header;
  const x = header;
  const n = x.commits;
  const start = PREFIX + file.readUInt32LE(MAGIC.length);
  const sizes = [n * 3 * 8, x.paths.length * 4, x.records * 4, n * 20];
  if (n < 0 || x.records < 0 || start + sizes.reduce((a, b) => a + b) !== file.length) return 'truncated';
  if (x.version !== INDEX_VERSION || x.authorLast.length !== x.authors.length) return 'a header not of the expected shape';
  // Typed arrays need aligned offsets: one copy of the body when the file's buffer is not aligned.
  let body = file.subarray(start);
  if (file.byteOffset % 8 !== 0) {
    body = Buffer.alloc(file.length - start);
    file.copy(body, 0, start);
  }
  const view = <A extends Float64Array | Int32Array>(make: (b: ArrayBufferLike, offset: number, length: number) => A, from: number, bytes: number, width: number): A => {
    const a = make(body.buffer, body.byteOffset + from, bytes / width);
    if (BIG_ENDIAN) width === 8 ? Buffer.from(a.buffer, a.byteOffset, bytes).swap64() : Buffer.from(a.buffer, a.byteOffset, bytes).swap32();
    return a;
  };
  const commits = view((b, o, l) => new Float64Array(b, o, l), 0, sizes[0], 8);
  const counts = view((b, o, l) => new Int32Array(b, o, l), sizes[0], sizes[1], 4);
  const records = view((b, o, l) => new Int32Array(b, o, l), sizes[0] + sizes[1], sizes[2], 4);
  for (let i = 0; i < commits.length; i += 3) {
    const author = commits[i + 1];
    if (!Number.isInteger(commits[i]) || !Number.isInteger(author) || author < 0 || author >= x.authors.length || !Number.isInteger(commits[i + 2])) return 'a commit of an unknown author';
  }
  const files = newDict<FileRecords>();
  let at = 0;
  for (let p = 0; p < x.paths.length; p++) {
    const len = counts[p];
    const path = x.paths[p];
    if (len <= 0 || len % 3 !== 0 || at + len > records.length || files[path]) return 'records out of place';
    for (let i = at; i < at + len; i += 3) if (records[i] < 0 || records[i] >= n) return 'a record past the commits';
    files[path] = records.subarray(at, at + len);
    at += len;
  }
  if (at !== records.length) return 'records out of place';
  return {
    version: INDEX_VERSION, tip: x.tip, optionsKey: x.optionsKey, shallow: x.shallow, authors: x.authors, authorLast: x.authorLast,
    commits, shas: body.subarray(sizes[0] + sizes[1] + sizes[2]), files, aliases: toDict(x.aliases), excluded: toDict(x.excluded),
  };
}
