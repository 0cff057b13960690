// Recall and precision of our direct callers (ImpactSession at depth 1, as `analyze` reports them for
// a changed symbol) against the oracle of callerOracle.ts, per kind (function, method, constructor)
// and per repository, on a seeded sample of one tsconfig project's non-test source symbols.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type * as TS from 'typescript';
import { ImpactSession, DEFAULT_IMPACT_OPTIONS } from '../src/core/impact/impactSession';
import { HunkImpact } from '../src/core/impact/impactTypes';
import { parseSource, typescript, TS_FILE } from '../src/core/impact/syntaxFilter';
import { ChangedFile, Hunk } from '../src/core/review/changeSetTypes';
import { isTestPath } from '../src/core/risk/riskInputs';
import { seededRandom } from '../src/core/seededRandom';
import { OracleProject, nearestProject } from './callerOracle';

export type Kind = 'function' | 'method' | 'constructor';
export const KINDS: Kind[] = ['function', 'method', 'constructor'];

interface Sample {
  kind: Kind;
  name: string;
  /** Path relative to the tree. */
  path: string;
  /** 0-based line and character of the name the oracle asks about (the class name for a constructor). */
  at: { line: number; character: number };
  /** 1-based line our symbol is reported at (its name; `constructor` for a constructor). */
  line: number;
  /** 1-based line the synthetic hunk changes: the first line of the function, method or constructor. */
  changed: number;
}

export interface KindFigures {
  symbols: number;
  /** Symbols our session did not prepare as the sampled declaration (left out of the comparison). */
  notPrepared: string[];
  callers: { oracle: number; ours: number; matched: number; recall: number | null; precision: number | null };
  sites: { oracle: number; ours: number; matched: number; recall: number | null; precision: number | null };
  /** Callers the oracle has and we do not: `caller (call at file:line) ← symbol file:line`. */
  misses: string[];
  /** Callers we report that the oracle does not have. */
  falsePositives: string[];
}

export interface RepoFigures {
  repo: string;
  commit: string;
  project: string;
  projectFiles: number;
  candidates: Record<Kind, number>;
  ms: number;
  kinds: Record<Kind, KindFigures>;
}

export const COVERS =
  'direct callers (depth 1) of sampled non-test functions, methods and constructors of one tsconfig project per repository (named, or the one with most source files), ' +
  'ours from ImpactSession.hunkImpact on a one-line change at the first line of the function, the oracle from TypeScript LanguageService findReferences on the same private analysis tree and project file ' +
  '(tests included on both sides exactly when the project includes them), kept to call/new/tagged-template/decorator/JSX/.call/.apply sites, super(...) of subclasses for constructors ' +
  'and the calls of a local alias in its file; a caller is its enclosing declaration as the call hierarchy names it (TypeScript isValidCallHierarchyDeclaration) or the file top level';

const ratio = (a: number, b: number): number | null => (b ? +(a / b).toFixed(3) : null);

