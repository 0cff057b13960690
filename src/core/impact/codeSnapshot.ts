// One id for everything a hunk's impact can depend on at a commit: the entries (mode, object id,
// path) of the files a private analysis tree holds and of the files whose text hits count as
// callers. Two commits with the same id give every hunk the same answer, so the answers cached for
// one review are reused by the next whose pushes changed no such file (documentation, data,
// styles): a warm re-open of the new head then starts no server. A code change of any kind gives a
// new id: a symbol's callers depend on every file of the head (a changed return type moves a call
// `make().m()` in a file that is not changed), which no narrower key could follow.

import { createHash } from 'node:crypto';
import { RepoContext, commitsOnly } from '../git/repository';
import { listTreeRaw } from '../git/treeObjects';
import { extensionOf } from './privateTree';

/**
 * `treeTypes`: the file types the private tree is written with (null: every file); `countsAsCaller`:
 * whether a text hit in that file is a caller.
 */
export async function codeSnapshot(commit: string, ctx: RepoContext, gitDir: string, treeTypes: readonly string[] | null, countsAsCaller: (path: string) => boolean): Promise<string> {
  const hash = createHash('sha256');
  for (const e of await listTreeRaw(commit, commitsOnly(ctx, gitDir))) {
    if (treeTypes && !treeTypes.includes(extensionOf(e.path)) && !countsAsCaller(e.path.toString('utf8'))) continue;
    hash.update(`${e.mode} ${e.oid} `).update(e.path).update('\0');
  }
  return hash.digest('hex').slice(0, 40);
}
