// The prepares skipped before the server is asked (neverPrepared.ts) are exactly ones the real
// server answers with nothing: every document symbol of files full of declarations of every kind
// is asked both ways, the real typescript-language-server being the oracle.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentSymbol, LspClient } from '../../../src/core/impact/lspClient';
import { neverPrepared } from '../../../src/core/impact/neverPrepared';
import { typescriptServer } from '../../../src/core/impact/servers';
import { parseSource, typescript } from '../../../src/core/impact/syntaxFilter';
import { cleanupRepos, tempRepo } from '../../helpers/repos';

const KINDS = `import { readFileSync as read } from 'node:fs';

export const LIMIT = 3;
export let counter = 0;
export const arrow = (n: number) => n + LIMIT;
export let reassignable = (n: number) => n * 2;
export const wrapped = ((n: number) => n);
export const named = function inner(n: number) { return n; };
export const Klass = class {
  go() { return 1; }
};
export const { a, b: [c] } = { a: 1, b: [2] };
export enum Color { Red, Green = 'g' }
export type Pair = [number, number];
export interface Shape { area(): number; readonly sides: number; }
export declare function declared(n: number): number;
export function overloaded(n: number): number;
export function overloaded(n: string): string;
export function overloaded(n: unknown): unknown { return n; }

export function outer(x: number, { y }: { y: number }, ...rest: number[]): number {
  const local = x + y;
  let later = () => local;
  const callback = (z: number) => z + later();
  function nested(w: number) { return w + rest.length; }
  const obj = {
    key: 1,
    method() { return local; },
    prop: () => local,
    get value() { return local; },
    [String(local)]: 2,
  };
  return callback(nested(obj.key)) + read.length;
}

export class Service {
  static count = 0;
  private field = 1;
  handler = (n: number) => n + this.field;
  static { Service.count = 1; }
  constructor(private readonly name: string, public size = 2) {}
  get label(): string { return this.name; }
  set label(v: string) { void v; }
  run(): number { return this.handler(this.size); }
  #secret(): void {}
}

export namespace Space {
  export const inside = 1;
  export function fn(): number { return inside; }
}

describe('tests', () => {
  it('adds', () => {
    const total = outer(1, { y: 2 });
    const svc = new Service('x');
    expect(total + svc.run()).toBe(3);
  });
});
declare function describe(name: string, fn: () => void): void;
declare function it(name: string, fn: () => void): void;
declare function expect(v: unknown): { toBe(v: unknown): void };
`;

const JS = `const lib = require('./lib');
let state = { count: 0 };
function bump(by) { const next = state.count + by; state = { count: next }; return next; }
const twice = (n) => bump(n) + bump(n);
module.exports = { bump, twice, answer: 42, call: function () { return lib; } };
exports.extra = () => twice(1);
`;

const JSX = `export function Button({ label }: { label: string }) {
  const text = label.toUpperCase();
  const onClick = () => console.log(text);
  return <button onClick={onClick}>{text}</button>;
}
export const Panel = () => <div><Button label="x" /></div>;
`;

// A byte order mark shifts every position of the first line by one if the two sides disagree on it.
const BOM = '\uFEFFconst first = 1, second = () => first;\nexport function atStart(): number { const inner = second(); return inner; }\n';

function flatten(symbols: readonly DocumentSymbol[]): DocumentSymbol[] {
  return symbols.flatMap((s) => [s, ...flatten(s.children ?? [])]);
}

describe('names tsserver never prepares', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  it('are skipped only where the real server answers nothing, for every symbol of every kind', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'tsconfig.json': '{"compilerOptions":{"strict":true,"jsx":"preserve","allowJs":true},"include":["src"]}', 'src/kinds.ts': KINDS, 'src/lib.js': JS, 'src/view.tsx': JSX, 'src/bom.ts': BOM } });
    const ts = typescript()!;
    const client = new LspClient(r.dir, typescriptServer({ tree: r.dir, trusted: false })!);
    const tally = { skipped: 0, asked: 0 };
    const skippedNames: string[] = [];
    const askedNames: string[] = [];
    try {
      await client.start();
      for (const file of ['src/kinds.ts', 'src/lib.js', 'src/view.tsx', 'src/bom.ts']) {
        const abs = join(r.dir, file);
        const sf = parseSource(ts, readFileSync(abs, 'utf8'), abs);
        const uri = client.open(abs);
        for (const s of flatten(await client.documentSymbols(uri))) {
          // Both places the walk asks at: the name, and the start of the declaration.
          for (const at of [s.selectionRange.start, s.range.start]) {
            const skip = neverPrepared(ts, sf, at);
            const items = await client.prepare(uri, at);
            if (skip) {
              assert.deepEqual(items, [], `${file}: ${s.name} at ${at.line}:${at.character} was skipped but the server prepares it`);
              tally.skipped++;
              if (at === s.selectionRange.start) skippedNames.push(s.name);
            } else {
              tally.asked++;
              if (at === s.selectionRange.start) askedNames.push(s.name);
            }
          }
        }
      }
    } finally {
      await client.stop();
    }
    // What must be skipped (the point of it) and what must not (the server prepares them).
    for (const name of ['LIMIT', 'counter', 'reassignable', 'local', 'later', 'key', 'field', 'inside', 'total', 'svc', 'state', 'text', 'first', 'inner']) {
      assert.ok(skippedNames.includes(name), `${name} is skipped (skipped: ${skippedNames.join(', ')})`);
    }
    for (const name of ['arrow', 'named', 'outer', 'nested', 'callback', 'Service', 'run', 'label', 'Space', 'fn', 'bump', 'twice', 'Button', 'onClick', 'Panel', 'second', 'atStart']) {
      // Named by a shorthand property too (`{ bump }`, skipped rightly): the declaration itself is asked.
      assert.ok(askedNames.includes(name), `${name} is asked of the server`);
    }
    assert.ok(tally.skipped >= 20 && tally.asked >= 20, JSON.stringify(tally));
  });

  it('are never skipped when the position lies outside the file or TypeScript lacks the internals', () => {
    const ts = typescript()!;
    const sf = parseSource(ts, 'const x = 1;\n', '/t.ts');
    assert.equal(neverPrepared(ts, sf, { line: 0, character: 6 }), true);
    assert.equal(neverPrepared(ts, sf, { line: 40, character: 0 }), false);
    assert.equal(neverPrepared({ ...ts, CallHierarchy: undefined } as unknown as typeof ts, sf, { line: 0, character: 6 }), false);
  });
});
