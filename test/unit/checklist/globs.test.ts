// Globs from configuration (checklist `when.paths`, history exclude globs) match in time linear in
// the path for a fixed glob: a pathological glob on a 10,000-character path answers at once. The
// semantics are the ones the configuration always had: `**` crosses folders, `**/` may match
// nothing, `*` and `?` stay inside one folder, everything else is literal.
import assert from 'node:assert/strict';
import { pathMatcher } from '../../../src/core/history/historyOptions';
import { conditionHolds } from '../../../src/core/checklist/evaluate';
import { ChangeFacts } from '../../../src/core/checklist/checklistTypes';

/** The regular-expression translation the matcher replaced: the oracle for short inputs. */
function referenceRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const TABLE: Array<[string, string, boolean]> = [
  ['**/*.sql', 'a.sql', true],
  ['**/*.sql', 'db/x/a.sql', true],
  ['**/*.sql', 'a.sqlx', false],
  ['**/*.sql', 'a.sql/b', false],
  ['**/migrations/**', 'migrations/001.sql', true],
  ['**/migrations/**', 'db/migrations/x/y.sql', true],
  ['**/migrations/**', 'migrations', false],
  ['**/migrations/**', 'db/migrationsx/a', false],
  ['db/migrations/**', 'db/migrations/001.sql', true],
  ['db/migrations/**', 'x/db/migrations/001.sql', false],
  ['*.ts', 'a.ts', true],
  ['*.ts', 'src/a.ts', false],
  ['*.ts', '.ts', true],
  ['src/*.ts', 'src/a.ts', true],
  ['src/*.ts', 'src/x/a.ts', false],
  ['a?.ts', 'ab.ts', true],
  ['a?.ts', 'a.ts', false],
  ['a?.ts', 'a/.ts', false],
  ['**', '', true],
  ['**', 'a/b/c', true],
  ['*', 'a/b', false],
  ['a/**/b', 'a/b', true],
  ['a/**/b', 'a/x/y/b', true],
  ['a/**/b', 'ab', false],
  ['a**b', 'a/x/b', true],
  ['**.min.js', 'x/y.min.js', true],
  ['**/schema.*', 'db/schema.prisma', true],
  ['**/schema.*', 'db/schema/x', false],
  ['**/schema.*', 'types/json-schema.d.ts', false],
  ['**/a', 'ba', false],
  ['x/**/a', 'x/ba', false],
  ['x/**/a', 'x/b/a', true],
  ['*/**/x', 'a/b/x', true],
  ['*/**/x', 'a//x', true],
  ['file(1).txt', 'file(1).txt', true],
  ['file(1).txt', 'file1.txt', false],
  ['a+b.ts', 'a+b.ts', true],
  ['a+b.ts', 'aab.ts', false],
  ['[x].ts', '[x].ts', true],
  ['[x].ts', 'x.ts', false],
  ['{a,b}.ts', '{a,b}.ts', true],
  ['{a,b}.ts', 'a.ts', false],
  ['a\\b', 'a\\b', true],
  ['^$.ts', '^$.ts', true],
  ['Src/**', 'src/a', false],
  ['***', 'a/b', true],
  ['*/**/', 'a/', true],
  ['', '', true],
  ['', 'a', false],
];

const facts = (paths: string[]): ChangeFacts => ({ riskLevel: null, riskScore: null, paths, aiAssistedLines: 0, hotspotsTouched: 0, fileCount: paths.length, callers: null });

describe('globs from configuration', () => {
  it('keep the semantics they had (table, checked against the old translation)', () => {
    for (const [glob, path, expected] of TABLE) {
      assert.equal(referenceRegExp(glob).test(path), expected, `table entry ${glob} ~ ${path} disagrees with the reference`);
      assert.equal(pathMatcher([glob])(path), expected, `${glob} ~ ${path}`);
    }
  });

  it('agree with the old translation on every short glob and path over a small alphabet', () => {
    // A deterministic generator (no Math.random): the same cases on every run.
    let seed = 12345;
    const next = (n: number) => {
      // mulberry32: every bit well mixed (a plain LCG's low bits repeat with a short period).
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n | 0;
    };
    const globAlphabet = ['a', 'b', '/', '*', '**', '**/', '?', '.'];
    const pathAlphabet = ['a', 'b', '/', '.'];
    for (let k = 0; k < 20_000; k++) {
      const glob = Array.from({ length: next(6) }, () => globAlphabet[next(globAlphabet.length)]).join('');
      const path = Array.from({ length: next(8) }, () => pathAlphabet[next(pathAlphabet.length)]).join('');
      assert.equal(pathMatcher([glob])(path), referenceRegExp(glob).test(path), `${JSON.stringify(glob)} ~ ${JSON.stringify(path)}`);
    }
  });

  it('answer a pathological glob on a 10,000-character path', () => {
    const glob = '**/*a*a*a*a*a*a*a*a*a*a*a*a*b';
    const long = 'a'.repeat(10_000);
    assert.equal(pathMatcher([glob])(long), false);
    assert.equal(pathMatcher([glob])(`${long}b`), true);
    assert.equal(pathMatcher([glob])(`dir/${long}/${long}`), false);
    const item = { id: 'x', title: 'x', help: '', required: true, requiresNote: false, when: { paths: [glob] } };
    assert.equal(conditionHolds(item, facts([long, `src/${long}`])), false);
    assert.equal(conditionHolds(item, facts([long, `src/${long}b`])), true);
    assert.equal(pathMatcher(['**/**/**/**/**/**/**/**/**/**/x'])(`${'a/'.repeat(5000)}y`), false);
  });
});
