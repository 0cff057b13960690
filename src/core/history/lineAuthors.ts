// Line attributions from `git blame`, only for the lines asked for and only what the cache lacks:
// who last changed lines at the merge base (knowledge loss) and which range commit added lines at
// head (AI-assisted lines, the walk bounded by the merge base). One blame per file, as many at
// once as there are cores; a moved base carries over the files no commit in between touched.

import { availableParallelism } from 'node:os';
import { mapLimit } from '../concurrency';
import { blameRanges, toRanges } from '../git/blame';
import { RepoContext, isAncestor } from '../git/repository';
import { runGit } from '../git/runGit';
import { decodeGitPath } from '../git/gitPath';
import { LineCache, LineEntry, baseKey, rangeKey, readLines } from './lineCache';

export interface LineRequest {
  /** Path at the commit blamed (safe as an argument: the caller checked). */
  path: string;
  /** Its blob there: part of the cache key, so an entry can never describe other content. */
  blob: string;
  lines: readonly number[];
}

/** A blamed author as stored: name and email after the base's mailmap. */
export function authorOf(value: string): { name: string; email: string } {
  const nl = value.indexOf('\n');
  return { name: value.slice(0, nl), email: value.slice(nl + 1) };
}

/** More paths than this and a moved base re-blames instead of asking git which files changed in between. */
const MAX_CARRY_PATHS = 400;

/**
 * Who last changed each requested line at `mergeBase` ("name\nemail", see `authorOf`), per path.
 * `mailmapArgs` are the base's; `mailmapBlob` (its id, null when none) keys the cache with them.
 */
export async function baseLineAuthors(
  mergeBase: string,
  mailmapBlob: string | null,
  mailmapArgs: string[],
  requests: readonly LineRequest[],
  ctx: RepoContext,
  cache: LineCache,
): Promise<Map<string, Map<number, string>>> {
  const key = baseKey(mergeBase, mailmapBlob);
  const entry = cache.entry(key);
  const lacking = () => requests.filter((r) => missingLines(entry, r).length > 0);
  if (lacking().some((r) => !entry.files[r.path] || entry.files[r.path].blob !== r.blob)) await carryOver(cache, entry, mergeBase, lacking(), ctx);
  await blameMissing(cache, entry, lacking(), (r, ranges) =>
    blameRanges(mergeBase, r.path, ranges, ctx, { extraArgs: mailmapArgs }).then((m) => new Map([...m].map(([n, b]) => [n, `${b.authorName}\n${b.authorEmail}`]))),
  );
  return answer(entry, requests);
}

/** Which commit of `mergeBase..head` added each requested line at `head` ('' for a line older than the range), per path. */
export async function rangeLineCommits(mergeBase: string, head: string, requests: readonly LineRequest[], ctx: RepoContext, cache: LineCache): Promise<Map<string, Map<number, string>>> {
  const entry = cache.entry(rangeKey(mergeBase, head));
  await blameMissing(cache, entry, requests.filter((r) => missingLines(entry, r).length > 0), (r, ranges) =>
    blameRanges(head, r.path, ranges, ctx, { notFrom: mergeBase }).then((m) => new Map([...m].map(([n, b]) => [n, b.boundary ? '' : b.sha]))),
  );
  return answer(entry, requests);
}

function missingLines(entry: LineEntry, r: LineRequest): number[] {
  const f = entry.files[r.path];
  if (!f || f.blob !== r.blob) return [...r.lines];
  const have = new Set<number>();
  for (let i = 0; i < f.lines.length; i += 2) have.add(f.lines[i]);
  return r.lines.filter((n) => !have.has(n));
}

async function blameMissing(
  cache: LineCache,
  entry: LineEntry,
  requests: readonly LineRequest[],
  blame: (r: LineRequest, ranges: Array<[number, number]>) => Promise<Map<number, string>>,
): Promise<void> {
  await mapLimit(requests, Math.max(1, availableParallelism()), async (r) => {
    const missing = missingLines(entry, r);
    const got = await blame(r, toRanges(missing));
    // A line git did not report (past the end of the file) is remembered as unknown, not asked again.
    for (const n of missing) if (!got.has(n)) got.set(n, '');
    cache.put(entry, r.path, r.blob, got);
  });
}

function answer(entry: LineEntry, requests: readonly LineRequest[]): Map<string, Map<number, string>> {
  const out = new Map<string, Map<number, string>>();
  for (const r of requests) {
    const f = entry.files[r.path];
    const all = f && f.blob === r.blob ? readLines(f) : new Map<number, string>();
    out.set(r.path, new Map(r.lines.filter((n) => all.has(n)).map((n) => [n, all.get(n)!])));
  }
  return out;
}

/**
 * Blame at a base is blame at an earlier base wherever the earlier base is on the later one's
 * first-parent chain and no commit in between touched the file (`git log -m` lists a path a merge
 * changed against any parent): blame passes a file a commit did not change to its first parent
 * with the same content, so it walks down that chain to the earlier base. (Through a merge whose
 * first parent is another line of history it could end on other commits: not carried over.)
 * Such files are copied from the most recently used earlier base that has them; others are blamed.
 */
async function carryOver(cache: LineCache, entry: LineEntry, mergeBase: string, requests: readonly LineRequest[], ctx: RepoContext): Promise<void> {
  for (const from of cache.otherBases(entry.key)) {
    const candidates = requests.filter((r) => from.files[r.path]?.blob === r.blob && (!entry.files[r.path] || entry.files[r.path].blob !== r.blob));
    if (candidates.length === 0 || candidates.length > MAX_CARRY_PATHS) continue;
    const earlier = from.key.split(' ')[1];
    if (!(await onFirstParentChain(earlier, mergeBase, ctx))) continue;
    const out = (await runGit(['--literal-pathspecs', 'log', '-m', '--no-renames', '--name-only', '-z', '--format=', `${earlier}..${mergeBase}`, '--', ...candidates.map((r) => r.path)], { ...ctx, timeoutMs: 0 })).stdout;
    const touched = new Set<string>();
    // With an empty format the output is only the NUL-terminated names.
    for (let pos = 0; pos < out.length; ) {
      let end = out.indexOf(0, pos);
      if (end < 0) end = out.length;
      if (end > pos) touched.add(decodeGitPath(out, pos, end));
      pos = end + 1;
    }
    for (const r of candidates) if (!touched.has(r.path)) cache.copy(from, entry, r.path);
    return;
  }
}

/** Whether `earlier` is `later` or reached from it through first parents only. */
async function onFirstParentChain(earlier: string, later: string, ctx: RepoContext): Promise<boolean> {
  if (earlier === later) return true;
  if (!(await isAncestor(earlier, later, ctx))) return false;
  // Newest first: the last commit of the chain above `earlier` has it as first parent when the chain reaches it.
  const rows = (await runGit(['rev-list', '--first-parent', '--parents', later, `^${earlier}`], { ...ctx, timeoutMs: 0 })).stdout.toString('latin1').trim().split('\n');
  return rows[rows.length - 1]?.split(' ')[1] === earlier;
}
