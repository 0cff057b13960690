// What a reference to a function or class is, read from the syntax alone: a call, a construction,
// a subclass whose constructor calls super(...), a local alias (`const f = lib.f`, `{ f: g } = await
// import(...)`) whose own calls count, or no call at all (an import, a type, a value passed on).
// And which declaration a call sits in, as tsserver's call hierarchy names callers.

import type * as TS from 'typescript';
import { LspPosition, LspRange } from './lspClient';

export type ReferenceSite =
  | { kind: 'call' | 'construct' }
  /** A class that extends the referenced one: its constructor's super(...) calls, if it has one. */
  | { kind: 'subclass'; superCalls: LspPosition[] }
  /** A local name bound to the reference: its calls are calls of the referenced symbol. */
  | { kind: 'alias'; at: LspPosition }
  | { kind: 'none' };

function position(sf: TS.SourceFile, pos: number): LspPosition {
  const { line, character } = sf.getLineAndCharacterOfPosition(pos);
  return { line, character };
}

/** The innermost node whose text covers the position (0-based line and character). */
function nodeAt(ts: typeof TS, sf: TS.SourceFile, at: LspPosition): TS.Node | null {
  let pos: number;
  try {
    pos = sf.getPositionOfLineAndCharacter(at.line, at.character);
  } catch {
    return null;
  }
  let found: TS.Node | null = null;
  const visit = (n: TS.Node): void => {
    if (pos < n.getStart(sf) || pos >= n.getEnd()) return;
    found = n;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(sf, visit);
  return found;
}

/** The expression a reference stands for: `a.b.f` for `f`, through `!`, parentheses and casts. */
function referenceExpression(ts: typeof TS, node: TS.Node): TS.Node {
  let e = node;
  for (;;) {
    const p = e.parent;
    if (!p) return e;
    if ((ts.isPropertyAccessExpression(p) && p.name === e) || (ts.isElementAccessExpression(p) && p.argumentExpression === e)) e = p;
    else if (ts.isNonNullExpression(p) || ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isTypeAssertionExpression(p) || ts.isSatisfiesExpression(p)) e = p;
    else return e;
  }
}

function superCalls(ts: typeof TS, sf: TS.SourceFile, cls: TS.ClassLikeDeclaration): LspPosition[] {
  const ctor = cls.members.find((m): m is TS.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
  const out: LspPosition[] = [];
  const visit = (n: TS.Node): void => {
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.SuperKeyword) out.push(position(sf, n.expression.getStart(sf)));
    // Nested functions and classes have their own `super`.
    if (!ts.isFunctionLike(n) && !ts.isClassLike(n)) ts.forEachChild(n, visit);
  };
  if (ctor?.body) ts.forEachChild(ctor.body, visit);
  return out;
}

/** What the reference at `at` (an identifier the server reported) does with the symbol. */
export function classifyReference(ts: typeof TS, sf: TS.SourceFile, at: LspPosition): ReferenceSite {
  const node = nodeAt(ts, sf, at);
  if (!node || !(ts.isIdentifier(node) || ts.isPrivateIdentifier(node))) return { kind: 'none' };
  const parent = node.parent;
  // `const { f } = ...` / `const { f: g } = await import('./m')`: the local binding's calls count.
  if (ts.isBindingElement(parent) && (parent.propertyName === node || (!parent.propertyName && parent.name === node)) && ts.isIdentifier(parent.name)) {
    return { kind: 'alias', at: position(sf, parent.name.getStart(sf)) };
  }
  const e = referenceExpression(ts, node);
  const p = e.parent;
  if (!p) return { kind: 'none' };
  if (ts.isCallExpression(p) && p.expression === e) return { kind: 'call' };
  if (ts.isNewExpression(p) && p.expression === e) return { kind: 'construct' };
  if (ts.isTaggedTemplateExpression(p) && p.tag === e) return { kind: 'call' };
  if (ts.isDecorator(p) && p.expression === e) return { kind: 'call' };
  if ((ts.isJsxOpeningElement(p) || ts.isJsxSelfClosingElement(p)) && p.tagName === e) return { kind: 'call' };
  // f.call(...) and f.apply(...) call f; f.bind(...) only makes a function.
  if (ts.isPropertyAccessExpression(p) && p.expression === e && (p.name.text === 'call' || p.name.text === 'apply') && ts.isCallExpression(p.parent) && p.parent.expression === p) return { kind: 'call' };
  if (ts.isExpressionWithTypeArguments(p) && p.expression === e && ts.isHeritageClause(p.parent) && p.parent.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(p.parent.parent)) {
    return { kind: 'subclass', superCalls: superCalls(ts, sf, p.parent.parent) };
  }
  if (ts.isVariableDeclaration(p) && p.initializer === e && ts.isIdentifier(p.name)) return { kind: 'alias', at: position(sf, p.name.getStart(sf)) };
  return { kind: 'none' };
}

/** Whether the reference at `at` is a call or construct site (what a call line must point at). */
export function isCallSite(ts: typeof TS, sf: TS.SourceFile, at: LspPosition): boolean {
  const site = classifyReference(ts, sf, at);
  return site.kind === 'call' || site.kind === 'construct';
}

/**
 * The declaration a call at `at` belongs to, as tsserver's call hierarchy names callers: a named
 * function, method, accessor, constructor, class (field initialisers), namespace, or a function or
 * arrow assigned to a variable; the position of its name, or null for the file's top level
 * (anonymous callbacks included, as the server reports them).
 */
export function enclosingCaller(ts: typeof TS, sf: TS.SourceFile, at: LspPosition): LspPosition | null {
  let n: TS.Node | undefined = nodeAt(ts, sf, at) ?? undefined;
  for (; n && !ts.isSourceFile(n); n = n.parent) {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n) || ts.isClassDeclaration(n) || ts.isModuleDeclaration(n)) && n.name) {
      return position(sf, n.name.getStart(sf));
    }
    // Calls in a constructor are the class's, as the call hierarchy names them.
    if (ts.isConstructorDeclaration(n)) return position(sf, (n.parent.name ?? n).getStart(sf));
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isClassExpression(n)) && ts.isVariableDeclaration(n.parent) && ts.isIdentifier(n.parent.name)) {
      return position(sf, n.parent.name.getStart(sf));
    }
    if ((ts.isFunctionExpression(n) || ts.isClassExpression(n)) && n.name) return position(sf, n.name.getStart(sf));
  }
  return null;
}

/** The class whose name is at `at`, as a call hierarchy item's name and ranges; null when none is. */
export function classNamedAt(ts: typeof TS, sf: TS.SourceFile, at: LspPosition): { name: string; range: LspRange; selectionRange: LspRange } | null {
  const node = nodeAt(ts, sf, at);
  const cls = node?.parent;
  if (!node || !cls || !(ts.isClassDeclaration(cls) || ts.isClassExpression(cls)) || cls.name !== node) return null;
  const range = (n: TS.Node): LspRange => ({ start: position(sf, n.getStart(sf)), end: position(sf, n.getEnd()) });
  return { name: cls.name.text, range: range(cls), selectionRange: range(cls.name) };
}

/**
 * Whether the name at `at` is a namespace's (`namespace N {}`, `module N {}`), not a global
 * augmentation's nor an ambient module's string.
 */
export function namespaceNamedAt(ts: typeof TS, sf: TS.SourceFile, at: LspPosition): boolean {
  const node = nodeAt(ts, sf, at);
  const ns = node?.parent;
  return !!node && !!ns && ts.isIdentifier(node) && ts.isModuleDeclaration(ns) && ns.name === node && !(ns.flags & ts.NodeFlags.GlobalAugmentation);
}
