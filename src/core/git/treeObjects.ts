// A commit's tree read straight from git objects, with nothing checked out: the entries of
// `ls-tree -r -z` with paths kept as raw bytes, and blob contents from one `cat-file --batch` stream.

import { runGit, streamGit } from './runGit';
import { RepoContext } from './repository';

export interface RawTreeEntry {
  mode: string;
  type: string;
  oid: string;
  /** The path exactly as git stores it (file names need not be UTF-8). */
  path: Buffer;
}

/** Every entry of the commit's tree, recursively (blobs, symlinks as blobs of mode 120000, submodules as commits). */
export async function listTreeRaw(commit: string, ctx: RepoContext): Promise<RawTreeEntry[]> {
  const out = (await runGit(['ls-tree', '-r', '-z', '--full-tree', commit], { ...ctx, timeoutMs: 0 })).stdout;
  const entries: RawTreeEntry[] = [];
  let pos = 0;
  while (pos < out.length) {
    const nul = out.indexOf(0, pos);
    const end = nul < 0 ? out.length : nul;
    const tab = out.indexOf(9, pos);
    if (tab > pos && tab < end) {
      const [mode, type, oid] = out.toString('latin1', pos, tab).split(' ');
      entries.push({ mode, type, oid, path: Buffer.from(out.subarray(tab + 1, end)) });
    }
    pos = end + 1;
  }
  return entries;
}

/**
 * Streams the contents of the given blobs, in order, to `onBlob` (a missing object gets null).
 * Chunks are collected per blob rather than re-concatenated, so large files cost linear time.
 */
export async function readBlobs(oids: readonly string[], ctx: RepoContext, onBlob: (index: number, data: Buffer | null) => void): Promise<void> {
  await readObjects(oids, ctx, (i, _type, data) => onBlob(i, data));
}

/**
 * One `git cat-file --batch` for objects named by id or by `commit:path` (a path that is safe as
 * an argument: names reach git as text on stdin), streamed in order to `onObject` with their type
 * and id; a missing one gets nulls.
 */
export async function readObjects(names: readonly string[], ctx: RepoContext, onObject: (index: number, type: string | null, data: Buffer | null, oid: string | null) => void): Promise<void> {
  if (names.length === 0) return;
  let index = 0;
  let header: Buffer[] = [];
  let body: Buffer[] = [];
  let need = -1;
  let type = '';
  let oid = '';
  const onChunk = (chunk: Buffer) => {
    let pos = 0;
    while (pos < chunk.length) {
      if (need < 0) {
        const nl = chunk.indexOf(10, pos);
        if (nl < 0) {
          header.push(chunk.subarray(pos));
          return;
        }
        header.push(chunk.subarray(pos, nl));
        pos = nl + 1;
        const fields = Buffer.concat(header).toString('latin1').split(' ');
        header = [];
        if (fields[fields.length - 1] === 'missing' || fields.length < 3) {
          onObject(index++, null, null, null);
          continue;
        }
        [oid, type] = fields;
        // The body and git's newline after it.
        need = Number(fields[2]) + 1;
      }
      const take = Math.min(need, chunk.length - pos);
      body.push(chunk.subarray(pos, pos + take));
      pos += take;
      need -= take;
      if (need === 0) {
        const all = Buffer.concat(body);
        body = [];
        need = -1;
        onObject(index++, type, all.subarray(0, all.length - 1), oid);
      }
    }
  };
  await streamGit(['cat-file', '--batch'], { ...ctx, input: names.join('\n') + '\n', timeoutMs: 0 }, onChunk);
}
