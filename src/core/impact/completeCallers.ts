// Completes a changed symbol's incoming calls (issue #16): tsserver's call hierarchy misses the
// super(...) calls of subclasses, calls through some re-exports and destructured dynamic imports,
// every call of a class merged with a namespace, and reports value references (`xs.map(f)`) as
// call lines. So its answer keeps only the ranges that are calls, and the server's references are
// added where they are call or construct sites, each checked with a syntax-only parse and
// attributed to its enclosing declaration like the hierarchy does.

import type * as TS from 'typescript';
import { fileURLToPath } from 'node:url';
import { CallHierarchyItem, DocumentSymbol, HierarchyClient, IncomingCall, LspLocation, LspPosition, LspRange, RequestFailed } from './lspClient';
import { classifyReference, classNamedAt, enclosingCaller, isCallSite, namespaceNamedAt } from './callSites';
import { SymbolHit } from './hunkSymbols';
import { TS_FILE } from './syntaxFilter';

export interface SyntaxSource {
  ts: typeof TS;
  /** The parsed file at the analysis tree (absolute path), or null when it cannot be read. */
  parse(absPath: string): TS.SourceFile | null;
}

const siteKey = (uri: string, p: LspPosition) => `${uri}:${p.line}:${p.character}`;

/** The file's top level as a caller (kind module, at 0:0): how the hierarchy reports it too. */
export function topLevelItem(uri: string): CallHierarchyItem {
  const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return { name: uri.slice(uri.lastIndexOf('/') + 1), kind: 2, uri, range: zero, selectionRange: zero };
}

const MODULE_KIND = 2;
const CLASS_KIND = 5;
const CONSTRUCTOR_KIND = 9;

/**
 * tsserver prepares a class merged with a namespace (`declare namespace X { interface Options }`
 * beside `class X`, a common way to type a constructor's options) as the namespace, which has no
 * incoming calls and whose references are only the type uses. Such an item stands for the class:
 * it is given the class's own name range, whose references are its constructions and subclasses.
 */
export function asClass(item: CallHierarchyItem, cls: { name: string; range: LspRange; selectionRange: LspRange }, uri: string): CallHierarchyItem {
  // The class's file, not the item's: a namespace also declared elsewhere (a module augmentation)
  // gives an item in that file, where the class's ranges would be out of bounds (tsserver throws).
  return item.kind === MODULE_KIND && item.name === cls.name ? { ...item, uri, kind: CLASS_KIND, range: cls.range, selectionRange: cls.selectionRange } : item;
}

/** The prepared items of `symbol` (one of `hit`'s chain, in the file `uri`), a class or constructor's namespace item made the class. */
export function preparedAsClass(items: CallHierarchyItem[], symbol: DocumentSymbol, hit: SymbolHit, uri: string): CallHierarchyItem[] {
  const chain = [hit.symbol, ...hit.ancestors];
  const cls = symbol.kind === CLASS_KIND ? symbol : symbol.kind === CONSTRUCTOR_KIND ? chain[chain.indexOf(symbol) + 1] : undefined;
  return cls?.kind === CLASS_KIND ? items.map((i) => asClass(i, cls, uri)) : items;
}

const sameRange = (a: LspRange, b: LspRange) =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/**
 * Where to prepare a document symbol: at its name. tsserver gives the second and later spans of an
 * overloaded function or method (the implementation among them) a selection range that is the whole
 * declaration, starting at a modifier where nothing can be prepared; the first span has the name.
 */
export function preparePosition(symbol: DocumentSymbol, hit: SymbolHit, topLevel: readonly DocumentSymbol[]): LspPosition {
  if (!sameRange(symbol.selectionRange, symbol.range)) return symbol.selectionRange.start;
  const chain = [hit.symbol, ...hit.ancestors];
  const siblings = chain[chain.indexOf(symbol) + 1]?.children ?? topLevel;
  const named = siblings.find((o) => o !== symbol && o.name === symbol.name && o.kind === symbol.kind && !sameRange(o.selectionRange, o.range));
  return (named ?? symbol).selectionRange.start;
}

function syntaxOf(src: SyntaxSource, uri: string): TS.SourceFile | null {
  if (!uri.startsWith('file:')) return null;
  const path = fileURLToPath(uri);
  return TS_FILE.test(path) ? src.parse(path) : null;
}

/** Whether the name at `at` in the file (absolute path) is called there; true for files not parsed here (other languages). */
export function calledAt(src: SyntaxSource, abs: string, at: LspPosition): boolean {
  const sf = TS_FILE.test(abs) ? src.parse(abs) : null;
  return !sf || isCallSite(src.ts, sf, at);
}

/** The hierarchy's answer with only the ranges that are calls; callers left with none are dropped. */
export function callsOnly(calls: readonly IncomingCall[], src: SyntaxSource): IncomingCall[] {
  const out: IncomingCall[] = [];
  for (const c of calls) {
    const sf = syntaxOf(src, c.from.uri);
    // Other languages (and unreadable files) keep what their server said.
    if (!sf) {
      out.push(c);
      continue;
    }
    const fromRanges = c.fromRanges.filter((r) => isCallSite(src.ts, sf, r.start));
    if (fromRanges.length) out.push({ ...c, fromRanges });
  }
  return out;
}

