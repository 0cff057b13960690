// A server that answers one request with an error (tsserver's "No Project.", a provider that throws)
// is still running: only the hunk that asked loses that answer, and says so. It used to count as the
// server failing; the second such answer sent every later hunk of the review to the text search.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { attachImpact } from '../../../src/core/impact/attachImpact';
import { ChangeSetImpact, HunkImpact } from '../../../src/core/impact/impactTypes';
import { ChangeSet } from '../../../src/core/review/changeSetTypes';
import { DEFAULT_IMPACT_OPTIONS, ImpactSession } from '../../../src/core/impact/impactSession';
import { silentLogger } from '../../../src/core/logger';
import { LspClient, RequestFailed, ServerCommand } from '../../../src/core/impact/lspClient';
import { typescriptServer } from '../../../src/core/impact/servers';
import { computeChangeSet } from '../../../src/core/review/changeSet';
import { resolveEnds } from '../../../src/core/review/resolveRange';
import { cleanupRepos, tempRepo } from '../../helpers/repos';
import { proxySource } from '../../helpers/proxyClient';

const FILES = {
  'tsconfig.json': '{"include":["src"]}',
  'src/a.ts': 'export function f(): number {\n  return 1;\n}\n',
  'src/b.ts': "import { f } from './a';\n\nexport function g(): number {\n  return f() + 1;\n}\n",
  'src/c.ts': "import { g } from './b';\n\nexport function main(): number {\n  return g();\n}\n",
  'src/d.ts': 'export function h(): number {\n  return 4;\n}\n',
  'src/e.ts': "import { h } from './d';\n\nexport function useH(): number {\n  return h() * 2;\n}\n",
};

/** The review of main...feature with impact through `editor` as the editor's providers (the head is checked out). */
async function reviewThrough(dir: string, editor: ServerCommand): Promise<{ cs: ChangeSet; impact: ChangeSetImpact; session: ImpactSession }> {
  const ctx = { cwd: dir };
  const cs = await computeChangeSet(dir, await resolveEnds({ base: 'main', head: 'feature' }, ctx), ctx);
  const session = new ImpactSession(ctx, { ...DEFAULT_IMPACT_OPTIONS, preferEditor: true, editor }, silentLogger, false);
  try {
    return { cs, impact: await attachImpact(cs, ctx, { useCache: false, keepTrees: false, session }), session };
  } finally {
    await session.dispose();
  }
}

describe('a request the server answers with an error', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  it('is that request\'s failure, not the server\'s', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: FILES });
    const client = new LspClient(r.dir, typescriptServer({ tree: r.dir, trusted: false })!);
    try {
      await client.start();
      const uri = client.open(join(r.dir, 'src', 'b.ts'));
      assert.equal((await client.documentSymbols(uri)).length, 1);
      const [g] = await client.prepare(uri, { line: 2, character: 16 });
      await assert.rejects(client.incoming({ ...g, uri: 'file:///no/such/project/b.ts' }), (e: Error) => e instanceof RequestFailed && /^answered callHierarchy\/incomingCalls with an error: No Project\.$/.test(e.message));
      assert.equal(client.alive, true);
      assert.equal((await client.incoming(g)).length, 1, 'the next request is answered as usual');
    } finally {
      await client.stop();
    }
  });

  it('cuts that hunk\'s walk short, with the reason, and every other hunk keeps the server', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: FILES });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'change', files: { 'src/a.ts': FILES['src/a.ts'].replace('1;', '10;'), 'src/d.ts': FILES['src/d.ts'].replace('4;', '40;') } });
    // The checked-out, clean head is read through the real server as the editor's providers are; `g`'s
    // callers are asked about a file no project holds, so the real server answers that one with its error.
    const editor = proxySource(() => undefined, (item) => (item.name === 'g' ? { ...item, uri: 'file:///no/such/project/b.ts' } : item));
    const { cs, impact, session } = await reviewThrough(r.dir, editor);
    const of = (path: string) => cs.files.find((x) => x.path === path)!.hunks[0].impact as HunkImpact;
    const a = of('src/a.ts');
    assert.equal(a.source, 'editor');
    assert.deepEqual(a.callers.map((c) => c.name), ['g'], 'what was found before the error is kept');
    assert.equal(a.truncated, true);
    assert.match(a.truncatedBy ?? '', /answered callHierarchy\/incomingCalls with an error: No Project\./);
    const d = of('src/d.ts');
    assert.equal(d.source, 'editor', JSON.stringify(impact.notes));
    assert.deepEqual(d.callers.map((c) => c.name), ['useH']);
    assert.ok(!impact.notes.some((n) => /failed|text search/.test(n)), JSON.stringify(impact.notes));
  });

  it('cuts the CommonJS text confirmation short, keeping the callers it confirmed and the walk', async () => {
    const r = await tempRepo();
    const lib = "function total(xs) {\n  return xs.reduce((a, b) => a + b, 0);\n}\nmodule.exports = { total };\n";
    const use = "const { total } = require('./lib');\nfunction report(xs) {\n  return 'sum ' + total(xs);\n}\nmodule.exports = { report };\n";
    const audit = "const lib = require('./lib');\nfunction check(xs) {\n  return lib.total(xs) > 0;\n}\nmodule.exports = { check };\n";
    await r.commit({ message: 'base', files: { 'lib.js': lib, 'use.js': use, 'audit.js': audit } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'change', files: { 'lib.js': lib.replace('0);', '0) || 0;') } });
    // The call hierarchy does not see through module.exports, so the text search's hits are
    // confirmed one by one. audit.js comes first (git grep lists paths in order) and the editor's
    // provider throws on it; use.js is then confirmed by the real server.
    const editor = proxySource(() => undefined, undefined, (uri) => uri.endsWith('/audit.js'));
    const { cs, impact, session } = await reviewThrough(r.dir, editor);
    const m = cs.files.find((x) => x.path === 'lib.js')!.hunks[0].impact as HunkImpact;
    assert.equal(m.source, 'editor', JSON.stringify(impact.notes));
    assert.equal(m.approximate, false, 'the hunk keeps the server\'s answers instead of falling back to the text search');
    assert.deepEqual(m.symbols.map((s) => s.name), ['total']);
    assert.deepEqual(m.callers.map((c) => c.name), ['report'], 'the caller confirmed before the error is kept');
    assert.equal(m.truncated, true);
    assert.match(m.truncatedBy ?? '', /answered vscode\.prepareCallHierarchy with an error: the provider threw/);
    assert.equal(session.cacheable(m), false, 'another run may get the answer, so it is not cached');
  });
});
