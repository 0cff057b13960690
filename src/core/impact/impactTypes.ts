// The call-graph impact attached to the change set: `hunk.impact` (the symbols a hunk changes and
// who calls them, transitively) and `changeSet.impact` (the union over the PR).

export interface SymbolRef {
  name: string;
  /** LSP SymbolKind name: function, method, class, constructor, variable, property, ... */
  kind: string;
  path: string;
  /** 1-based line of the symbol's name. */
  line: number;
  /** Which side of the diff the symbol was found on: head for added/changed lines, base for removed. */
  side: 'head' | 'base';
}

export interface CallerRef {
  name: string;
  kind: string;
  path: string;
  line: number;
  /** Call sites inside the caller (1-based lines). */
  callLines: number[];
  /** Hops from the changed symbol (1 = direct caller). */
  depth: number;
  /** A test file, or top-level code of a file (no enclosing declaration). */
  isTest: boolean;
  topLevel: boolean;
}

export interface EntryPoint {
  kind: 'exported-api' | 'test';
  name: string;
  path: string;
  line: number;
}

export interface HunkImpact {
  symbols: SymbolRef[];
  directCallers: CallerRef[];
  /** All callers found, direct included, deduplicated. */
  callers: CallerRef[];
  transitiveCallers: number;
  files: string[];
  /** Top-level directories (or workspace packages) the callers live in. */
  dirs: string[];
  entryPoints: EntryPoint[];
  depth: number;
  /** The walk stopped before its end: a limit was reached or the server did not answer (see truncatedBy). */
  truncated: boolean;
  /** Why, in words ("depth limit of 5 reached"; "the server did not answer within 60 s (...)"). */
  truncatedBy?: string;
  /** lsp: a language server; editor: VS Code's own providers on the checkout; text: git grep (approximate). */
  source: 'lsp' | 'editor' | 'text';
  approximate: boolean;
  /** The server that answered, when one did (kept with the answer, so a warm re-open names it too). */
  server?: string;
  /** Why the language server was not used, when it was not. */
  note?: string;
}

export interface ChangeSetImpact {
  symbols: number;
  callers: number;
  transitiveCallers: number;
  files: string[];
  dirs: string[];
  entryPoints: EntryPoint[];
  truncated: boolean;
  /** The distinct reasons of the truncated hunks. */
  truncatedBy: string[];
  approximate: boolean;
  server: string | null;
  notes: string[];
  ms: number;
}