/**
 * The item the call hierarchy names for the declaration whose name is at `pos` (from
 * enclosingCaller): a class for the calls in its constructor; null when the server prepares none.
 */
async function declarationItem(client: HierarchyClient, src: SyntaxSource, uri: string, sf: TS.SourceFile, pos: LspPosition): Promise<CallHierarchyItem | null> {
  const cls = classNamedAt(src.ts, sf, pos);
  const items = await client.prepare(client.open(fileURLToPath(uri)), pos);
  return (items[0] && cls ? asClass(items[0], cls, uri) : items[0]) ?? null;
}

/**
 * The caller a call at `at` belongs to, as the call hierarchy names callers (an object literal's
 * method included); null for the file's top level, or a file not parsed here.
 */
export async function callerItem(client: HierarchyClient, src: SyntaxSource, uri: string, at: LspPosition): Promise<CallHierarchyItem | null> {
  const sf = syntaxOf(src, uri);
  const pos = sf ? enclosingCaller(src.ts, sf, at) : null;
  return sf && pos ? declarationItem(client, src, uri, sf, pos) : null;
}

/**
 * Whether the item is a namespace that merges with no function, class, enum or variable: every
 * declaration the server knows of its name is a namespace's. Nothing can call, construct or extend
 * it, so its references hold no call, and they are the costly request: a search of every project
 * that may use the name (apollo-client's type tests change some hundred exported namespaces such
 * as `errorPolicy.all`; their reference searches took 2.8 s of a 10 s cold walk, for no caller).
 * A namespace merged with anything else (`const f = () => 1; namespace f { type T }`, which the
 * server prepares as the namespace) keeps its references.
 */
async function plainNamespace(client: HierarchyClient, item: CallHierarchyItem, src: SyntaxSource): Promise<boolean> {
  const sf = item.kind === MODULE_KIND && client.definitions ? syntaxOf(src, item.uri) : null;
  if (!sf || !namespaceNamedAt(src.ts, sf, item.selectionRange.start)) return false;
  let declarations: LspLocation[];
  try {
    declarations = await client.definitions!(item.uri, item.selectionRange.start);
  } catch (e) {
    // Unanswered, the references decide as before.
    if (e instanceof RequestFailed) return false;
    throw e;
  }
  return declarations.length > 0 && declarations.every((d) => {
    const at = syntaxOf(src, d.uri);
    return !!at && namespaceNamedAt(src.ts, at, d.range.start);
  });
}

/**
 * Call and construct sites among the references of `item` that `known` (the hierarchy's calls)
 * does not have, grouped by caller, in file and line order.
 */
export async function referenceCalls(client: HierarchyClient, item: CallHierarchyItem, known: readonly IncomingCall[], src: SyntaxSource): Promise<IncomingCall[]> {
  if (!client.references) return [];
  if (await plainNamespace(client, item, src)) return [];
  const seen = new Set(known.flatMap((c) => c.fromRanges.map((r) => siteKey(c.from.uri, r.start))));
  const groups = new Map<string, IncomingCall>();
  const callers = new Map<string, Promise<CallHierarchyItem>>();
  const callerAt = (uri: string, sf: TS.SourceFile, at: LspPosition): Promise<CallHierarchyItem> => {
    const pos = enclosingCaller(src.ts, sf, at);
    if (!pos) return Promise.resolve(topLevelItem(uri));
    const key = siteKey(uri, pos);
    let p = callers.get(key);
    if (!p) {
      p = declarationItem(client, src, uri, sf, pos).then((item) => item ?? topLevelItem(uri));
      callers.set(key, p);
    }
    return p;
  };
  const add = async (uri: string, sf: TS.SourceFile, at: LspPosition): Promise<void> => {
    const k = siteKey(uri, at);
    if (seen.has(k)) return;
    seen.add(k);
    const from = await callerAt(uri, sf, at);
    const gk = siteKey(from.uri, from.selectionRange.start);
    const range: LspRange = { start: at, end: at };
    const g = groups.get(gk);
    if (g) g.fromRanges.push(range);
    else groups.set(gk, { from, fromRanges: [range] });
  };
  const byPlace = (a: { uri: string; range: LspRange }, b: { uri: string; range: LspRange }) =>
    a.uri.localeCompare(b.uri) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  const refs = [...(await client.references(item.uri, item.selectionRange.start))].sort(byPlace);
  for (const ref of refs) {
    const sf = syntaxOf(src, ref.uri);
    if (!sf) continue;
    const site = classifyReference(src.ts, sf, ref.range.start);
    if (site.kind === 'call' || site.kind === 'construct') await add(ref.uri, sf, ref.range.start);
    else if (site.kind === 'subclass') for (const at of site.superCalls) await add(ref.uri, sf, at);
    else if (site.kind === 'alias') {
      // One hop: the calls of the local name, in its own file (the server answers for open files).
      client.open(fileURLToPath(ref.uri));
      const uses = [...(await client.references(ref.uri, site.at))].filter((u) => u.uri === ref.uri).sort(byPlace);
      for (const u of uses) if (isCallSite(src.ts, sf, u.range.start)) await add(ref.uri, sf, u.range.start);
    }
  }
  return [...groups.values()];
}
