// The oracle of the caller-accuracy bench: TypeScript's own LanguageService, find-all-references on
// the same analysis tree and tsconfig project as the language server, kept to call and construct sites.
//
// What counts as a call site (the definition the bench measures against): the reference is the callee
// of a call or `new` (through property access, parentheses, `!` and casts), a tagged template's tag, a
// decorator, a JSX tag, `f.call(...)`/`f.apply(...)`; a class named in `extends` stands for its
// constructor's `super(...)` calls; a local alias (`const g = f`, `const { f } = …`) stands for its own
// calls in its file. Each site is named by its enclosing declaration the way TypeScript's call
// hierarchy names callers (src/services/callHierarchy.ts: isValidCallHierarchyDeclaration), or the
// file's top level.

import type * as TS from 'typescript';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';

export interface OracleSite {
  /** Path relative to the tree. */
  path: string;
  /** 1-based line of the call. */
  line: number;
  /** `path#top` for the file's top level, else `path#<1-based line of the declaration's name>`. */
  caller: string;
}

/** The nearest tsconfig.json or jsconfig.json above `file` inside `root` (tsserver's rule), or null. */
export function nearestProject(root: string, file: string): string | null {
  for (let dir = dirname(file); dir.startsWith(root); dir = dirname(dir)) {
    for (const name of ['tsconfig.json', 'jsconfig.json']) if (existsSync(join(dir, name))) return join(dir, name);
    if (dir === root) break;
  }
  return null;
}

export class OracleProject {
  private readonly service: TS.LanguageService;
  /** Absolute paths of the project's files (what tsserver's configured project holds). */
  readonly files: string[];
  private readonly texts = new Map<string, string | undefined>();

  constructor(private readonly ts: typeof TS, readonly root: string, readonly configPath: string) {
    // tsserver opens a jsconfig.json with these defaults (allowJs among them); a tsconfig with none.
    const defaults: TS.CompilerOptions = basename(configPath) === 'jsconfig.json' ? { allowJs: true, maxNodeModuleJsDepth: 2, allowSyntheticDefaultImports: true, skipLibCheck: true, noEmit: true } : {};
    const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined };
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, defaults, host);
    if (!parsed) throw new Error(`${configPath}: not a readable project file`);
    this.files = parsed.fileNames;
    const options = parsed.options;
    const read = (f: string): string | undefined => {
      if (!this.texts.has(f)) this.texts.set(f, existsSync(f) && statSync(f).isFile() ? readFileSync(f, 'utf8') : undefined);
      return this.texts.get(f);
    };
    const lsHost: TS.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => this.files,
      getScriptVersion: () => '1',
      getScriptSnapshot: (f) => {
        const t = read(f);
        return t === undefined ? undefined : ts.ScriptSnapshot.fromString(t);
      },
      getCurrentDirectory: () => dirname(configPath),
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (f) => read(f) !== undefined,
      readFile: read,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      getProjectReferences: () => parsed.projectReferences,
    };
    this.service = ts.createLanguageService(lsHost, ts.createDocumentRegistry());
  }

  private sourceFile(abs: string): TS.SourceFile | undefined {
    return this.service.getProgram()?.getSourceFile(abs);
  }

  /** Call and construct sites of the symbol named at (abs, 0-based line, character), in file and line order. */
  callSites(abs: string, line: number, character: number): OracleSite[] {
    const ts = this.ts;
    const sf = this.sourceFile(abs);
    if (!sf) return [];
    const sites = new Map<string, OracleSite>();
    const add = (file: TS.SourceFile, node: TS.Node): void => {
      const start = node.getStart(file);
      const key = `${file.fileName}:${start}`;
      if (sites.has(key)) return;
      const path = relative(this.root, file.fileName);
      sites.set(key, { path, line: file.getLineAndCharacterOfPosition(start).line + 1, caller: callerKey(ts, file, node, path) });
    };
    const refs = this.service.findReferences(abs, sf.getPositionOfLineAndCharacter(line, character)) ?? [];
    for (const group of refs) {
      for (const ref of group.references) {
        if (ref.isDefinition) continue;
        const file = this.sourceFile(ref.fileName);
        const node = file && nodeAt(ts, file, ref.textSpan.start);
        if (!file || !node) continue;
        const use = useOf(ts, node);
        if (use.kind === 'call') add(file, node);
        else if (use.kind === 'extends') for (const s of use.superCalls) add(file, s);
        else if (use.kind === 'alias') {
          const local = this.service.findReferences(file.fileName, use.name.getStart(file)) ?? [];
          for (const g of local) for (const r of g.references) {
            if (r.fileName !== file.fileName || r.isDefinition) continue;
            const n = nodeAt(ts, file, r.textSpan.start);
            if (n && useOf(ts, n).kind === 'call') add(file, n);
          }
        }
      }
    }
    return [...sites.values()].sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  }

  dispose(): void {
    this.service.dispose();
  }
}

