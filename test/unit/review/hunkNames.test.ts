// Hunk names (the declarations the changed lines sit in) and the first changed line of a hunk,
// on real diffs of a throwaway repository; git's own -U0 diff is the oracle for the first line.
import assert from 'node:assert/strict';
import { computeChangeSet } from '../../../src/core/review/changeSet';
import { resolveRange } from '../../../src/core/review/resolveRange';
import { ChangeSet, Hunk } from '../../../src/core/review/changeSetTypes';
import { firstChangedLine } from '../../../src/core/review/lineMap';
import { declarationNames, hunkName, nameInLine } from '../../../src/core/review/hunkNames';
import { tempRepo, cleanupRepos } from '../../helpers/repos';

const INVOICE = (total: string, tax: string, extra = '') => `import { round } from './money';
import { Line } from './types';

export class Invoice {
  constructor(private readonly lines: Line[]) {}

  total(): number {
    let sum = 0;
    for (const l of this.lines) {
      sum += l.price;
    }
    return ${total};
  }

  get tax(): number {
    const rate = 0.2;
    return ${tax};
  }
}

export const handlers = {
  get: (id: string) => {
    const found = id.trim();
    return found;
  },
  limits: { max: 10 },
};
${extra}`;

const TEST = (title: string) => `import { Invoice } from '../src/invoice';

describe('Invoice', () => {
  it('${title}', () => {
    const inv = new Invoice([]);
    if (inv.total() !== 0) throw new Error('wrong');
  });
});
`;

const PY = (body: string) => `import math


def area(r):
    """Area of a circle."""
    x = r * r
${body}
    return x


def unrelated():
    return 1
`;

