// Caller counts do not move (issue #15), with the real typescript-language-server: the same base,
// head and settings give the same impact cold, warm (from the cache), in another hunk order (a
// warm session whose server already loaded other files) and with the head checked out; the walk is
// bounded by depth and caller count only, and a hunk cut by a bound says so and why.
import assert from 'node:assert/strict';
import { attachImpact } from '../../../src/core/impact/attachImpact';
import { DEFAULT_IMPACT_OPTIONS, ImpactSession } from '../../../src/core/impact/impactSession';
import { silentLogger } from '../../../src/core/logger';
import { HunkImpact, ChangeSetImpact } from '../../../src/core/impact/impactTypes';
import { computeChangeSet } from '../../../src/core/review/changeSet';
import { resolveEnds } from '../../../src/core/review/resolveRange';
import { ChangeSet } from '../../../src/core/review/changeSetTypes';
import { cleanupRepos, tempRepo } from '../../helpers/repos';
import { ProxyClient, proxySource } from '../../helpers/proxyClient';
import { RepoBuilder } from '../../../src/demo/repoBuilder';

const FILES: Record<string, string> = {
  'tsconfig.json': '{"include":["src","test"]}',
  'src/store.ts': 'export class Store {\n  private items: number[] = [];\n  constructor(seed: number) {\n    this.items.push(seed);\n  }\n  add(x: number): void {\n    this.items.push(x);\n  }\n}\n',
  'src/math.ts': 'export function scale(x: number): number {\n  return x * 2;\n}\n\nexport const offset = (x: number): number => scale(x) + 1;\n',
  'src/app.ts': "import { Store } from './store';\nimport { scale, offset } from './math';\n\nexport function run(): number {\n  const s = new Store(scale(1));\n  s.add(offset(2));\n  return scale(3);\n}\n",
  'src/more.ts': "import { run } from './app';\n\nexport function twice(): number {\n  return run() + run();\n}\n\nexport function again(): number {\n  return twice();\n}\n",
  'test/app.test.ts': "import { run } from '../src/app';\n\ndescribe('run', () => {\n  it('runs', () => { run(); });\n});\n",
};

async function fixture(): Promise<RepoBuilder> {
  const r = await tempRepo();
  await r.commit({ message: 'base', files: FILES });
  await r.branch('feature');
  await r.checkout('feature');
  await r.commit({
    message: 'change',
    files: {
      'src/store.ts': FILES['src/store.ts'].replace('this.items.push(seed);', 'this.items.push(seed, 0);').replace('this.items.push(x);', 'this.items.push(x + 0);'),
      'src/math.ts': FILES['src/math.ts'].replace('x * 2', 'x + x').replace('scale(x) + 1', 'scale(x) + 2'),
    },
  });
  await r.checkout('main');
  return r;
}

/** The impact of a change set as JSON, without its one timing field. */
function impactJson(cs: ChangeSet): string {
  const { ms: _ms, ...pr } = cs.impact as ChangeSetImpact;
  return JSON.stringify({ pr, hunks: cs.files.map((f) => f.hunks.map((h) => h.impact ?? null)) });
}

async function analyse(r: RepoBuilder, opts: { useCache?: boolean; session?: ImpactSession; maxDepth?: number; maxNodes?: number } = {}): Promise<ChangeSet> {
  const ctx = { cwd: r.dir };
  const cs = await computeChangeSet(r.dir, await resolveEnds({ base: 'main', head: 'feature' }, ctx), ctx);
  await attachImpact(cs, ctx, { useCache: opts.useCache ?? false, session: opts.session, maxDepth: opts.maxDepth, maxNodes: opts.maxNodes });
  return cs;
}

const hunkOf = (cs: ChangeSet, path: string, i = 0) => cs.files.find((f) => f.path === path)!.hunks[i].impact as HunkImpact;

