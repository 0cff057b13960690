// The approximate fallback when no language server can answer: the changed symbols' names searched
// as whole words with `git grep` in the reviewed commit. Every result says it is approximate.

import { runGit } from '../git/runGit';
import { RepoContext, commitsOnly, commonGitDir } from '../git/repository';
import { CallerRef } from './impactTypes';
import { isTestPath } from '../risk/riskInputs';
import { decodeGitPath } from '../git/gitPath';

const DECL_PATTERNS = [
  /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)/,
  /\bclass\s+([A-Za-z_$][\w$]*)/,
  /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b|\(|[A-Za-z_$][\w$]*\s*=>)/,
  /^\s*(?:public\s+|private\s+|protected\s+|static\s+|async\s+|get\s+|set\s+)*([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*(?::[^{]*)?\{/,
  /\bdef\s+([A-Za-z_][\w]*)/,
  /\bfunc\s+(?:\([^)]*\)\s*)?([A-Za-z_][\w]*)/,
  /\bfn\s+([A-Za-z_][\w]*)/,
  /\b(?:exports|module\.exports)\.([A-Za-z_$][\w$]*)\s*=/,
];
const KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'constructor']);

/** Names declared on the given lines (changed lines and the hunk's section header). */
export function declaredNames(lines: readonly string[]): string[] {
  const names = new Set<string>();
  for (const l of lines) {
    for (const re of DECL_PATTERNS) {
      const m = re.exec(l);
      if (m && !KEYWORDS.has(m[1])) names.add(m[1]);
    }
  }
  return [...names];
}

/**
 * Whole-word occurrences of `name` in the commit's files, except the declaration lines, in the
 * commit's path order. `at.tree`: a private analysis tree of that commit (privateTree.ts) holding
 * the files to search. Searched on disk, it answers about four times sooner than the commit's
 * packed objects (eslint: 0.12 s against 0.4–0.6 s, once per plain-JavaScript symbol confirmed),
 * and it holds every file of the types it was written for, so the hits in those files are the
 * same. Otherwise the commit is searched from inside the git directory (`at.gitDir`, asked of git
 * when not given): there git reads no work tree's `.gitattributes`, and the reviewer's checkout
 * may be the head under review, whose attributes could mark its sources binary and so hide them
 * from `-I` (the private tree never holds a `.gitattributes`). `at.keep`: the files whose hits
 * count, before the limit (so what other files hold never decides which of these are kept).
 */
export async function grepCallers(
  name: string, commit: string, declared: ReadonlyArray<{ path: string; line: number }>, ctx: RepoContext, limit = 200, at: { tree?: string; gitDir?: string; keep?: (path: string) => boolean } = {},
): Promise<CallerRef[]> {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return [];
  const tree = at.tree;
  const where = tree ? ['--no-index', '-e', name, '--'] : ['-e', name, commit, '--'];
  const inside = tree ? { ...ctx, cwd: tree } : commitsOnly(ctx, at.gitDir ?? (await commonGitDir(ctx)));
  const r = await runGit(['grep', '-n', '-z', '-w', '-I', '--fixed-strings', ...where], { ...inside, okExitCodes: [1] });
  // commit:path\0line\0text\n (path\0line\0text\n on disk), read from the bytes so a name that is not UTF-8 keeps them.
  const prefix = tree ? 0 : commit.length + 1;
  const hits: Array<{ raw: Buffer; path: string; line: number }> = [];
  const buf = r.stdout;
  for (let pos = 0; pos < buf.length; ) {
    const z1 = buf.indexOf(0, pos);
    const z2 = z1 < 0 ? -1 : buf.indexOf(0, z1 + 1);
    let nl = z2 < 0 ? -1 : buf.indexOf(10, z2 + 1);
    if (nl < 0) nl = buf.length;
    const start = pos;
    pos = nl + 1;
    if (z2 < 0 || z1 - start <= prefix) continue;
    const line = Number(buf.toString('latin1', z1 + 1, z2));
    if (!Number.isInteger(line) || line < 1) continue;
    hits.push({ raw: buf.subarray(start + prefix, z1), path: decodeGitPath(buf, start + prefix, z1), line });
  }
  // A commit lists paths by their bytes, and so does git's walk of a folder; sorted here all the
  // same, so which hits `limit` keeps never rests on how a folder is read.
  if (tree) hits.sort((a, b) => Buffer.compare(a.raw, b.raw) || a.line - b.line);
  const out: CallerRef[] = [];
  for (const { path, line: n } of hits) {
    if (declared.some((d) => d.path === path && d.line === n) || (at.keep && !at.keep(path))) continue;
    out.push({ name: `${path}:${n}`, kind: 'reference', path, line: n, callLines: [n], depth: 1, isTest: isTestPath(path), topLevel: false });
    if (out.length >= limit) break;
  }
  return out;
}