describe('hunk names and first changed lines', () => {
  after(cleanupRepos);
  let cs: ChangeSet;
  let text: (commit: string, path: string) => Promise<string | null>;
  let u0: (path: string) => Promise<string>;

  before(async () => {
    const r = await tempRepo();
    const filler = Array.from({ length: 12 }, (_, i) => `// filler ${i}`).join('\n');
    await r.commit({ message: 'base', files: {
      'src/invoice.ts': INVOICE('round(sum)', 'round(this.total() * rate)', `${filler}\nexport function unchanged(): number {\n  return 1;\n}\n`),
      'test/invoice.test.ts': TEST('is zero when empty'),
      'calc/area.py': PY('    x = x * math.pi'),
      'src/gone.ts': `export function keep(): number {\n  return 1;\n}\n\nexport function drop(): number {\n  const a = 1;\n  return a;\n}\n`,
      'src/imports.ts': `import { a } from './a';\nimport { b } from './b';\n\nexport const value = a + b;\n`,
      'config/app.json': '{\n  "name": "app",\n  "port": 80\n}\n',
    } });
    await r.commit({ message: 'head', files: {
      // total() and tax change (one hunk over both members), handlers.get changes, imports change.
      'src/invoice.ts': INVOICE('round(sum * 100) / 100', 'round(this.total() * rate * 100) / 100', `${filler}\nexport function unchanged(): number {\n  return 1;\n}\n`)
        .replace("import { Line } from './types';", "import { Line } from './types';\nimport { log } from './log';")
        .replace('    return found;', '    log(found);\n    return found;'),
      'test/invoice.test.ts': TEST('is zero for an empty invoice'),
      'calc/area.py': PY('    x = x * math.pi\n    x = abs(x)'),
      'src/gone.ts': `export function keep(): number {\n  return 1;\n}\n`,
      'src/imports.ts': `import { a } from './a';\nimport { b } from './b';\nimport { c } from './c';\n\nexport const value = a + b;\n`,
      'config/app.json': '{\n  "name": "app",\n  "port": 8080\n}\n',
    } });
    const ctx = { cwd: r.dir };
    cs = await computeChangeSet(r.dir, await resolveRange({ base: 'HEAD~1', head: 'HEAD' }, ctx), ctx);
    text = async (commit, path) => r.git('show', `${commit}:${path}`).catch(() => null);
    u0 = (path) => r.git('diff', '-U0', 'HEAD~1', 'HEAD', '--', path);
  });

  const named = async (path: string): Promise<string[]> => {
    const f = cs.files.find((x) => x.path === path)!;
    const [headText, baseText] = [await text(cs.headCommit, path), await text(cs.mergeBase, path)];
    return f.hunks.map((h) => hunkName(h, { path, headText, baseText }).text);
  };

  it('names TypeScript hunks by the declarations their changed lines sit in, qualified by class and object', async () => {
    // One hunk for the import, one over total(), the tax getter and handlers.get (within 6 lines of each other).
    assert.deepEqual(cs.files.find((f) => f.path === 'src/invoice.ts')!.hunks.map((h) => h.header.replace(/ @@.*/, ' @@')), ['@@ -1,5 +1,6 @@', '@@ -9,18 +10,19 @@']);
    assert.deepEqual(await named('src/invoice.ts'), ['imports', 'Invoice.total, Invoice.tax, handlers.get']);
    assert.deepEqual(await named('src/imports.ts'), ['imports']);
  });

  it('names test hunks by their describe and it titles', async () => {
    assert.deepEqual(await named('test/invoice.test.ts'), ['Invoice › is zero for an empty invoice']);
  });

  it('names a whole new file by its innermost declarations: no enclosing describe or class beside its members, no imports beside code', () => {
    const test = "import { volumeDiscount } from '../src/discounts';\n\ndescribe('volumeDiscount', () => {\n  it('gives 10% from 100 units', () => {\n    if (volumeDiscount(120) !== 0.1) throw new Error('wrong tier');\n  });\n});\n";
    assert.deepEqual(declarationNames(test, 'test/discounts.test.ts', [1, 2, 3, 4, 5, 6, 7]), ['volumeDiscount › gives 10% from 100 units']);
    const cls = "import { round } from './money';\nexport class Tax {\n  rate = 0.2;\n  of(n: number) { return round(n * this.rate); }\n}\n";
    assert.deepEqual(declarationNames(cls, 'src/tax.ts', [1, 2, 3, 4, 5]), ['Tax.rate', 'Tax.of']);
    assert.deepEqual(declarationNames(cls, 'src/tax.ts', [1]), ['imports']);
  });

  it('names a pure deletion by the declaration it removed, from the base', async () => {
    assert.deepEqual(await named('src/gone.ts'), ['drop']);
  });

  it('falls back to the section header, then to the line range', async () => {
    const py = cs.files.find((f) => f.path === 'calc/area.py')!;
    assert.equal(py.hunks[0].section.trim(), 'def area(r):', 'git printed the function as the section');
    assert.deepEqual(await named('calc/area.py'), ['area']);
    assert.deepEqual(await named('config/app.json'), ['line 3']);
    // Without the file's text, the history's enclosing block names it before the section header does.
    const invoice = cs.files.find((f) => f.path === 'src/invoice.ts')!;
    assert.deepEqual(hunkName(invoice.hunks[1], { path: 'src/invoice.ts', enclosing: 'export class Invoice {' }), { text: 'Invoice', source: 'enclosing' });
    assert.deepEqual(hunkName(invoice.hunks[1], { path: 'src/invoice.ts' }), { text: 'Invoice', source: 'section' });
  });

  it('reads the declared name out of one line in common languages', () => {
    const cases: Array<[string, string | null]> = [
      ['export async function computeInvoice(order: Order): Invoice {', 'computeInvoice'],
      ['def area(r):', 'area'],
      ['func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {', 'ServeHTTP'],
      ['pub fn parse_header(input: &str) -> Result<Header> {', 'parse_header'],
      ['static int read_config(const char *path)', 'read_config'],
      ['public void run() throws IOException {', 'run'],
      ['export const handler = async (req) => {', 'handler'],
      ['class Invoice extends Base {', 'Invoice'],
      ['if (order.coupon) {', null],
      ['}', null],
      ['', null],
    ];
    for (const [line, name] of cases) assert.equal(nameInLine(line), name, line);
  });

  it("puts the first changed line of every hunk where git's zero-context diff starts it", async () => {
    let contextFirst = 0;
    for (const f of cs.files) {
      const starts = [...(await u0(f.path)).matchAll(/^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm)].map((m) => (m[2] === '0' ? Number(m[1]) + 1 : Number(m[1])));
      const headLines = ((await text(cs.headCommit, f.path)) ?? '').split('\n').length - 1;
      for (const h of f.hunks) {
        if (h.lines[0]?.[0] === ' ') contextFirst++;
        // The first zero-context hunk inside this hunk's head range is where the change starts.
        const expected = starts.find((s) => s >= h.newStart && s <= h.newStart + Math.max(h.newLines, 1))!;
        assert.equal(firstChangedLine(h as Hunk), Math.min(expected, Math.max(headLines, 1)), `${f.path} ${h.header}`);
      }
    }
    assert.ok(contextFirst >= 3, 'hunks that start with context lines were checked');
  });
});
