// The identity of an approved diff (format v2): SHA-256 over every added, removed and context line
// of mergeBase..head byte for byte (whitespace included), with paths and modes but no line numbers.

import { createHash } from 'node:crypto';
import { runGit, streamGit } from '../git/runGit';
import { GitError } from '../git/gitError';
import { RepoContext } from '../git/repository';

/**
 * Why not `git patch-id`: --stable ignores whitespace (a space slipped into a shell command kept the
 * approval), and its results changed between git versions, while approve and CI may run different
 * ones. Every option that shapes the lines is pinned here, so configuration cannot change them either;
 * --text reads every file as lines, so .gitattributes (of any checkout) cannot turn one into "binary".
 */
const PAIR_OPTIONS = ['-r', '-M', '-l1000'];
const PATCH_OPTIONS = [
  ...PAIR_OPTIONS, '--text', '--no-ext-diff', '--no-textconv', '--diff-algorithm=myers', '--indent-heuristic',
  '-U3', '--inter-hunk-context=0', '--no-color', '--src-prefix=a/', '--dst-prefix=b/',
];
const DIFF_CONFIG = ['-c', 'diff.suppressBlankEmpty=false'];

export const IDENTITY_VERSION = 'v2';

export interface FileIdentity {
  /** Short id of this file's part of the diff (12 hex). */
  id: string;
  /** The path for display (lossy for non-UTF-8 names; the key is computed from the raw bytes). */
  path: string;
}

export interface PatchIdentity {
  /** 64 hex: the whole diff. */
  patchId: string;
  /** pathKey(raw path bytes) → the file's id and display path. */
  files: Map<string, FileIdentity>;
}

/** Short key of a path, from its raw bytes as git wrote them (two names differing in one byte differ here). */
export function pathKey(path: Buffer | string): string {
  return createHash('sha1').update(path).digest('hex').slice(0, 8);
}

interface RawPair {
  meta: string;
  oldPath: Buffer;
  newPath: Buffer;
  /** How many `diff --git` sections git prints for it: a type change (file ↔ symlink) is a deletion plus a creation. */
  sections: number;
}

/** `git diff-tree --raw -z` records with their paths kept as bytes. */
function parseRawPairs(out: Buffer): RawPair[] {
  const pairs: RawPair[] = [];
  let pos = 0;
  const field = (): Buffer => {
    const end = out.indexOf(0, pos);
    if (end < 0) throw new GitError('git diff-tree --raw ended in the middle of a record', 'Unknown');
    const f = out.subarray(pos, end);
    pos = end + 1;
    return f;
  };
  while (pos < out.length) {
    const meta = field().toString('latin1');
    const m = /^:(\d{6}) (\d{6}) [0-9a-f]+ [0-9a-f]+ ([A-Z])\d*$/.exec(meta);
    if (!m) throw new GitError(`unexpected git diff-tree record '${meta.slice(0, 80)}'`, 'Unknown');
    const first = field();
    const second = m[3] === 'R' || m[3] === 'C' ? field() : first;
    const type = (mode: string) => parseInt(mode, 8) & 0o170000;
    const split = m[1] !== '000000' && m[2] !== '000000' && type(m[1]) !== type(m[2]);
    pairs.push({ meta: `${m[3]} ${m[1]} ${m[2]}`, oldPath: first, newPath: second, sections: split ? 2 : 1 });
  }
  return pairs;
}

/**
 * Streams the patch and hashes each `diff --git` section's hunk lines exactly, skipping the headers
 * (paths come from the raw records) and the `@@ -a,b +c,d @@` lines (line numbers move on a rebase).
 */
async function sectionDigests(args: string[], ctx: RepoContext): Promise<string[]> {
  const digests: string[] = [];
  let hash: ReturnType<typeof createHash> | null = null;
  let inHunks = false;
  let pending: Buffer[] = [];
  const line = (l: Buffer) => {
    if (l.subarray(0, 11).toString('latin1') === 'diff --git ') {
      if (hash) digests.push(hash.digest('hex'));
      hash = createHash('sha256');
      inHunks = false;
      return;
    }
    if (!hash) throw new GitError('unexpected text before the first diff section', 'Unknown');
    if (l.subarray(0, 3).toString('latin1') === '@@ ') {
      inHunks = true;
      hash.update('@@\n');
      return;
    }
    if (inHunks) hash.update(l).update('\n');
  };
  await streamGit(args, { ...ctx, timeoutMs: 0 }, (chunk) => {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      line(pending.length ? Buffer.concat([...pending, piece]) : piece);
      pending = [];
      start = nl + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  });
  if (pending.length) line(Buffer.concat(pending));
  if (hash) digests.push((hash as ReturnType<typeof createHash>).digest('hex'));
  return digests;
}

export async function patchIdentity(mergeBase: string, head: string, ctx: RepoContext): Promise<PatchIdentity> {
  const raw = (await runGit([...DIFF_CONFIG, 'diff-tree', '-z', '--raw', ...PAIR_OPTIONS, mergeBase, head, '--'], { ...ctx, timeoutMs: 0 })).stdout;
  const pairs = parseRawPairs(raw);
  const sections = await sectionDigests([...DIFF_CONFIG, 'diff-tree', '-p', ...PATCH_OPTIONS, mergeBase, head, '--'], ctx);
  const expected = pairs.reduce((n, p) => n + p.sections, 0);
  if (sections.length !== expected) {
    throw new GitError(`cannot pair the diff of ${mergeBase.slice(0, 12)}..${head.slice(0, 12)} file by file (${sections.length} sections for ${expected})`, 'Unknown');
  }
  const perFile: Array<{ path: Buffer; digest: string }> = [];
  let next = 0;
  for (const p of pairs) {
    const h = createHash('sha256').update(`file ${IDENTITY_VERSION} ${p.meta}\0${p.oldPath.length}:`).update(p.oldPath).update(`\0${p.newPath.length}:`).update(p.newPath).update('\0');
    for (let k = 0; k < p.sections; k++) h.update(`${sections[next++]}\n`);
    perFile.push({ path: p.newPath, digest: h.digest('hex') });
  }
  // Sorted by path bytes, so the order git lists files in (diff.orderFile...) cannot matter.
  perFile.sort((a, b) => Buffer.compare(a.path, b.path));
  const whole = createHash('sha256').update(`senior-review patch identity ${IDENTITY_VERSION}\n`);
  const files = new Map<string, FileIdentity>();
  for (const f of perFile) {
    whole.update(`${f.path.length}:`).update(f.path).update(` ${f.digest}\n`);
    files.set(pathKey(f.path), { id: f.digest.slice(0, 12), path: f.path.toString('utf8') });
  }
  return { patchId: whole.digest('hex'), files };
}
