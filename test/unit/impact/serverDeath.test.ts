// typescript-language-server outlives its tsserver: when tsserver dies (here of its memory bound,
// as a large project can make it), the language server answers every request with nothing, which
// read as "no symbols, no callers". The client ends it instead, so the walk restarts it and, failing
// again, falls back to the labelled text search.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, readdirSync } from 'node:fs';
import { attachImpact } from '../../../src/core/impact/attachImpact';
import { HunkImpact } from '../../../src/core/impact/impactTypes';
import { LspClient, LspError } from '../../../src/core/impact/lspClient';
import { typescriptServer } from '../../../src/core/impact/servers';
import { computeChangeSet } from '../../../src/core/review/changeSet';
import { resolveEnds } from '../../../src/core/review/resolveRange';
import { cleanupRepos, tempRepo } from '../../helpers/repos';

/** This process's children still running: a language server left behind keeps a CLI from exiting. */
function children(): string[] {
  const out: string[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) out.push(readFileSync(`/proc/${d}/cmdline`, 'utf8').replace(/\0/g, ' ').trim());
    } catch {
      /* ended meanwhile */
    }
  }
  return out;
}

describe('a language server whose tsserver died', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  it('fails its requests instead of answering nothing', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'tsconfig.json': '{"include":["src"]}', 'src/a.ts': 'export function f(): number {\n  return 1;\n}\n' } });
    const server = typescriptServer({ tree: r.dir, trusted: false })!;
    // A heap bound far below what tsserver needs to load the standard library: it dies on the first project load.
    const init = server.initializationOptions as Record<string, unknown>;
    const client = new LspClient(r.dir, { ...server, initializationOptions: { ...init, maxTsServerMemory: 16 } });
    try {
      await client.start();
      const uri = client.open(join(r.dir, 'src', 'a.ts'));
      await assert.rejects(client.documentSymbols(uri), (e: Error) => e instanceof LspError && /tsserver\] Exited/.test(e.message));
      assert.equal(client.alive, false);
    } finally {
      await client.stop();
    }
  });

  it('leaves no language server behind when tsserver dies while the projects load', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'tsconfig.json': '{"include":["src"]}', 'src/a.ts': 'export function f(): number {\n  return 1;\n}\n', 'src/b.ts': "import { f } from './a';\nexport const g = () => f();\n" } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'change', files: { 'src/a.ts': 'export function f(): number {\n  return 2;\n}\n' } });
    const ctx = { cwd: r.dir };
    const cs = await computeChangeSet(r.dir, await resolveEnds({ base: 'main', head: 'feature' }, ctx), ctx);
    // The same server as a configured one, with a heap bound that kills its tsserver on the first project load (in the warm-up).
    const tls = typescriptServer({ tree: r.dir, trusted: false })!;
    const init = tls.initializationOptions as Record<string, unknown>;
    const before = children().length;
    const impact = await attachImpact(cs, ctx, {
      useCache: false, keepTrees: false,
      servers: [{ extensions: ['.ts'], command: tls.command, args: tls.args, languageId: 'typescript', initializationOptions: { ...init, maxTsServerMemory: 16 } }],
    });
    const hunk = cs.files.find((x) => x.path === 'src/a.ts')!.hunks[0].impact as HunkImpact;
    assert.equal(hunk.source, 'text', 'after two deaths the hunk falls back to the labelled text search');
    assert.ok(impact.notes.some((n) => /tsserver\] Exited/.test(n)) || /tsserver\] Exited/.test(hunk.note ?? ''), JSON.stringify(impact.notes));
    // The server that died while loading was replaced; it must have been ended, not left running.
    assert.deepEqual(children().slice(before), []);
  });
});

