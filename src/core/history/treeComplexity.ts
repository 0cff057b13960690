// Complexity of every file in a tree, for ranking hotspots among all files at the base. Blobs are
// read in one `git cat-file --batch` stream; results are cached by blob id, so a moved base only
// reads the blobs that changed.

import { runGit } from '../git/runGit';
import { readBlobs } from '../git/treeObjects';
import { RepoContext } from '../git/repository';
import { complexityOf } from './complexity';
import { decodeGitPath } from '../git/gitPath';
import { OID_RE } from '../git/refs';

/** [total, max, lines] per blob id. */
export type ComplexityCache = Record<string, [number, number, number]>;

/** Whether a value read back from the cache maps blob ids to three whole numbers. */
export function isComplexityCache(v: unknown): v is ComplexityCache {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  for (const [k, c] of Object.entries(v)) {
    if (!OID_RE.test(k) || !Array.isArray(c) || c.length !== 3 || !c.every((n) => Number.isInteger(n) && n >= 0)) return false;
  }
  return true;
}

/** Files larger than this are not parsed (generated or data files); they rank by churn alone. */
const MAX_BLOB_BYTES = 1024 * 1024;

export interface TreeEntry {
  path: string;
  oid: string;
  size: number;
}

/** Regular files of a tree with their blob ids and sizes (symlinks and submodules left out). */
export async function listTree(commit: string, ctx: RepoContext): Promise<TreeEntry[]> {
  const out = (await runGit(['ls-tree', '-r', '-z', '--long', '--full-tree', commit], { ...ctx, timeoutMs: 0 })).stdout;
  const entries: TreeEntry[] = [];
  // "mode type oid size\tpath\0": the path is read from the bytes, so names that are not UTF-8 keep them.
  for (let pos = 0; pos < out.length; ) {
    let end = out.indexOf(0, pos);
    if (end < 0) end = out.length;
    const tab = out.indexOf(9, pos);
    if (tab > pos && tab < end) {
      const [mode, type, oid, size] = out.toString('latin1', pos, tab).split(/ +/);
      if (type === 'blob' && (mode === '100644' || mode === '100755')) entries.push({ path: decodeGitPath(out, tab + 1, end), oid, size: Number(size) });
    }
    pos = end + 1;
  }
  return entries;
}

/** Fills `cache` with the complexity of every listed blob not yet in it. */
export async function complexityOfBlobs(entries: readonly TreeEntry[], cache: ComplexityCache, ctx: RepoContext): Promise<void> {
  const wanted = [...new Set(entries.filter((e) => !(e.oid in cache) && e.size <= MAX_BLOB_BYTES).map((e) => e.oid))];
  for (const e of entries) if (e.size > MAX_BLOB_BYTES && !(e.oid in cache)) cache[e.oid] = [0, 0, 0];
  await readBlobs(wanted, ctx, (i, blob) => {
    if (!blob) return;
    // A NUL in the first 8 KB marks a binary file, as git decides it.
    const binary = blob.subarray(0, 8000).includes(0);
    const c = binary ? { total: 0, max: 0, lines: 0 } : complexityOf(blob.toString('utf8'));
    cache[wanted[i]] = [c.total, c.max, c.lines];
  });
}
