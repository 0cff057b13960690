// What a reviewer calls a hunk: the declaration(s) its changed lines sit in ("Invoice.total",
// "computeInvoice"), from a syntax-only TypeScript parse, else the history's enclosing block, else
// git's section header, else the line range. Parsing never runs the code under review.

import type * as TS from 'typescript';
import { Hunk } from './changeSetTypes';
import { addedLines, removedLines } from './lineMap';
import { typescript } from '../impact/syntaxFilter';

export interface HunkName {
  /** What the tree and the panel show: "computeInvoice", "Invoice.total, Invoice.tax", "lines 35–41". */
  text: string;
  /** Where it came from, strongest first. */
  source: 'syntax' | 'enclosing' | 'section' | 'lines';
}

const TS_FILE = /\.(c|m)?(t|j)sx?$/i;
/** More names than this read as a list, not a name: the rest are counted. */
const MAX_NAMES = 3;

function scriptKind(ts: typeof TS, path: string): TS.ScriptKind {
  const p = path.toLowerCase();
  return p.endsWith('.tsx') ? ts.ScriptKind.TSX : p.endsWith('.jsx') ? ts.ScriptKind.JSX : /\.(c|m)?js$/.test(p) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

function isFunctionLike(ts: typeof TS, n: TS.Node): boolean {
  return (
    ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isArrowFunction(n) || ts.isMethodDeclaration(n) ||
    ts.isConstructorDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n) || ts.isClassStaticBlockDeclaration(n)
  );
}

function nodeName(ts: typeof TS, name: TS.PropertyName | TS.BindingName | undefined, sf: TS.SourceFile): string | null {
  if (!name) return null;
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) return name.text;
  return name.getText(sf);
}

/**
 * The name a node adds to the path of names, and how: a declaration ("total"), or the title of a
 * test-style callback (`it('adds VAT', () => …)` → "adds VAT"). Local variables and anonymous
 * functions add nothing; what is inside a function is named by that function.
 */
function nameOf(ts: typeof TS, n: TS.Node, sf: TS.SourceFile): { name: string; titled: boolean } | null {
  if (ts.isConstructorDeclaration(n)) return { name: 'constructor', titled: false };
  if (ts.isClassStaticBlockDeclaration(n)) return { name: 'static', titled: false };
  if (ts.isPropertyAssignment(n)) {
    // Data in an object literal is part of its variable; a function stored in a key is a member.
    const fn = ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer) || ts.isObjectLiteralExpression(n.initializer);
    return fn ? { name: nodeName(ts, n.name, sf) ?? '', titled: false } : null;
  }
  if (
    ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n) ||
    ts.isClassDeclaration(n) || ts.isClassExpression(n) || ts.isInterfaceDeclaration(n) || ts.isTypeAliasDeclaration(n) ||
    ts.isEnumDeclaration(n) || ts.isModuleDeclaration(n) || ts.isPropertyDeclaration(n) || ts.isPropertySignature(n) ||
    ts.isMethodSignature(n) || ts.isVariableDeclaration(n) || ts.isFunctionExpression(n)
  ) {
    const name = nodeName(ts, (n as TS.NamedDeclaration).name as TS.PropertyName | undefined, sf);
    return name ? { name, titled: false } : null;
  }
  if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isCallExpression(n.parent) && n.parent.arguments.includes(n as TS.Expression)) {
    const title = n.parent.arguments[0];
    if (title && (ts.isStringLiteral(title) || ts.isNoSubstitutionTemplateLiteral(title))) return { name: title.text.slice(0, 60), titled: true };
  }
  return null;
}

/**
 * Names of the innermost named declarations holding each of the 1-based `lines` of `text`,
 * qualified by what contains them ("Invoice.total", "volumeDiscount › gives 10%"); in line
 * order, without repeats, without a container beside its own members. Import and re-export lines
 * are "imports" when nothing else changed; other lines outside every declaration (top-level
 * statements) add nothing. Null when the file is not TypeScript or JavaScript, or TypeScript cannot be loaded.
 */
