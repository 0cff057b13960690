// Opening a file in tsserver loads its whole project (seconds, the first time per project), and
// call hierarchy only exists for functions, methods, constructors, accessors, classes and
// namespaces: a hunk that changes only imports, types, data (object literals, constants) or
// comments has no callers.
// So before a TS/JS file goes to the server, a syntax-only parse with the TypeScript the extension
// ships says whether the changed lines touch such a declaration. Parsing never runs the code.

import type * as TS from 'typescript';

let loaded: typeof TS | null | undefined;

export function typescript(): typeof TS | null {
  if (loaded === undefined) {
    try {
      // Loaded on first use only: it is 9 MB of JavaScript that most commands never need.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require('typescript') as typeof TS;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

export const TS_FILE = /\.(c|m)?(t|j)sx?$/i;

/** A syntax-only parse (no type checking, no module resolution, nothing run). */
export function parseSource(ts: typeof TS, text: string, path: string): TS.SourceFile {
  const ext = path.toLowerCase();
  const kind = ext.endsWith('.tsx') ? ts.ScriptKind.TSX : ext.endsWith('.jsx') ? ts.ScriptKind.JSX : /\.(c|m)?js$/.test(ext) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  return ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, kind);
}

/** Declarations tsserver's prepareCallHierarchy answers for (signatures and type nodes excluded). */
function isCallableDeclaration(ts: typeof TS, n: TS.Node): boolean {
  return (
    ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) ||
    ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n) ||
    ts.isClassDeclaration(n) || ts.isClassExpression(n) || ts.isClassStaticBlockDeclaration(n) ||
    // Namespaces and `declare module` blocks: the server prepares them too (as module symbols).
    ts.isModuleDeclaration(n)
  );
}

/**
 * Whether any 1-based `lines` entry lies inside a function-like or class declaration: false means
 * the hunk has nothing a call hierarchy could start from. True whenever unsure (no TypeScript,
 * another language).
 */
export function changesCallableCode(text: string, path: string, lines: readonly number[]): boolean {
  const ts = typescript();
  if (!ts || !TS_FILE.test(path) || lines.length === 0) return !!lines.length;
  return changesCallableCodeIn(ts, parseSource(ts, text, path), lines);
}

/** changesCallableCode on a TS/JS file already parsed (parseSource): a file's hunks share one parse. */
export function changesCallableCodeIn(ts: typeof TS, sf: TS.SourceFile, lines: readonly number[]): boolean {
  if (lines.length === 0) return false;
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const lo = Math.min(...lines);
  const hi = Math.max(...lines);
  const visit = (n: TS.Node): boolean => {
    const from = lineOf(n.getStart(sf));
    const to = lineOf(n.getEnd());
    if (to < lo || from > hi) return false;
    if (isCallableDeclaration(ts, n) && lines.some((l) => l >= from && l <= to)) return true;
    return ts.forEachChild(n, visit) ?? false;
  };
  return ts.forEachChild(sf, visit) ?? false;
}
