// Complexity of every file in a tree, for ranking hotspots among all files at the base. Blobs are
// read in one `git cat-file --batch` stream; results are cached by blob id, so a moved base only
// reads the blobs that changed.

import { runGit } from '../git/runGit';
import { readBlobs } from '../git/treeObjects';
import { RepoContext } from '../git/repository';
import { complexityOf } from './complexity';

/** [total, max, lines] per blob id. */
export type ComplexityCache = Record<string, [number, number, number]>;

/** Files larger than this are not parsed (generated or data files); they rank by churn alone. */
const MAX_BLOB_BYTES = 1024 * 1024;

export interface TreeEntry {
  path: string;
  oid: string;
  size: number;
}

/** Regular files of a tree with their blob ids and sizes (symlinks and submodules left out). */
export async function listTree(commit: string, ctx: RepoContext): Promise<TreeEntry[]> {
  const out = (await runGit(['ls-tree', '-r', '-z', '--long', '--full-tree', commit], { ...ctx, timeoutMs: 0 })).stdout.toString('utf8');
  const entries: TreeEntry[] = [];
  for (const rec of out.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, oid, size] = rec.slice(0, tab).split(/ +/);
    if (type !== 'blob' || (mode !== '100644' && mode !== '100755')) continue;
    entries.push({ path: rec.slice(tab + 1), oid, size: Number(size) });
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