function nodeAt(ts: typeof TS, sf: TS.SourceFile, pos: number): TS.Node | undefined {
  let found: TS.Node | undefined;
  const visit = (n: TS.Node): void => {
    if (pos < n.getStart(sf) || pos >= n.getEnd()) return;
    found = n;
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(sf, visit);
  return found && (ts.isIdentifier(found) || ts.isPrivateIdentifier(found)) ? found : undefined;
}

type Use = { kind: 'call' } | { kind: 'extends'; superCalls: TS.Node[] } | { kind: 'alias'; name: TS.Identifier } | { kind: 'other' };

function useOf(ts: typeof TS, node: TS.Node): Use {
  const parent = node.parent;
  if (ts.isBindingElement(parent) && (parent.propertyName === node || (!parent.propertyName && parent.name === node)) && ts.isIdentifier(parent.name)) return { kind: 'alias', name: parent.name };
  let e: TS.Node = node;
  for (;;) {
    const p = e.parent;
    const through = (ts.isPropertyAccessExpression(p) && p.name === e) || (ts.isElementAccessExpression(p) && p.argumentExpression === e) ||
      ts.isParenthesizedExpression(p) || ts.isNonNullExpression(p) || ts.isAsExpression(p) || ts.isTypeAssertionExpression(p) || ts.isSatisfiesExpression(p);
    if (!through) break;
    e = p;
  }
  const p = e.parent;
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression === e) return { kind: 'call' };
  if ((ts.isTaggedTemplateExpression(p) && p.tag === e) || (ts.isDecorator(p) && p.expression === e)) return { kind: 'call' };
  if ((ts.isJsxOpeningElement(p) || ts.isJsxSelfClosingElement(p)) && p.tagName === e) return { kind: 'call' };
  if (ts.isPropertyAccessExpression(p) && p.expression === e && ['call', 'apply'].includes(p.name.text) && ts.isCallExpression(p.parent) && p.parent.expression === p) return { kind: 'call' };
  if (ts.isExpressionWithTypeArguments(p) && ts.isHeritageClause(p.parent) && p.parent.token === ts.SyntaxKind.ExtendsKeyword && ts.isClassLike(p.parent.parent)) {
    const ctor = p.parent.parent.members.find((m): m is TS.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
    const superCalls: TS.Node[] = [];
    const visit = (n: TS.Node): void => {
      if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.SuperKeyword) superCalls.push(n.expression);
      if (!ts.isFunctionLike(n) && !ts.isClassLike(n)) ts.forEachChild(n, visit);
    };
    if (ctor?.body) ts.forEachChild(ctor.body, visit);
    return { kind: 'extends', superCalls };
  }
  if (ts.isVariableDeclaration(p) && p.initializer === e && ts.isIdentifier(p.name)) return { kind: 'alias', name: p.name };
  return { kind: 'other' };
}

/** TypeScript's isValidCallHierarchyDeclaration (services/callHierarchy.ts), restated. */
function isCallerDeclaration(ts: typeof TS, n: TS.Node): boolean {
  if (ts.isModuleDeclaration(n)) return ts.isIdentifier(n.name);
  if (ts.isFunctionDeclaration(n) || ts.isClassDeclaration(n) || ts.isClassStaticBlockDeclaration(n) || ts.isMethodDeclaration(n) || ts.isMethodSignature(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n)) return true;
  if ((ts.isFunctionExpression(n) || ts.isClassExpression(n)) && n.name) return true;
  const assigned = ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isClassExpression(n);
  const holder = n.parent;
  if (!assigned || !(ts.isVariableDeclaration(holder) || ts.isPropertyDeclaration(holder)) || holder.initializer !== n || !ts.isIdentifier(holder.name)) return false;
  return ts.isPropertyDeclaration(holder) || (ts.getCombinedNodeFlags(holder) & ts.NodeFlags.Const) !== 0;
}

function callerKey(ts: typeof TS, sf: TS.SourceFile, node: TS.Node, path: string): string {
  for (let n: TS.Node = node.parent; n && !ts.isSourceFile(n); n = n.parent) {
    if (!isCallerDeclaration(ts, n)) continue;
    // The item's selection: the declaration's name, the `default` keyword of an anonymous default export.
    const named = (n as TS.NamedDeclaration).name ?? (ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isClassExpression(n) ? (n.parent as TS.VariableDeclaration).name : undefined);
    const at = named ?? ts.getModifiers(n as TS.HasModifiers)?.find((m) => m.kind === ts.SyntaxKind.DefaultKeyword) ?? n;
    return `${path}#${sf.getLineAndCharacterOfPosition(at.getStart(sf)).line + 1}`;
  }
  return `${path}#top`;
}
