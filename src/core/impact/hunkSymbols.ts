// Finds the symbols a hunk changes from the server's document symbols: the innermost declarations
// overlapping the changed lines (at head for added lines, at base for removed ones), so a hunk
// inside a method maps to that method, one between functions to nothing.

import { DocumentSymbol } from './lspClient';

export const SYMBOL_KIND: Record<number, string> = {
  1: 'file', 2: 'module', 3: 'namespace', 4: 'package', 5: 'class', 6: 'method', 7: 'property', 8: 'field', 9: 'constructor',
  10: 'enum', 11: 'interface', 12: 'function', 13: 'variable', 14: 'constant', 15: 'string', 16: 'number', 17: 'boolean',
  18: 'array', 19: 'object', 20: 'key', 21: 'null', 22: 'enum-member', 23: 'struct', 24: 'event', 25: 'operator', 26: 'type-parameter',
};

/** Kinds that can be called or referenced as a unit. */
const CALLABLE = new Set([5, 6, 7, 8, 9, 12, 13, 14, 2, 3, 11, 10, 23]);

export interface SymbolHit {
  symbol: DocumentSymbol;
  /** Outer symbols, innermost first: where to retry when the innermost has no call hierarchy. */
  ancestors: DocumentSymbol[];
}

/** Innermost callable symbols overlapping any of the 0-based `lines`. */
export function symbolsAtLines(symbols: readonly DocumentSymbol[], lines: readonly number[]): SymbolHit[] {
  const hits = new Map<DocumentSymbol, SymbolHit>();
  const visit = (list: readonly DocumentSymbol[], chain: DocumentSymbol[], line: number): void => {
    for (const s of list) {
      if (line < s.range.start.line || line > s.range.end.line) continue;
      const inner = (s.children ?? []).filter((c) => CALLABLE.has(c.kind) && line >= c.range.start.line && line <= c.range.end.line);
      if (inner.length) visit(inner, [s, ...chain], line);
      else if (CALLABLE.has(s.kind) && !hits.has(s)) hits.set(s, { symbol: s, ancestors: chain });
    }
  };
  for (const line of lines) visit(symbols.filter((s) => CALLABLE.has(s.kind)), [], line);
  return [...hits.values()];
}
