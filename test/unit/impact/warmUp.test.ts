// Loading the language server's projects before the walk, with the real typescript-language-server
// on a three-project repository: callers in another project no longer depend on the order hunks are
// walked in; loading asks only what the walk asks, and no server starts when the cache answers
// every hunk or the run is cancelled. The merge base's server starts only once the head's has
// stopped, and loads its projects before its own walk.
import assert from 'node:assert/strict';
import { attachImpact, impactWork } from '../../../src/core/impact/attachImpact';
import { ImpactSession } from '../../../src/core/impact/impactSession';
import { ChangeSetImpact } from '../../../src/core/impact/impactTypes';
import { computeChangeSet } from '../../../src/core/review/changeSet';
import { resolveEnds } from '../../../src/core/review/resolveRange';
import { ChangeSet } from '../../../src/core/review/changeSetTypes';
import { recordingLogger } from '../../helpers/recordingLogger';
import { cleanupRepos, tempRepo } from '../../helpers/repos';
import { RepoBuilder } from '../../../src/demo/repoBuilder';

const LIB = 'export function total(xs: number[]): number {\n  let s = 0;\n  for (const x of xs) s += x;\n  return s;\n}\n';
const USE = "import { total } from '../../a/src/lib';\n\nexport function sum3(): number {\n  return total([1, 2, 3]);\n}\n\nexport function twice(): number {\n  return sum3() * 2;\n}\n";
const APP = "import { twice } from '../../b/src/use';\n\nexport function main(): number {\n  return twice();\n}\n";

/** Three packages, each its own project: b calls a, c calls b; the feature changes a and b, plus a type-only line of c. */
async function fixture(): Promise<RepoBuilder> {
  const r = await tempRepo();
  const config = '{"compilerOptions":{"strict":true},"include":["src"]}';
  await r.commit({
    message: 'base',
    files: { 'packages/a/tsconfig.json': config, 'packages/a/src/lib.ts': LIB, 'packages/b/tsconfig.json': config, 'packages/b/src/use.ts': USE, 'packages/c/tsconfig.json': config, 'packages/c/src/app.ts': APP, 'packages/c/src/types.ts': 'export type N = number;\n' },
  });
  await r.branch('feature');
  await r.checkout('feature');
  await r.commit({
    message: 'change',
    files: {
      'packages/a/src/lib.ts': LIB.replace('s += x;', 's += x * 1;'),
      'packages/b/src/use.ts': USE.replace('sum3() * 2', 'sum3() + sum3()'),
      'packages/c/src/types.ts': 'export type N = number | bigint;\n',
    },
  });
  await r.checkout('main');
  return r;
}

async function changeSet(r: RepoBuilder): Promise<ChangeSet> {
  const ctx = { cwd: r.dir };
  return computeChangeSet(r.dir, await resolveEnds({ base: 'main', head: 'feature' }, ctx), ctx);
}

function impactJson(cs: ChangeSet): string {
  const { ms: _ms, ...pr } = cs.impact as ChangeSetImpact;
  return JSON.stringify({ pr, hunks: cs.files.map((f) => f.hunks.map((h) => h.impact ?? null)) });
}