export function declarationNames(text: string, path: string, lines: readonly number[]): string[] | null {
  const ts = typescript();
  if (!ts || !TS_FILE.test(path)) return null;
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(ts, path));
  const lineOf = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const names: string[] = [];
  for (const line of [...new Set(lines)].sort((a, b) => a - b)) {
    let found = '';
    // 'all' outside functions; inside a test-style callback only further titled callbacks name
    // things; inside any other function nothing does (the function is the name).
    const visit = (n: TS.Node, qual: string, mode: 'all' | 'titled' | 'none'): void => {
      if (line < lineOf(n.getStart(sf)) || line > lineOf(n.getEnd())) return;
      if (mode === 'all' && !qual && (ts.isImportDeclaration(n) || ts.isImportEqualsDeclaration(n) || (ts.isExportDeclaration(n) && n.moduleSpecifier))) return void (found = 'imports');
      const own = mode === 'none' ? null : nameOf(ts, n, sf);
      const counted = own?.name && (mode === 'all' || own.titled) ? own : null;
      let here = qual;
      if (counted) found = here = qual ? `${qual}${counted.titled ? ' › ' : '.'}${counted.name}` : counted.name;
      const below = counted?.titled ? 'titled' : isFunctionLike(ts, n) ? 'none' : mode;
      ts.forEachChild(n, (c) => visit(c, here, below));
    };
    ts.forEachChild(sf, (c) => visit(c, '', 'all'));
    if (found && !names.includes(found)) names.push(found);
  }
  // A container is named by the members the hunk changes ("Tax.of", not "Tax" beside it), and the
  // imports only when nothing else changed: a new file is named by its code, not its first lines.
  const inner = names.filter((n) => !names.some((m) => m.startsWith(`${n}.`) || m.startsWith(`${n} › `)));
  return inner.some((n) => n !== 'imports') ? inner.filter((n) => n !== 'imports') : inner;
}

const DECLARATION_WORD = /\b(?:function\*?|def|func|fn|sub|proc|procedure|class|interface|struct|enum|trait|impl|module|namespace|type|macro|record|object)\s+(?:\([^)]*\)\s*)?([A-Za-z_$][\w$]*(?:(?:::|\.)[A-Za-z_$][\w$]*)*)/;
const ASSIGNED = /^\s*(?:export\s+)?(?:default\s+)?(?:const|let|var|val|static|public|private|protected|readonly|\s)*\s*([A-Za-z_$][\w$]*)\s*(?::[^=]*)?=(?!=)/;
const CALL_SHAPE = /([A-Za-z_$~][\w$]*(?:(?:::|\.)[A-Za-z_$~][\w$]*)*)\s*\(/;
const CONTROL = /^(if|for|foreach|while|switch|catch|return|else|do|try|with|elif|except|match|when|unless|until|sizeof|typeof|new|await|yield)$/;

/** The declared name in one line of source (a function signature, a class line), in any common language. */
export function nameInLine(line: string): string | null {
  const s = line.trim();
  if (!s) return null;
  const word = DECLARATION_WORD.exec(s);
  if (word) return word[1];
  const assigned = ASSIGNED.exec(s);
  if (assigned && !CONTROL.test(assigned[1])) return assigned[1];
  const call = CALL_SHAPE.exec(s);
  if (call && !CONTROL.test(call[1].split(/::|\./).pop()!)) return call[1];
  return null;
}

function joinNames(names: readonly string[]): string {
  return names.length <= MAX_NAMES ? names.join(', ') : `${names.slice(0, MAX_NAMES).join(', ')} +${names.length - MAX_NAMES}`;
}

export interface HunkNameInputs {
  path: string;
  /** Path at base when it differs (renames). */
  oldPath?: string | null;
  /** The file at head and at base (null when absent or unread): only TypeScript and JavaScript are parsed. */
  headText?: string | null;
  baseText?: string | null;
  /** The history's enclosing block's first line (hunk.history.enclosing.name), when history ran. */
  enclosing?: string | null;
}

/**
 * The hunk's name: its changed lines' declarations at head (at base for a pure deletion), else
 * the name in the history's enclosing block, else in git's section header (the nearest
 * declaration line above the hunk), else "lines a–b".
 */
export function hunkName(h: Hunk, inputs: HunkNameInputs): HunkName {
  const added = addedLines(h);
  const parsed = added.length
    ? inputs.headText != null ? declarationNames(inputs.headText, inputs.path, added) : null
    : inputs.baseText != null ? declarationNames(inputs.baseText, inputs.oldPath ?? inputs.path, removedLines(h)) : null;
  if (parsed?.length) return { text: joinNames(parsed), source: 'syntax' };
  const enclosing = inputs.enclosing ? nameInLine(inputs.enclosing) : null;
  if (enclosing) return { text: enclosing, source: 'enclosing' };
  const section = nameInLine(h.section);
  if (section) return { text: section, source: 'section' };
  const changed = added.length ? added : removedLines(h);
  const [first, last] = [changed[0] ?? h.newStart, changed[changed.length - 1] ?? h.newStart];
  const range = first === last ? `line ${first}` : `lines ${first}–${last}`;
  return { text: added.length ? range : `removed ${range}`, source: 'lines' };
}
