// `senior-review analyze` end to end on the demo repository: JSON valid against the published
// schema, Markdown output, and one-line errors with distinct exit codes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { createDemoRepo } from '../../src/demo/demoRepo';
import { RepoBuilder } from '../../src/demo/repoBuilder';
import { cleanupRepos, cli, tempRepo } from '../helpers/repos';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'analyze.schema.json'), 'utf8'));

describe('cli analyze', () => {
  let demo: RepoBuilder;
  before(async () => {
    demo = await createDemoRepo(join(mkdtempSync(join(tmpdir(), 'sr-demo-')), 'repo'));
  });
  after(() => demo.cleanup());

  it('prints JSON that validates against schemas/analyze.schema.json', async () => {
    const r = await cli(['analyze', '--repo', demo.dir]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { base: string; files: Array<{ path: string; hunks: Array<{ id: string }> }> };
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    assert.ok(validate(out), JSON.stringify(validate.errors));
    assert.equal(out.base, 'main');
    const full = out as unknown as { risk: { level: string }; impact: { callers: number; approximate: boolean }; history: { commitsIndexed: number } };
    assert.ok(full.risk && full.impact && full.history, 'history, impact and risk are part of the default analysis');
    assert.ok(full.impact.callers > 0 && full.impact.approximate === false, 'callers found by the language server');
    assert.deepEqual(out.files.map((f: { path: string }) => f.path).sort(), ['src/billing/discounts.ts', 'src/billing/invoice.ts', 'src/util/money.ts', 'test/discounts.test.ts']);
    // The schema is strict enough to catch a broken output.
    out.files[0].hunks[0].id = 'not-an-id';
    assert.equal(validate(out), false);
  });

  it('prints Markdown', async () => {
    const r = await cli(['analyze', '--repo', demo.dir, '--format', 'markdown']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^# Senior Review: main\.\.\.HEAD/);
    assert.match(r.stdout, /\| src\/billing\/invoice\.ts \| modified \| \+3 −1 \| 2 \| (medium|high|critical) \d+ \| \d+ \| hotspot #1 of \d+ source files, /);
    assert.match(r.stdout, /^- \*\*Risk (low|medium|high|critical) \(\d+\/100\)\*\*, level by fixed score thresholds \(only \d+ changes between [\d-]+ and [\d-]+, too few to compare with\): .*lines of code changed/m);
    assert.match(r.stdout, /^- Call-graph impact: \d+ callers in \d+ files/m);
    assert.match(r.stdout, /^- History \(as of the base, 12-month window\): 1 hotspot touched, \d+ AI-assisted lines? added$/m);
    // The riskiest hunks first, each with its reasons and who calls it.
    const hunks = r.stdout.split('## Hunks to read first')[1] ?? '';
    const scores = [...hunks.matchAll(/@@` — \w+ (\d+):/g)].map((m) => Number(m[1]));
    assert.ok(scores.length >= 2, hunks);
    assert.deepEqual(scores, [...scores].sort((x, y) => y - x));
    assert.match(hunks, /called by \w+ \(src\/billing\/invoice\.ts:\d+\)/);
  });

  it('fails with one line and a distinct exit code on bad input', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [['analyze', '--repo', demo.dir, '--format', 'xml'], 2, /--format must be one of json, markdown/],
      [['analyze', '--bogus'], 2, /Unknown option '--bogus'/],
      [['analyze', '--repo', demo.dir, '--base=--output=/tmp/x'], 2, /invalid base/],
      [['analyze', '--repo', demo.dir, '--base', '--output=/tmp/x'], 2, /ambiguous/],
      [['analyze', '--repo', demo.dir, '--base', 'nope'], 1, /unknown base 'nope'/],
      [['analyze', '--repo', '/definitely/not/here'], 1, /no such folder|not a git repository/],
      [['frobnicate'], 2, /unknown command/],
    ];
    for (const [args, code, re] of cases) {
      const r = await cli(args);
      assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
  });
});

describe('cli analyze on unrelated histories', () => {
  it('says the histories are unrelated', async () => {
    const r = await RepoBuilder.create();
    try {
      await r.commit({ message: 'one', files: { 'a.txt': 'a\n' } });
      await r.git('checkout', '-q', '--orphan', 'other');
      await r.commit({ message: 'unrelated', files: { 'b.txt': 'b\n' } });
      const out = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'other']);
      assert.equal(out.code, 1);
      assert.equal(out.stderr, "senior-review analyze: 'main' and 'other' have no common history\n");
    } finally {
      r.cleanup();
    }
  });
});

describe('cli analyze on a file excluded from history', () => {
  after(cleanupRepos);

  it('labels a lockfile with many commits "excluded from history", never "new"; a file the change adds is "new"', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'start', files: { 'src/app.ts': 'export const a = 1;\n', 'pnpm-lock.yaml': 'lockfileVersion: 1\n' } });
    for (let i = 2; i <= 5; i++) await r.commit({ message: `deps ${i}`, files: { 'pnpm-lock.yaml': `lockfileVersion: ${i}\n` } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'bump', files: { 'pnpm-lock.yaml': 'lockfileVersion: 6\n', 'src/added.ts': 'export const b = 2;\n' } });
    await r.checkout('main');
    const md = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--no-impact', '--format', 'markdown']);
    assert.equal(md.code, 0, md.stderr);
    const row = (path: string) => md.stdout.split('\n').find((l) => l.startsWith(`| ${path} |`)) ?? '';
    assert.match(row('pnpm-lock.yaml'), /\| excluded from history \|$/);
    assert.doesNotMatch(row('pnpm-lock.yaml'), /\bnew\b|no history/);
    assert.match(row('src/added.ts'), /\| new \|$/);
    const json = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--no-impact']);
    const lock = (JSON.parse(json.stdout) as { files: Array<{ path: string; history: { excluded: boolean } }> }).files.find((f) => f.path === 'pnpm-lock.yaml');
    assert.equal(lock?.history.excluded, true);
  });
});