/** A logger that keeps the lines the language client writes (server starts, requests). */
describe('impact warm-up (typescript-language-server)', function () {
  this.timeout(300_000);
  let r: RepoBuilder;
  before(async () => {
    r = await fixture();
  });
  after(cleanupRepos);

  it('finds callers in other projects whatever the order the hunks are walked in', async () => {
    const ctx = { cwd: r.dir };
    const inFileOrder = await changeSet(r);
    await attachImpact(inFileOrder, ctx, { useCache: false, keepTrees: false });
    const lib = inFileOrder.files.find((f) => f.path === 'packages/a/src/lib.ts')!.hunks[0].impact as { callers: Array<{ name: string; depth: number }> };
    // sum3 is in project b: found only once b's project is loaded, which the walk of b's hunk used to do after a's.
    assert.deepEqual(lib.callers.map((c) => `${c.name}@${c.depth}`), ['sum3@1', 'twice@2']);
    const reversed = await changeSet(r);
    await attachImpact(reversed, ctx, { useCache: false, keepTrees: false, order: reversed.files.flatMap((f) => f.hunks.map((h) => h.id)).reverse() });
    assert.equal(impactJson(reversed), impactJson(inFileOrder));
  });

  it('loads each project once, ahead of the walk, and the walk reuses the symbols it asked for', async () => {
    const ctx = { cwd: r.dir };
    const log = recordingLogger();
    const session = new ImpactSession(ctx, undefined, log, false);
    try {
      const cs = await changeSet(r);
      // The type-only change of c needs no server: two files, two projects.
      assert.equal(await session.warmUp(impactWork(cs, [], (p) => session.computesCallers(p)), cs.headCommit), 2);
      assert.equal(session.serverReadyMs().length, 1, 'one server for the tree: no hunk removes a declaration, so no merge base');
      const symbolRequests = log.count(/documentSymbol/);
      assert.equal(symbolRequests, 2);
      const plain = await changeSet(r);
      await attachImpact(plain, ctx, { useCache: false, keepTrees: false });
      await attachImpact(cs, ctx, { useCache: false, session, logger: log });
      assert.equal(log.count(/documentSymbol/), symbolRequests, 'the walk reuses the symbols loaded ahead of it');
      assert.equal(impactJson(cs), impactJson(plain));
    } finally {
      await session.dispose();
    }
  });

  it('starts no server when the cache answers every hunk, nor once cancelled', async () => {
    const ctx = { cwd: r.dir };
    await attachImpact(await changeSet(r), ctx, { useCache: true });
    const cached = new ImpactSession(ctx);
    try {
      await attachImpact(await changeSet(r), ctx, { useCache: true, session: cached });
      assert.deepEqual(cached.serverReadyMs(), []);
    } finally {
      await cached.dispose();
    }
    const abort = new AbortController();
    abort.abort();
    const cancelled = new ImpactSession(ctx);
    try {
      await assert.rejects(attachImpact(await changeSet(r), ctx, { useCache: false, session: cancelled, signal: abort.signal }));
      assert.deepEqual(cancelled.serverReadyMs(), []);
    } finally {
      await cancelled.dispose();
    }
  });

  it('answers a new head whose push changed no code from the cache, starting no server; a code push is computed again', async () => {
    const b = await fixture();
    const ctx = { cwd: b.dir };
    const first = await changeSet(b);
    await attachImpact(first, ctx, { useCache: true });
    // The hunks that have an impact (documentation and styles get none).
    const hunksOf = (cs: ChangeSet) => JSON.stringify(cs.files.filter((f) => f.hunks.some((h) => h.impact)).map((f) => [f.path, f.hunks.map((h) => h.impact)]));
    const push = async (files: Record<string, string>): Promise<{ cs: ChangeSet; started: number }> => {
      await b.checkout('feature');
      await b.commit({ message: 'push', files });
      await b.checkout('main');
      const cs = await changeSet(b);
      const session = new ImpactSession(ctx);
      try {
        await attachImpact(cs, ctx, { useCache: true, session });
        return { cs, started: session.serverReadyMs().length };
      } finally {
        await session.dispose();
      }
    };
    // Documentation and styles only: the code the answers come from is the same.
    const docs = await push({ 'README.md': '# packages\n', 'packages/c/styles.css': 'a { color: red; }\n' });
    assert.notEqual(docs.cs.headCommit, first.headCommit);
    assert.equal(docs.started, 0);
    assert.equal(hunksOf(docs.cs), hunksOf(first));
    // A comment in another package's file changes no hunk of the review, but its callers could be
    // anywhere: computed again.
    const code = await push({ 'packages/c/src/app.ts': APP + '// note\n' });
    assert.equal(code.started, 1);
  });

  it('searches the hunks no server reads (a Python file) before any server starts', async () => {
    const b = await tempRepo();
    const config = '{"compilerOptions":{"strict":true},"include":["src"]}';
    const py = 'def gen():\n    return 1\n\n\ndef main():\n    return gen()\n';
    await b.commit({ message: 'base', files: { 'packages/a/tsconfig.json': config, 'packages/a/src/lib.ts': LIB, 'packages/a/src/use.ts': "import { total } from './lib';\n\nexport const one = (): number => total([1]);\n", 'tools/gen.py': py } });
    await b.branch('feature');
    await b.checkout('feature');
    await b.commit({ message: 'change', files: { 'packages/a/src/lib.ts': LIB.replace('s += x;', 's += x * 1;'), 'tools/gen.py': py.replace('return 1', 'return 2') } });
    await b.checkout('main');
    const log = recordingLogger();
    const ctx = { cwd: b.dir, logger: log };
    const cs = await changeSet(b);
    const arrived: Array<{ path: string; serversReady: number }> = [];
    const ready = () => log.lines.filter((l) => / ready in /.test(l)).length;
    await attachImpact(cs, ctx, { useCache: false, keepTrees: false, logger: log, onHunk: (f) => arrived.push({ path: f.path, serversReady: ready() }) });
    // Its git grep never runs beside a server (whose memory is at its largest mid-walk).
    assert.deepEqual(arrived, [{ path: 'tools/gen.py', serversReady: 0 }, { path: 'packages/a/src/lib.ts', serversReady: 1 }]);
    const impactOf = (path: string) => cs.files.find((f) => f.path === path)!.hunks[0].impact as { source: string; callers: Array<{ name: string }> };
    assert.equal(impactOf('tools/gen.py').source, 'text');
    assert.deepEqual(impactOf('packages/a/src/lib.ts').callers.map((c) => c.name), ['one']);
  });

  it("runs the merge base's server only once the head's has stopped, and loads the base's projects before its walk", async () => {
    const b = await tempRepo();
    const config = '{"compilerOptions":{"strict":true},"include":["src"]}';
    const legacy = LIB + '\nexport function legacy(): number {\n  return total([1]);\n}\n';
    await b.commit({ message: 'base', files: { 'packages/a/tsconfig.json': config, 'packages/a/src/lib.ts': legacy, 'packages/b/tsconfig.json': config, 'packages/b/src/use.ts': "import { legacy } from '../../a/src/lib';\n\nexport function one(): number {\n  return legacy();\n}\n" } });
    await b.branch('feature');
    await b.checkout('feature');
    await b.commit({ message: 'drop legacy', files: { 'packages/a/src/lib.ts': LIB, 'packages/b/src/use.ts': "import { total } from '../../a/src/lib';\n\nexport function one(): number {\n  return total([1]);\n}\n" } });
    await b.checkout('main');
    const ctx = { cwd: b.dir };
    const log = recordingLogger();
    const session = new ImpactSession(ctx, undefined, log, false);
    try {
      const cs = await changeSet(b);
      // Head: b's changed file (lib.ts only loses lines); the head's server alone.
      assert.equal(await session.warmUp(impactWork(cs, [], (p) => session.computesCallers(p)), cs.headCommit), 1);
      const ready = () => log.lines.filter((l) => / ready in /.test(l));
      assert.equal(ready().length, 1);
      await attachImpact(cs, ctx, { useCache: false, session, logger: log });
      // Two servers never run at once (their memory added up: vite's 138 files peaked at 1.5 GB).
      assert.equal(ready().length, 2, 'one start per tree: the head is not started again after the base');
      const headReady = log.lines.findIndex((l) => / ready in /.test(l) && l.includes(cs.headCommit));
      const baseReady = log.lines.findIndex((l) => / ready in /.test(l) && l.includes(cs.mergeBase));
      const headExit = log.lines.findIndex((l, i) => i > headReady && / exited /.test(l));
      assert.ok(headReady >= 0 && baseReady > headExit && headExit > headReady, log.lines.join('\n'));
      // Base: lib.ts, whose hunk removes legacy, and use.ts, whose removed lines called it: its
      // project at the base holds legacy's caller. Both are loaded before the base's walk.
      const baseWalk = log.lines.findIndex((l, i) => i > baseReady && /prepareCallHierarchy/.test(l));
      assert.equal(log.lines.slice(baseReady, baseWalk).filter((l) => /documentSymbol/.test(l)).length, 2, log.lines.join('\n'));
      const lib = cs.files.find((f) => f.path === 'packages/a/src/lib.ts')!.hunks[0].impact as { symbols: Array<{ name: string; side: string }>; callers: Array<{ name: string }> };
      assert.deepEqual(lib.symbols.map((x) => `${x.name}@${x.side}`), ['legacy@base']);
      assert.deepEqual(lib.callers.map((c) => c.name), ['one']);
      const plain = await changeSet(b);
      await attachImpact(plain, ctx, { useCache: false, keepTrees: false });
      assert.equal(impactJson(cs), impactJson(plain));
    } finally {
      await session.dispose();
    }
  });
});

