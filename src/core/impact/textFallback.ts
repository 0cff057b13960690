// The approximate fallback when no language server can answer: the changed symbols' names searched
// as whole words with `git grep` in the reviewed commit. Every result says it is approximate.

import { runGit } from '../git/runGit';
import { RepoContext } from '../git/repository';
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

/** Whole-word occurrences of `name` in the commit's files, except the declaration lines. */
export async function grepCallers(name: string, commit: string, declared: ReadonlyArray<{ path: string; line: number }>, ctx: RepoContext, limit = 200): Promise<CallerRef[]> {
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) return [];
  const r = await runGit(['grep', '-n', '-z', '-w', '-I', '--fixed-strings', '-e', name, commit, '--'], { ...ctx, okExitCodes: [1] });
  const out: CallerRef[] = [];
  const buf = r.stdout;
  // commit:path\0line\0text\n, read from the bytes so a name that is not UTF-8 keeps them.
  for (let pos = 0; pos < buf.length; ) {
    const z1 = buf.indexOf(0, pos);
    const z2 = z1 < 0 ? -1 : buf.indexOf(0, z1 + 1);
    let nl = z2 < 0 ? -1 : buf.indexOf(10, z2 + 1);
    if (nl < 0) nl = buf.length;
    const start = pos;
    pos = nl + 1;
    if (z2 < 0 || z1 - start <= commit.length) continue;
    const path = decodeGitPath(buf, start + commit.length + 1, z1);
    const n = Number(buf.toString('latin1', z1 + 1, z2));
    if (!Number.isInteger(n) || n < 1) continue;
    if (declared.some((d) => d.path === path && d.line === n)) continue;
    out.push({ name: `${path}:${n}`, kind: 'reference', path, line: n, callLines: [n], depth: 1, isTest: isTestPath(path), topLevel: false });
    if (out.length >= limit) break;
  }
  return out;
}