/** The symbols of one file that the bench samples, by kind. */
function symbolsOf(ts: typeof TS, sf: TS.SourceFile, path: string): Sample[] {
  const out: Sample[] = [];
  const pos = (n: TS.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf));
  const push = (kind: Kind, name: string, nameNode: TS.Node, reported: TS.Node, fn: TS.Node) =>
    out.push({ kind, name, path, at: pos(nameNode), line: pos(reported).line + 1, changed: pos(fn).line + 1 });
  const visit = (n: TS.Node): void => {
    if (ts.isFunctionDeclaration(n) && n.name && n.body) push('function', n.name.text, n.name, n.name, n);
    else if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.initializer && (ts.isArrowFunction(n.initializer) || ts.isFunctionExpression(n.initializer)) && (ts.getCombinedNodeFlags(n) & ts.NodeFlags.Const)) push('function', n.name.text, n.name, n.name, n.initializer);
    else if (ts.isMethodDeclaration(n) && n.body && ts.isClassLike(n.parent) && (ts.isIdentifier(n.name) || ts.isPrivateIdentifier(n.name))) push('method', n.name.text, n.name, n.name, n);
    else if (ts.isConstructorDeclaration(n) && n.body && ts.isClassDeclaration(n.parent) && n.parent.name) push('constructor', n.parent.name.text, n.parent.name, n, n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function shuffled<T>(xs: T[], seed: number): T[] {
  const rnd = seededRandom(seed);
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** A one-line change at the sample's first line, as a change set would carry it. */
function syntheticChange(s: Sample, text: string): { file: ChangedFile; hunk: Hunk } {
  const hunk: Hunk = { id: `${s.path}:${s.changed}`, oldStart: s.changed, oldLines: 0, newStart: s.changed, newLines: 1, header: `@@ -${s.changed},0 +${s.changed},1 @@`, section: '', lines: [`+${text}`], added: 1, removed: 0 };
  const file: ChangedFile = { path: s.path, oldPath: null, status: 'modified', similarity: null, kind: 'text', binary: false, oldMode: '100644', newMode: '100644', oldOid: null, newOid: null, additions: 1, deletions: 0, tooLarge: false, encoding: 'utf8', hunks: [hunk] };
  return { file, hunk };
}

/**
 * Runs the comparison on one repository at `commit` with `perKind` symbols of each kind, in the
 * project file `project` (relative to the tree), or the one most source files belong to.
 */
export async function callerAccuracy(repo: string, commit: string, project: string | null, perKind: number, seed: number, log: (s: string) => void): Promise<RepoFigures> {
  const ts = typescript();
  if (!ts) throw new Error('typescript is not installed');
  const t0 = performance.now();
  const ctx = { cwd: repo };
  const session = new ImpactSession(ctx, { ...DEFAULT_IMPACT_OPTIONS, maxDepth: 1, maxNodes: 100_000 }, undefined, false);
  try {
    const root = (await session.tree(commit)).path;
    const tracked = execFileSync('git', ['ls-tree', '-r', '--name-only', '-z', commit], { cwd: repo, maxBuffer: 1 << 28 }).toString('utf8').split('\0');
    const sources = tracked.filter((p) => TS_FILE.test(p) && !/\.d\.[cm]?ts$/.test(p) && !isTestPath(p) && existsSync(join(root, p)));
    // One project per repository: the one most source files belong to, so both sides load the same program.
    const byProject = new Map<string, string[]>();
    for (const p of sources) {
      const cfg = nearestProject(root, join(root, p));
      if (cfg) byProject.set(cfg, [...(byProject.get(cfg) ?? []), p]);
    }
    const [config] = project ? [join(root, project)] : [...byProject.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))[0] ?? [];
    if (!config) throw new Error(`${repo}: no tsconfig.json or jsconfig.json above its source files`);
    const oracle = new OracleProject(ts, root, config);
    const inProject = new Set(oracle.files);
    const candidates: Sample[] = [];
    for (const p of (byProject.get(config) ?? []).filter((f) => inProject.has(join(root, f))).sort()) {
      candidates.push(...symbolsOf(ts, parseSource(ts, readFileSync(join(root, p), 'utf8'), p), p));
    }
    const kinds = {} as Record<Kind, KindFigures>;
    const counts = {} as Record<Kind, number>;
    for (const kind of KINDS) {
      const all = candidates.filter((c) => c.kind === kind);
      counts[kind] = all.length;
      const sample = shuffled(all, seed).slice(0, perKind);
      const f: KindFigures = { symbols: sample.length, notPrepared: [], callers: { oracle: 0, ours: 0, matched: 0, recall: null, precision: null }, sites: { oracle: 0, ours: 0, matched: 0, recall: null, precision: null }, misses: [], falsePositives: [] };
      for (const s of sample) {
        const where = `${s.name} ${s.path}:${s.at.line + 1}`;
        const text = readFileSync(join(root, s.path), 'utf8').split('\n')[s.changed - 1] ?? '';
        const { file, hunk } = syntheticChange(s, text);
        const m: HunkImpact = await session.hunkImpact(file, hunk, commit, commit);
        if (m.source !== 'lsp' || !m.symbols.some((x) => x.name === (kind === 'constructor' ? 'constructor' : s.name) && x.line === s.line)) {
          f.notPrepared.push(`${where} (${m.source}: ${m.symbols.map((x) => `${x.name}@${x.line}`).join(', ') || 'no symbol'})`);
          continue;
        }
        const ours = new Map(m.directCallers.map((c) => [`${c.path}#${c.topLevel ? 'top' : c.line}`, c]));
        const ourSites = new Set(m.directCallers.flatMap((c) => c.callLines.map((l) => `${c.path}:${l}`)));
        const theirs = oracle.callSites(join(root, s.path), s.at.line, s.at.character);
        const theirCallers = new Map<string, string>();
        for (const t of theirs) if (!theirCallers.has(t.caller)) theirCallers.set(t.caller, `${t.path}:${t.line}`);
        const theirSites = new Set(theirs.map((t) => `${t.path}:${t.line}`));
        f.callers.oracle += theirCallers.size;
        f.callers.ours += ours.size;
        f.sites.oracle += theirSites.size;
        f.sites.ours += ourSites.size;
        for (const [k, at] of theirCallers) {
          if (ours.has(k)) f.callers.matched++;
          else f.misses.push(`${k} (call at ${at}) <- ${where}`);
        }
        for (const [k, c] of ours) if (!theirCallers.has(k)) f.falsePositives.push(`${k} (call at ${c.path}:${c.callLines.join(',')}) <- ${where}`);
        for (const x of theirSites) if (ourSites.has(x)) f.sites.matched++;
      }
      f.callers.recall = ratio(f.callers.matched, f.callers.oracle);
      f.callers.precision = ratio(f.callers.matched, f.callers.ours);
      f.sites.recall = ratio(f.sites.matched, f.sites.oracle);
      f.sites.precision = ratio(f.sites.matched, f.sites.ours);
      kinds[kind] = f;
      log(`  ${repo} ${kind}: ${f.symbols} symbols, callers recall ${f.callers.recall} precision ${f.callers.precision} (${f.callers.matched}/${f.callers.oracle} oracle, ${f.callers.ours} ours), ${f.notPrepared.length} not prepared`);
    }
    oracle.dispose();
    return { repo, commit, project: relative(root, config), projectFiles: oracle.files.length, candidates: counts, ms: Math.round(performance.now() - t0), kinds };
  } finally {
    await session.dispose();
  }
}
