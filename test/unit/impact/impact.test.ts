// Call-graph impact through the real typescript-language-server on fixture projects with known
// call graphs: functions, methods, arrow functions in consts, constructors, getters, default
// exports and re-exports; removed functions at base; JavaScript without a jsconfig; the fallback;
// the requests saved (names never prepared, namespaces never searched).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeChangeSet } from '../../../src/core/analysis/analyze';
import { HunkImpact, ChangeSetImpact } from '../../../src/core/impact/impactTypes';
import { ChangeSet } from '../../../src/core/review/changeSetTypes';
import { changesCallableCode } from '../../../src/core/impact/syntaxFilter';
import { privateTreeDir } from '../../../src/core/impact/privateTree';
import { recordingLogger } from '../../helpers/recordingLogger';
import { tempRepo, cleanupRepos } from '../../helpers/repos';
import { AnalysisTimings } from '../../../src/core/analysis/analysisTimings';

const LIB = `export function helper(x: number): number {
  return x + 1;
}

export const arrow = (x: number): number => helper(x) * 2;

export class Store {
  private items: number[] = [];
  constructor(seed: number) {
    this.items.push(helper(seed));
  }
  get size(): number {
    return this.items.length;
  }
  add(x: number): void {
    this.items.push(arrow(x));
  }
}

export default function main(): number {
  return new Store(1).size;
}
`;
const INDEX = `export { helper as publicHelper, Store } from './lib';
`;
const APP = `import main, { arrow, Store } from './lib';
import { publicHelper } from './index';

export function run(): number {
  const s = new Store(2);
  s.add(3);
  return main() + publicHelper(4) + s.size + arrow(1);
}

function unused(): number {
  return arrow(5);
}
`;
const TEST = `import { run } from '../src/app';
describe('run', () => {
  it('runs', () => { run(); });
});
`;

function impactOf(cs: ChangeSet, path: string, i = 0): HunkImpact {
  const f = cs.files.find((x) => x.path === path);
  assert.ok(f, `no change in ${path}`);
  return f.hunks[i].impact as HunkImpact;
}
/** A logger that keeps its info and trace lines: servers started (`… ready in N ms for …`), git processes run. */
const serverStarts = () => { const log = recordingLogger(); return Object.assign(log, { started: () => log.count(/ ready in \d+ ms for /) }); };
const names = (m: HunkImpact, depth?: number) => [...new Set(m.callers.filter((c) => depth === undefined || c.depth === depth).map((c) => c.name))].sort();

