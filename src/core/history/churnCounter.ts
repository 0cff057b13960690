// Line churn on demand: the cold index is built from `git log --raw` (no line counts), and the
// lines added and deleted are counted here only for the files a review or report shows, by one
// `git diff-tree --stdin --numstat` over exactly the commits that touched them (split across
// cores), limited to their paths at the time. Counted records stay in the cached index.

import { availableParallelism } from 'node:os';
import { streamGit } from '../git/runGit';
import { RepoContext } from '../git/repository';
import { IndexData, NOT_COUNTED, NO_LINES, shaAt } from './historyIndex';
import { LogCommit, LogStreamParser } from './logStreamParser';
import { isArgumentSafe } from '../git/gitPath';
import { maybeMarkedByUs } from './excludedAttributes';

/** More paths than this and the diff is not limited by path (a long pathspec costs more than it saves). */
const MAX_PATHSPEC = 400;

/** Paths of `paths` (keys of the index) with records still NOT_COUNTED. */
function uncounted(index: IndexData, paths: Iterable<string>): string[] {
  const out: string[] = [];
  for (const p of new Set(paths)) {
    const recs = index.files[p];
    if (!recs) continue;
    for (let i = 1; i < recs.length; i += 3) {
      if (recs[i] === NOT_COUNTED) {
        out.push(p);
        break;
      }
    }
  }
  return out;
}

/**
 * Fills the line counts of every NOT_COUNTED record of `paths`. Returns how many records it
 * filled (0: nothing to do, the index is unchanged). Records git does not report (a rename
 * paired differently once the diff is limited to these paths) become NO_LINES, never a guess.
 * `globalArgs` may mark excluded files binary (excludedAttributes.ts): they are never counted.
 */
export async function countChurn(index: IndexData, paths: Iterable<string>, ctx: RepoContext, globalArgs: string[] = [], excluded: (path: string) => boolean = () => false): Promise<number> {
  const keys = uncounted(index, paths);
  if (keys.length === 0) return 0;
  // Where each (commit, key) record sits, and which keys a path at some commit may belong to.
  const slot = new Map<number, Map<string, number>>();
  const keysOfName = new Map<string, string[]>();
  const addName = (name: string, key: string) => {
    const list = keysOfName.get(name);
    if (!list) keysOfName.set(name, [key]);
    else if (!list.includes(key)) list.push(key);
  };
  for (const key of keys) {
    addName(key, key);
    for (const a of index.aliases[key] ?? []) addName(a, key);
    const recs = index.files[key];
    for (let i = 0; i < recs.length; i += 3) {
      if (recs[i + 1] !== NOT_COUNTED) continue;
      let m = slot.get(recs[i]);
      if (!m) slot.set(recs[i], (m = new Map()));
      m.set(key, i);
    }
  }
  const commits = [...slot.keys()].sort((a, b) => b - a);
  const shaIndex = new Map(commits.map((ci) => [shaAt(index, ci), ci]));
  // Our attributes (excludedAttributes.ts) only matter when every file is diffed; a commit whose
  // counts they may have changed is counted again without them.
  let attrs: string[] = [];
  const again: string[] = [];
  const onCommit = (c: LogCommit) => {
    const ci = shaIndex.get(c.sha);
    const at = ci === undefined ? undefined : slot.get(ci);
    if (!at) return;
    if (attrs.length && c.files.some((f) => maybeMarkedByUs(f, excluded))) {
      again.push(c.sha);
      return;
    }
    const entries = new Map<string, LogCommit['files']>();
    for (const f of c.files) {
      for (const key of keysOfName.get(f.path) ?? []) {
        if (!at.has(key)) continue;
        const list = entries.get(key);
        if (list) list.push(f);
        else entries.set(key, [f]);
      }
    }
    for (const [key, list] of entries) {
      // An earlier name may belong to another file by now (git's fsck.c became builtin/fsck.c, and a
      // new fsck.c was added later): in a commit that touches the file under its own name, changes
      // under its earlier names are that other file's, not its own.
      const own = list.filter((f) => f.path === key);
      const i = at.get(key)!;
      const recs = index.files[key];
      for (const f of own.length ? own : list) {
        // A record still NOT_COUNTED is seen for the first time; a path listed twice adds up.
        if (f.added === null || recs[i + 1] === NO_LINES) {
          recs[i + 1] = recs[i + 2] = NO_LINES;
        } else if (recs[i + 1] === NOT_COUNTED) {
          recs[i + 1] = f.added;
          recs[i + 2] = f.deleted ?? 0;
        } else {
          recs[i + 1] += f.added;
          recs[i + 2] += f.deleted ?? 0;
        }
      }
    }
  };
  // A name that is not UTF-8 cannot be an argument: then the diff is not limited by path at all
  // (slower, never wrong), as with a long list.
  const names = [...keysOfName.keys()];
  const pathspec = names.length <= MAX_PATHSPEC && names.every(isArgumentSafe) ? ['--', ...names] : [];
  if (pathspec.length === 0) attrs = globalArgs;
  const diffTree = (extra: string[]) => [...extra, '--literal-pathspecs', 'diff-tree', '--stdin', '-z', '-r', '--root', '--numstat', '-M', '--no-color', '--no-ext-diff', '--format=%x1e%H%x1d', ...pathspec];
  const parts = Math.max(1, Math.min(availableParallelism(), Math.ceil(commits.length / 200)));
  const size = Math.ceil(commits.length / parts);
  const show = async (args: string[], shas: string[]) => {
    const parser = new LogStreamParser(onCommit);
    await streamGit(args, { ...ctx, input: shas.join('\n') + '\n', timeoutMs: 0 }, (chunk) => parser.push(chunk));
    parser.end();
  };
  await Promise.all(
    Array.from({ length: parts }, async (_, p) => {
      const mine = commits.slice(p * size, (p + 1) * size).map((ci) => shaAt(index, ci));
      if (mine.length) await show(diffTree(attrs), mine);
    }),
  );
  if (again.length) {
    attrs = [];
    await show(diffTree([]), again);
  }
  let filled = 0;
  for (const at of slot.values()) {
    for (const [key, i] of at) {
      filled++;
      const recs = index.files[key];
      if (recs[i + 1] === NOT_COUNTED) recs[i + 1] = recs[i + 2] = NO_LINES;
    }
  }
  return filled;
}
