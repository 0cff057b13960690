// Complete callers (issue #16), each defect reproduced on a fixture first, with the real
// typescript-language-server:
// a changed constructor's subclasses' super() calls and `new` in tests; a function reached through
// a chain of re-exports; a config function called at the top level of an entry file and through a
// destructured dynamic import; call lines that are calls (a function passed as a value is not); and
// a call confirmed through CommonJS exports named by the method around it.
import assert from 'node:assert/strict';
import { analyzeChangeSet } from '../../../src/core/analysis/analyze';
import { HunkImpact, CallerRef } from '../../../src/core/impact/impactTypes';
import { ChangeSet } from '../../../src/core/review/changeSetTypes';
import { cleanupRepos, tempRepo } from '../../helpers/repos';

const TSCONFIG = '{"compilerOptions":{"strict":true,"module":"commonjs","target":"es2022"},"include":["src","test"]}';

/** A repository whose feature branch applies `change` to the base files, analysed; `line` reads a head line from git. */
async function changed(files: Record<string, string>, change: Record<string, string>, project: Record<string, string> = { 'tsconfig.json': TSCONFIG }): Promise<ChangeSet & { line(path: string, n: number): Promise<string> }> {
  const r = await tempRepo();
  await r.commit({ message: 'base', files: { ...project, ...files } });
  await r.branch('feature');
  await r.checkout('feature');
  await r.commit({ message: 'change', files: change });
  await r.checkout('main');
  const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false } });
  return Object.assign(cs, { line: async (path: string, n: number) => (await r.git('show', `feature:${path}`)).split('\n')[n - 1] ?? '' });
}

function hunkIn(cs: ChangeSet, path: string): HunkImpact {
  const f = cs.files.find((x) => x.path === path);
  assert.ok(f, `no change in ${path}`);
  return f.hunks[0].impact as HunkImpact;
}

const direct = (m: HunkImpact): string[] => m.callers.filter((c) => c.depth === 1).map((c) => `${c.path}:${c.callLines.join(',')}`).sort();
const at = (m: HunkImpact, path: string): CallerRef | undefined => m.callers.find((c) => c.path === path && c.depth === 1);

const BASE_CLASS = `export class Environment {
  readonly name: string;
  constructor(name: string) {
    this.name = name;
  }
}
`;
const SUBCLASS = (n: string) => `import { Environment } from './environment';

export class ${n}Environment extends Environment {
  constructor(name: string, readonly extra: number) {
    super(name);
  }
}
`;