describe('call-graph impact (typescript-language-server)', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  it('finds direct and transitive callers of changed functions, methods, constructors and getters', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'tsconfig.json': '{"compilerOptions":{"strict":true,"module":"commonjs"},"include":["src","test"]}', 'src/lib.ts': LIB, 'src/index.ts': INDEX, 'src/app.ts': APP, 'test/app.test.ts': TEST } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'change', files: { 'src/lib.ts': LIB.replace('return x + 1;', 'return x + 2;').replace('return this.items.length;', 'return this.items.length + 0;').replace('this.items.push(helper(seed));', 'this.items.push(helper(seed), 0);') } });
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false } });
    const helper = impactOf(cs, 'src/lib.ts', 0);
    assert.equal(helper.source, 'lsp');
    assert.deepEqual(helper.symbols.map((s) => [s.name, s.kind, s.line]), [['helper', 'function', 1]]);
    assert.deepEqual(names(helper, 1), ['Store', 'arrow', 'run']);
    assert.ok(names(helper).includes('add'), 'arrow is called by Store.add');
    assert.ok(helper.callers.some((c) => c.isTest && c.topLevel && c.path === 'test/app.test.ts'), 'the test reaches it');
    assert.ok(helper.entryPoints.some((e) => e.kind === 'exported-api' && e.name === 'helper'));
    assert.ok(helper.entryPoints.some((e) => e.kind === 'test'));
    assert.deepEqual(helper.dirs, ['src', 'test']);
    assert.equal(helper.truncated, false);
    // The constructor and the getter hunks.
    const all = cs.files[0].hunks.map((h) => h.impact as HunkImpact);
    const ctor = all.find((m) => m.symbols.some((s) => s.kind === 'constructor' || s.name === 'Store'))!;
    assert.ok(ctor, JSON.stringify(all.map((m) => m.symbols)));
    assert.ok(names(ctor).includes('run') || names(ctor).includes('main'));
    const getter = all.find((m) => m.symbols.some((s) => s.name === 'size'))!;
    assert.deepEqual(names(getter, 1), ['main', 'run']);
    const pr = cs.impact as ChangeSetImpact;
    assert.ok(pr.callers >= 5);
    assert.equal(pr.approximate, false);
  });

  it('finds the callers of a removed function at the base', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'tsconfig.json': '{"include":["src"]}', 'src/lib.ts': LIB, 'src/app.ts': APP, 'src/index.ts': INDEX } });
    await r.branch('feature');
    await r.checkout('feature');
    const without = LIB.replace(/export const arrow = [^\n]*\n\n/, '');
    await r.commit({ message: 'remove arrow', files: { 'src/lib.ts': without } });
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false } });
    const m = impactOf(cs, 'src/lib.ts');
    assert.deepEqual(m.symbols.map((s) => [s.name, s.side]), [['arrow', 'base']]);
    assert.deepEqual(names(m, 1), ['add', 'run', 'unused']);
  });

  it('leaves folders with a project file of their own out of the jsconfig it adds', async () => {
    const r = await tempRepo();
    const lib = "function total(xs) {\n  return xs.reduce((a, b) => a + b, 0);\n}\nmodule.exports = { total };\n";
    const use = "const { total } = require('./lib');\nfunction report(xs) {\n  return 'sum ' + total(xs);\n}\nmodule.exports = { report };\n";
    // A package with its own project, whose tests that project leaves out: they are no part of the root's project either.
    const pkg = { 'packages/p/tsconfig.json': '{"include":["src"]}', 'packages/p/src/p.ts': 'export const p = 1;\n', 'packages/p/test/p.test.ts': "import { p } from '../src/p';\nexport const q = () => p;\n" };
    await r.commit({ message: 'base', files: { 'lib.js': lib, 'use.js': use, ...pkg } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'change', files: { 'lib.js': lib.replace('0);', '0) || 0;') } });
    await r.checkout('main');
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false } });
    assert.deepEqual(names(impactOf(cs, 'lib.js'), 1), ['report']);
    const jsconfig = JSON.parse(readFileSync(join(privateTreeDir(join(r.dir, '.git'), cs.headCommit), 'jsconfig.json'), 'utf8')) as { exclude: string[] };
    assert.deepEqual(jsconfig.exclude, ['node_modules', '**/node_modules', 'packages/p']);
  });

  it('works on plain JavaScript without a jsconfig, in a private tree', async () => {
    const r = await tempRepo();
    const lib = "function total(xs) {\n  return xs.reduce((a, b) => a + b, 0);\n}\nmodule.exports = { total };\n";
    const use = "const { total } = require('./lib');\nfunction report(xs) {\n  return 'sum ' + total(xs);\n}\nmodule.exports = { report };\n";
    await r.commit({ message: 'base', files: { 'lib.js': lib, 'use.js': use } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'change', files: { 'lib.js': lib.replace('0);', '0) || 0;') } });
    await r.checkout('main');
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false } });
    const m = impactOf(cs, 'lib.js');
    assert.deepEqual(m.symbols.map((s) => s.name), ['total']);
    assert.deepEqual(names(m, 1), ['report']);
    assert.equal(existsSync(join(r.dir, 'jsconfig.json')), false, "the reviewer's tree is not written");
    assert.ok(existsSync(join(privateTreeDir(join(r.dir, '.git'), cs.headCommit), 'jsconfig.json')));
    // The head moves: the next review gets a fresh tree and the old one is cleaned up.
    await r.checkout('feature');
    await r.commit({ message: 'more', files: { 'lib.js': lib.replace('0);', '1);') } });
    await r.checkout('main');
    const next = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false } });
    assert.ok(existsSync(privateTreeDir(join(r.dir, '.git'), next.headCommit)));
    assert.equal(existsSync(privateTreeDir(join(r.dir, '.git'), cs.headCommit)), false);
    // Two hunks of one function confirm its CommonJS callers with one text search between them.
    const long = lib.replace('  return', `${Array.from({ length: 10 }, (_, i) => `  const v${i} = ${i};`).join('\n')}\n  return`);
    const r2 = await tempRepo();
    await r2.commit({ message: 'base', files: { 'lib.js': long, 'use.js': use } });
    await r2.branch('feature');
    await r2.checkout('feature');
    await r2.commit({ message: 'two hunks', files: { 'lib.js': long.replace('const v0 = 0;', 'const v0 = 10;').replace('0);', '2);') } });
    const log = serverStarts();
    const two = await analyzeChangeSet({ repo: r2.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false }, logger: log });
    const hunks = two.files.find((f) => f.path === 'lib.js')!.hunks.map((h) => h.impact as HunkImpact);
    assert.equal(hunks.length, 2);
    for (const h of hunks) assert.deepEqual([h.symbols.map((x) => x.name), names(h, 1)], [['total'], ['report']]);
    assert.equal(log.count(/^git grep /), 1);
  });

  it('asks the server to prepare only names it can prepare: the locals of a changed function are skipped before any request', async () => {
    const r = await tempRepo();
    const lib = (k: number) =>
      `export function total(xs: number[]): number {\n${Array.from({ length: 12 }, (_, i) => `  const v${i} = xs[${i}] * ${k};\n`).join('')}  return ${Array.from({ length: 12 }, (_, i) => `v${i}`).join(' + ')};\n}\n`;
    await r.commit({ message: 'base', files: { 'tsconfig.json': '{"include":["src"]}', 'src/lib.ts': lib(1), 'src/app.ts': "import { total } from './lib';\n\nexport function report(): number {\n  return total([1, 2]);\n}\n" } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'scale', files: { 'src/lib.ts': lib(2) } });
    const log = serverStarts();
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false }, logger: log });
    const [h] = cs.files.find((f) => f.path === 'src/lib.ts')!.hunks.map((x) => x.impact as HunkImpact);
    assert.deepEqual([h.symbols.map((x) => x.name), names(h, 1)], [['total'], ['report']]);
    // Twelve changed locals used to cost twelve prepares answered with nothing before `total`'s own.
    assert.equal(log.count(/^lsp textDocument\/prepareCallHierarchy /), 1);
  });

  it('searches no references of a changed namespace that merges with nothing callable; one merged with a const arrow keeps them', async () => {
    const r = await tempRepo();
    const scenarios = (policy: string, k: number, t: string) =>
      `export const client = { query: (o: { policy: string }) => o.policy };\n\nnamespace cases {\n  export namespace policy {\n    export const all = client.query({ policy: '${policy}' });\n  }\n}\n\nexport { cases as scenarios };\n${'\n// apart\n'.repeat(4)}\nexport const make = (): number => ${k};\nexport namespace make { export type T = ${t}; }\n`;
    const use = "import { scenarios, make } from './scenarios';\n\nexport function read(): string {\n  return scenarios.policy.all;\n}\n\nexport function build(): number {\n  return make();\n}\n";
    await r.commit({ message: 'base', files: { 'tsconfig.json': '{"include":["src"]}', 'src/scenarios.ts': scenarios('all', 1, 'number'), 'src/use.ts': use } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'change', files: { 'src/scenarios.ts': scenarios('none', 2, 'string') } });
    const log = serverStarts();
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false }, logger: log });
    const [inCases, merged] = cs.files.find((f) => f.path === 'src/scenarios.ts')!.hunks.map((x) => x.impact as HunkImpact);
    assert.deepEqual([inCases.symbols.map((s) => `${s.name} ${s.kind}`), names(inCases)], [['policy module'], []]);
    assert.deepEqual([merged.symbols.map((s) => `${s.name} ${s.kind}`), names(merged, 1)], [['make constant', 'make module'], ['build']]);
    // Both namespaces are asked for their declarations; only `make`, merged with a const, has more
    // than namespaces, so only it and the const are searched (three searches before, one per root).
    assert.equal(log.count(/^lsp textDocument\/definition /), 2);
    assert.equal(log.count(/^lsp textDocument\/references /), 2);
  });

  it('does not start a server for hunks that change only imports, types and data', async () => {
    const r = await tempRepo();
    const app = "import { a } from './a';\n\nexport interface Opts {\n  n: number;\n}\n\nexport const LIMITS = {\n  max: 3,\n};\n\nexport function use(o: Opts): number {\n  return a(o.n);\n}\n";
    await r.commit({ message: 'base', files: { 'tsconfig.json': '{"include":["src"]}', 'src/a.ts': 'export const a = (n: number) => n;\nexport const b = a;\n', 'src/app.ts': app } });
    await r.branch('feature');
    await r.checkout('feature');
    const changed = app.replace("import { a } from './a';", "import { a, b } from './a';").replace('  n: number;', '  n: number;\n  m?: number;').replace('max: 3', 'max: 4');
    await r.commit({ message: 'data only', files: { 'src/app.ts': changed } });
    const log = serverStarts();
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false }, logger: log });
    const hunks = cs.files[0].hunks.map((h) => h.impact as HunkImpact);
    assert.ok(hunks.length >= 1);
    for (const m of hunks) {
      assert.equal(m.source, 'lsp');
      assert.equal(m.approximate, false);
      assert.deepEqual(m.symbols, []);
    }
    // Which server ran is the run's (timings), not the analysis's.
    assert.equal((cs.timings as AnalysisTimings).passes.impact.server, undefined, 'no server answered');
    assert.equal(log.started(), 0, 'no language server was started');
    // The pre-check itself: data, imports and types are inert; functions, methods, arrows in calls,
    // classes and namespaces are not.
    assert.equal(changesCallableCode(changed, 'src/app.ts', [1, 4, 8, 10]), false);
    assert.equal(changesCallableCode(changed, 'src/app.ts', [13]), true);
    const js = "const x = { m() {\n  return 1;\n} };\ndescribe('t', () => {\n  it('works', () => {});\n});\nclass K {\n  f = 1;\n}\nnamespace N {\n  export const v = 1;\n}\n";
    assert.equal(changesCallableCode(js, 'x.ts', [2]), true, 'object-literal method');
    assert.equal(changesCallableCode(js, 'x.ts', [5]), true, 'callback in a call (next test)');
    assert.equal(changesCallableCode(js, 'x.ts', [8]), true, 'class member');
    assert.equal(changesCallableCode(js, 'x.ts', [11]), true, 'namespace');
    assert.equal(changesCallableCode('x = 1\n', 'a.py', [1]), true, 'other languages are never filtered');
  });

  it('opens a changed spec file whose hunks only change test callbacks: its project holds the tests that call the other changed code', async () => {
    // The spec file is in no project file's include, so only opening it gives tsserver the (inferred)
    // project in which helper's test caller is found. Skipping files like it because tsserver prepares
    // no call hierarchy for an arrow handed to a call saved vite's 15-file fix 2 s, and lost exactly this caller.
    const r = await tempRepo();
    const spec = (n: number) => `import { helper } from '../src/lib';\ndeclare function test(name: string, fn: () => void): void;\ntest('helper', () => {\n  helper(${n});\n});\n`;
    await r.commit({ message: 'base', files: { 'tsconfig.json': '{"include":["src"]}', 'src/lib.ts': 'export function helper(x: number): number {\n  return x + 1;\n}\n', 'test/lib.spec.ts': spec(1) } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'change', files: { 'src/lib.ts': 'export function helper(x: number): number {\n  return x + 2;\n}\n', 'test/lib.spec.ts': spec(2) } });
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false } });
    assert.deepEqual(impactOf(cs, 'src/lib.ts').callers.map((c) => [c.name, c.isTest]), [['top-level code of test/lib.spec.ts', true]]);
    assert.deepEqual(impactOf(cs, 'test/lib.spec.ts').symbols, []);
  });

  it('falls back to a labelled text search when no server handles the language', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'a.py': 'def area(r):\n    return 3 * r\n', 'b.py': 'from a import area\n\nprint(area(2))\n' } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'change', files: { 'a.py': 'def area(r):\n    return 3.14 * r * r\n' } });
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false } });
    const m = impactOf(cs, 'a.py');
    assert.equal(m.approximate, true);
    assert.equal(m.source, 'text');
    assert.deepEqual(m.callers.map((c) => [c.path, c.line]), [['b.py', 1], ['b.py', 3]]);
    assert.match(m.note!, /no language server for .py files/);
    assert.equal((cs.impact as ChangeSetImpact).approximate, true);
  });

  it('survives a server that cannot start: one retry, then the fallback with the reason', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'tsconfig.json': '{}', 'src/lib.ts': LIB, 'src/app.ts': APP, 'src/index.ts': INDEX } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'change', files: { 'src/lib.ts': LIB.replace('return x + 1;', 'return x + 3;') } });
    const cs = await analyzeChangeSet({
      repo: r.dir, base: 'main', head: 'feature', history: false,
      impact: { useCache: false, servers: [{ extensions: ['.ts'], command: '/nonexistent/language-server', languageId: 'typescript' }] },
    });
    const m = impactOf(cs, 'src/lib.ts');
    assert.equal(m.approximate, true);
    assert.match(m.note!, /failed/);
    assert.ok(m.callers.some((c) => c.path === 'src/index.ts'), 'the re-export mentions helper');
    assert.ok(!m.callers.some((c) => c.path === 'src/lib.ts' && c.line === 1), 'the declaration itself is not a caller');
  });
});
