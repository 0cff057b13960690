// Path globs from configuration (checklist conditions, history exclusions), matched by simulating
// the glob as a small automaton over the path: O(path × glob) for any input, where a translated
// backtracking RegExp takes exponential time on globs like `**/*a*a*a*a*a*a*a*a*b`.
//
// Semantics (unchanged from the RegExp translation used before): `**/` matches nothing or any
// run of characters ending in `/`; `**` elsewhere matches any run; `*` a run without `/`; `?` one
// character other than `/`; every other character itself (no classes, braces or escapes).

const enum Kind {
  Literal,
  One,
  Star,
  GlobStar,
}

interface Token {
  kind: Kind;
  char: string;
  /** For `**` that came from `**`/: the state after the slash, reachable without consuming anything. */
  skipTo: number;
}

export interface CompiledGlob {
  readonly source: string;
  test(path: string): boolean;
}

function tokenize(glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      // `**/` is "(any run then /)?": a loop on any character, then the slash, or skip both.
      tokens.push({ kind: Kind.GlobStar, char: '', skipTo: slash ? tokens.length + 2 : -1 });
      if (slash) tokens.push({ kind: Kind.Literal, char: '/', skipTo: -1 });
      i += slash ? 2 : 1;
    } else if (c === '*') tokens.push({ kind: Kind.Star, char: '', skipTo: -1 });
    else if (c === '?') tokens.push({ kind: Kind.One, char: '', skipTo: -1 });
    else tokens.push({ kind: Kind.Literal, char: c, skipTo: -1 });
  }
  return tokens;
}

/**
 * Text every match must contain, start with or end with: checked first with the native string
 * functions, so most paths are rejected without running the automaton. The slash of a `**`/ is
 * optional, so it splits runs like a wildcard.
 */
function literals(tokens: readonly Token[]): { runs: string[]; prefix: string; suffix: string } {
  const runs: string[] = [];
  let run = '';
  let prefix: string | null = null;
  tokens.forEach((t, i) => {
    const optional = t.kind === Kind.Literal && i > 0 && tokens[i - 1].skipTo === i + 1;
    if (t.kind === Kind.Literal && !optional) {
      run += t.char;
      return;
    }
    prefix ??= run;
    if (run) runs.push(run);
    run = '';
  });
  if (run) runs.push(run);
  return { runs, prefix: prefix ?? run, suffix: run };
}

export function compileGlob(glob: string): CompiledGlob {
  const tokens = tokenize(glob);
  const n = tokens.length;
  const { runs, prefix, suffix } = literals(tokens);
  const exact = runs.length <= 1 && prefix === glob;
  /**
   * Adds state s and every state reachable from it without consuming a character. The skip of a
   * `**`/ is taken only on entering it (`entry`), not while it loops: once it has consumed
   * characters it must end with its slash.
   */
  const close = (active: number[], mark: Uint32Array, stamp: number, s: number, entry: boolean): void => {
    while (s <= n) {
      const fresh = mark[s] !== stamp;
      if (fresh) {
        mark[s] = stamp;
        active.push(s);
      }
      const t = tokens[s];
      if (!t || (t.kind !== Kind.Star && t.kind !== Kind.GlobStar)) return;
      if (entry && t.skipTo >= 0) close(active, mark, stamp, t.skipTo, true);
      // Reached before in this step: its successors are in already.
      if (!fresh) return;
      entry = true;
      s += 1;
    }
  };
  return {
    source: glob,
    test(path: string): boolean {
      if (exact) return path === glob;
      // With a wildcard between them, the prefix and the suffix are two different stretches of the path.
      if (path.length < prefix.length + suffix.length || !path.startsWith(prefix) || !path.endsWith(suffix)) return false;
      for (const r of runs) if (!path.includes(r)) return false;
      // The active states as a list, deduplicated by a per-step stamp: the work per character is
      // the number of active states, at most the glob's length.
      const mark = new Uint32Array(n + 1);
      let stamp = 1;
      let cur: number[] = [];
      close(cur, mark, stamp, 0, true);
      for (let p = 0; p < path.length && cur.length; p++) {
        const c = path[p];
        const next: number[] = [];
        stamp += 1;
        for (const s of cur) {
          if (s === n) continue;
          const t = tokens[s];
          if (t.kind === Kind.GlobStar || (t.kind === Kind.Star && c !== '/')) close(next, mark, stamp, s, false);
          else if ((t.kind === Kind.Literal && t.char === c) || (t.kind === Kind.One && c !== '/')) close(next, mark, stamp, s + 1, true);
        }
        cur = next;
      }
      return cur.includes(n);
    },
  };
}