describe('impact determinism (typescript-language-server)', function () {
  this.timeout(300_000);
  after(cleanupRepos);

  it('gives the same callers cold, warm, after other hunks and with the head checked out', async () => {
    const r = await fixture();
    const cold = await analyse(r);
    const math = hunkOf(cold, 'src/math.ts');
    assert.equal(math.source, 'lsp');
    assert.equal(math.truncated, false);
    assert.ok(math.callers.some((c) => c.name === 'again' && c.depth === 3), JSON.stringify(math.callers));
    const expected = impactJson(cold);

    assert.equal(impactJson(await analyse(r)), expected, 'a second cold run');
    await analyse(r, { useCache: true });
    assert.equal(impactJson(await analyse(r, { useCache: true })), expected, 'warm, from the cache');

    // A session that answered another review first: its server has loaded and walked other files.
    const session = new ImpactSession({ cwd: r.dir });
    try {
      const ctx = { cwd: r.dir };
      const other = await computeChangeSet(r.dir, await resolveEnds({ base: 'main~0', head: 'feature' }, ctx), ctx);
      other.files.reverse();
      for (const f of other.files) f.hunks.reverse();
      await attachImpact(other, ctx, { useCache: false, session });
      assert.equal(impactJson(await analyse(r, { session })), expected, 'a warm session, hunks analysed in another order before');
    } finally {
      await session.dispose();
    }

    await r.checkout('feature');
    assert.equal(impactJson(await analyse(r)), expected, 'head checked out');
  });

  it('says why a hunk was cut by the depth or caller limit, and keeps the same answer on every run', async () => {
    const r = await fixture();
    const shallow = hunkOf(await analyse(r, { maxDepth: 1 }), 'src/math.ts');
    assert.equal(shallow.truncated, true);
    assert.equal(shallow.truncatedBy, 'depth limit of 1 reached');
    assert.ok(shallow.callers.every((c) => c.depth === 1));
    assert.deepEqual(hunkOf(await analyse(r, { maxDepth: 1 }), 'src/math.ts'), shallow);

    const few = await analyse(r, { maxNodes: 2 });
    const cut = hunkOf(few, 'src/math.ts');
    assert.equal(cut.truncated, true);
    assert.equal(cut.truncatedBy, 'limit of 2 callers reached');
    assert.equal(cut.callers.length, 2);
    assert.deepEqual((few.impact as ChangeSetImpact).truncatedBy, ['limit of 2 callers reached']);

    // A walk that reached its end within the limits is not truncated, even at the exact depth.
    const exact = hunkOf(await analyse(r, { maxDepth: 3 }), 'src/math.ts');
    assert.equal(exact.truncated, false, exact.truncatedBy);
    assert.equal(exact.truncatedBy, undefined);
  });

  it('asks the server one request at a time, the same requests in the same order on every run', async () => {
    // Requests change what the server has loaded (opening a caller's file loads its project,
    // references load the projects that reference it): with several in flight, which one the server
    // handled first decided what a later one found.
    const r = await fixture();
    await r.checkout('feature');
    const run = async (): Promise<ProxyClient[]> => {
      const made: ProxyClient[] = [];
      const ctx = { cwd: r.dir };
      const session = new ImpactSession(ctx, { ...DEFAULT_IMPACT_OPTIONS, preferEditor: true, editor: proxySource((c) => made.push(c)) }, silentLogger, false);
      try {
        const cs = await computeChangeSet(r.dir, await resolveEnds({ base: 'main', head: 'feature' }, ctx), ctx);
        await attachImpact(cs, ctx, { useCache: false, keepTrees: false, session });
        // The changed scale and offset are walked together, from one level of the same hunk.
        const math = hunkOf(cs, 'src/math.ts');
        assert.deepEqual(math.symbols.map((s) => s.name).sort(), ['offset', 'scale']);
        assert.equal(math.source, 'editor');
      } finally {
        await session.dispose();
      }
      return made;
    };
    const first = await run();
    assert.equal(first.length, 1);
    assert.equal(first[0].maxInFlight, 1);
    const second = await run();
    assert.deepEqual(second[0].asked, first[0].asked);
  });
});