describe('complete callers (tsserver)', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  it("counts the subclasses' super() calls and `new` in tests as calls of a changed constructor", async () => {
    const cs = await changed(
      {
        'src/environment.ts': BASE_CLASS,
        'src/dev.ts': SUBCLASS('Dev'),
        'src/build.ts': SUBCLASS('Build'),
        'src/scan.ts': SUBCLASS('Scan'),
        'test/environment.test.ts': "import { Environment } from '../src/environment';\n\ndescribe('env', () => {\n  it('names', () => {\n    const e = new Environment('a');\n    expect(new Environment('b').name).toBe('b');\n  });\n});\n",
      },
      { 'src/environment.ts': BASE_CLASS.replace('this.name = name;', 'this.name = name.trim();') },
    );
    const m = hunkIn(cs, 'src/environment.ts');
    assert.deepEqual(m.symbols.map((s) => [s.name, s.kind]), [['constructor', 'constructor']]);
    assert.deepEqual(direct(m), ['src/build.ts:5', 'src/dev.ts:5', 'src/scan.ts:5', 'test/environment.test.ts:5,6']);
    assert.ok(at(m, 'test/environment.test.ts')!.isTest);
  });

  it('follows a chain of re-exports to the caller', async () => {
    const cs = await changed(
      {
        'src/lib.ts': 'export function parseConfig(text: string): string[] {\n  return text.split(",");\n}\n',
        'src/index.ts': "export { parseConfig as readConfig } from './lib';\n",
        'src/api.ts': "export * from './index';\n",
        'src/app.ts': "import { readConfig } from './api';\n\nexport function start(): number {\n  return readConfig('a,b').length;\n}\n",
      },
      { 'src/lib.ts': 'export function parseConfig(text: string): string[] {\n  return text.split(",").map((s) => s.trim());\n}\n' },
    );
    const m = hunkIn(cs, 'src/lib.ts');
    assert.deepEqual(direct(m), ['src/app.ts:4']);
    assert.equal(at(m, 'src/app.ts')!.name, 'start');
  });

  it('finds the calls of an entry file: at its top level and through a destructured dynamic import', async () => {
    const config = 'export async function loadConfig(root: string): Promise<string> {\n  return root;\n}\n';
    const cs = await changed(
      {
        'src/config.ts': config,
        'src/cli.ts': "import { loadConfig } from './config';\n\nvoid loadConfig(process.cwd());\n\nconst commands = { build: async (root: string) => {\n  const { loadConfig: load } = await import('./config');\n  return load(root);\n} };\nexport { commands };\n",
        'src/server.ts': "export async function serve(root: string): Promise<void> {\n  const { loadConfig } = await import('./config');\n  await loadConfig(root);\n}\n",
      },
      { 'src/config.ts': config.replace('return root;', 'return root.trim();') },
    );
    const m = hunkIn(cs, 'src/config.ts');
    assert.deepEqual(direct(m), ['src/cli.ts:3,7', 'src/server.ts:3'].sort());
    assert.equal(at(m, 'src/server.ts')!.name, 'serve');
  });

  it('gives only lines that call: a function passed as a value or read as a property is no call', async () => {
    const lib = 'export function double(x: number): number {\n  return x * 2;\n}\n';
    const use = [
      "import * as lib from './lib';",
      "import { double } from './lib';",
      '',
      'export function all(xs: number[]): number[] {',
      '  const f = lib.double;',
      '  const ys = xs.map(double);',
      '  return ys.concat([f(1)]);',
      '}',
      '',
      'export function one(): number {',
      '  return double(2) + lib.double(3);',
      '}',
      '',
    ].join('\n');
    const cs = await changed({ 'src/lib.ts': lib, 'src/use.ts': use }, { 'src/lib.ts': lib.replace('x * 2', 'x + x') });
    const m = hunkIn(cs, 'src/lib.ts');
    assert.deepEqual(direct(m), ['src/use.ts:11', 'src/use.ts:7'], JSON.stringify(m.callers));
    for (const c of m.callers) {
      for (const n of c.callLines) assert.match(await cs.line(c.path, n), /\b(double|f)\(/, `${c.path}:${n} has no call`);
    }
  });
  it('finds the calls of a class merged with a namespace (its options type): new in a factory arrow and a test, super() of a subclass, a call inside the class', async () => {
    const link = [
      'export declare namespace HttpLink {',
      '  interface Options {',
      '    uri?: string;',
      '  }',
      '}',
      '',
      'export class HttpLink {',
      '  readonly uri: string;',
      '  constructor(options: HttpLink.Options = {}) {',
      "    this.uri = options.uri ?? '/';",
      '  }',
      '}',
      '',
      'export const createHttpLink = (options: HttpLink.Options = {}) =>',
      '  new HttpLink(options);',
      '',
    ].join('\n');
    const batch = [
      "import { HttpLink } from './link';",
      '',
      'export declare namespace BatchLink {',
      '  interface Options extends HttpLink.Options {}',
      '}',
      '',
      'export class BatchLink extends HttpLink {',
      '  readonly inner: HttpLink;',
      '  constructor(options: BatchLink.Options = {}) {',
      "    super({ uri: '/batch' });",
      '    this.inner = new HttpLink(options);',
      '  }',
      '}',
      '',
    ].join('\n');
    const cs = await changed(
      {
        'src/link.ts': link,
        'src/batch.ts': batch,
        'test/link.test.ts': "import { HttpLink } from '../src/link';\n\nit('needs no options', () => {\n  expect(() => new HttpLink()).not.toThrow();\n});\n",
      },
      { 'src/link.ts': link.replace("options.uri ?? '/'", "options.uri ?? '/graphql'") },
    );
    const m = hunkIn(cs, 'src/link.ts');
    assert.deepEqual(direct(m), ['src/batch.ts:10,11', 'src/link.ts:15', 'test/link.test.ts:4'], JSON.stringify(m.callers));
    assert.equal(at(m, 'src/link.ts')!.name, 'createHttpLink');
    // Calls in a constructor belong to its class, named as the class (line 7), not as its namespace (line 3).
    assert.deepEqual([at(m, 'src/batch.ts')!.name, at(m, 'src/batch.ts')!.line], ['BatchLink', 7]);
  });
  it('finds the calls of a class whose namespace is also augmented in another file (the item tsserver prepares lies there)', async () => {
    const link = 'export declare namespace HttpLink {\n  interface Options {\n    uri?: string;\n  }\n}\n\nexport class HttpLink {\n  readonly uri: string;\n  constructor(options: HttpLink.Options = {}) {\n    this.uri = options.uri ?? "/";\n  }\n}\n';
    // A module augmentation, first in the program: tsserver names the merged symbol's item after it.
    const aug = "import type { HttpLink } from './link';\n\ndeclare module './link' {\n  namespace HttpLink {\n    interface Extra {\n      retries?: number;\n    }\n  }\n}\n\nexport type Link = HttpLink;\n";
    const use = "import { HttpLink } from './link';\n\nexport function make(): HttpLink {\n  return new HttpLink({ uri: '/x' });\n}\n";
    const cs = await changed({ 'src/a-aug.ts': aug, 'src/link.ts': link, 'src/use.ts': use }, { 'src/link.ts': link.replace('?? "/"', '?? "/graphql"') });
    const m = hunkIn(cs, 'src/link.ts');
    assert.equal(m.source, 'lsp', JSON.stringify(m));
    assert.deepEqual(direct(m), ['src/use.ts:4'], JSON.stringify(m.callers));
  });

  it('in plain JavaScript, names a call confirmed through CommonJS exports by the method around it, not the file top level', async () => {
    // eslint's lib/cli.js calls locateConfigFileToUse inside a method of the object literal `cli`,
    // with destructured constants on the same line; the caller was reported as cli.js's top level.
    const lib = "'use strict';\n\nasync function locate({ cwd }) {\n  return { path: cwd, base: cwd };\n}\n\nmodule.exports = { locate };\n";
    const cli = "'use strict';\n\nconst { locate } = require('./lib');\n\nconst cli = {\n  async flags(cwd) {\n    const { path, base } = await locate({ cwd });\n    return [path, base];\n  },\n};\n\nmodule.exports = cli;\n";
    const cs = await changed({ 'lib/lib.js': lib, 'lib/cli.js': cli }, { 'lib/lib.js': lib.replace('base: cwd', 'base: cwd || "."') }, {});
    const m = hunkIn(cs, 'lib/lib.js');
    assert.deepEqual(m.symbols.map((s) => s.name), ['locate']);
    assert.deepEqual(m.callers.filter((c) => c.depth === 1).map((c) => `${c.name} ${c.path}:${c.line} ${c.callLines.join(',')} ${c.topLevel}`), ['flags lib/cli.js:6 7 false']);
  });

  it('in plain JavaScript, counts no caller for a function only passed as a value (a rule listener, a sort comparator)', async () => {
    const rule = [
      "'use strict';",
      '',
      'function checkBinary(node) {',
      '  return node.left === node.right;',
      '}',
      '',
      'function compareByPath(a, b) {',
      '  return a.path < b.path ? -1 : 1;',
      '}',
      '',
      'module.exports = {',
      '  create() {',
      '    return {',
      '      BinaryExpression: checkBinary,',
      '      AssignmentExpression: checkBinary,',
      '    };',
      '  },',
      '  sorted(results) {',
      '    return results.sort(compareByPath);',
      '  },',
      '};',
      '',
    ].join('\n');
    const cs = await changed({ 'lib/rule.js': rule }, { 'lib/rule.js': rule.replace('node.left === node.right', 'node.left !== node.right').replace('a.path < b.path', 'a.path <= b.path') }, {});
    const m = hunkIn(cs, 'lib/rule.js');
    assert.deepEqual(m.symbols.map((s) => s.name).sort(), ['checkBinary', 'compareByPath']);
    assert.deepEqual(direct(m), [], JSON.stringify(m.callers));
    const f = cs.files.find((x) => x.path === 'lib/rule.js')!;
    for (const h of f.hunks) assert.deepEqual(direct(h.impact as HunkImpact), [], JSON.stringify((h.impact as HunkImpact).callers));
  });
  it('finds the callers of a change in the implementation of an overloaded function and method', async () => {
    const lib = [
      'export function pick(x: string): string;',
      'export function pick(x: number): number;',
      'export function pick(x: string | number): string | number {',
      '  return x;',
      '}',
      '',
      'export class Cache {',
      '  read(key: string): string;',
      '  read(key: number): number;',
      '  read(key: string | number): string | number {',
      '    return key;',
      '  }',
      '}',
      '',
    ].join('\n');
    const use = "import { Cache, pick } from './lib';\n\nexport function first(c: Cache): string {\n  return pick('a') + c.read('k');\n}\n\nexport function second(c: Cache): number {\n  return pick(1) + c.read(2);\n}\n";
    const cs = await changed({ 'src/lib.ts': lib, 'src/use.ts': use }, { 'src/lib.ts': lib.replace('  return x;', '  return x ?? 0;').replace('    return key;', '    return key ?? 0;') });
    const f = cs.files.find((x) => x.path === 'src/lib.ts')!;
    const all = f.hunks.map((h) => h.impact as HunkImpact);
    assert.deepEqual(all.flatMap((m) => m.symbols.map((x) => `${x.name}:${x.kind}`)).sort(), ['pick:function', 'read:method']);
    for (const m of all) assert.deepEqual(direct(m), ['src/use.ts:4', 'src/use.ts:8'], JSON.stringify(m.symbols));
  });
});
