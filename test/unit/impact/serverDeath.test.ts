// typescript-language-server outlives its tsserver: when tsserver dies (here of its memory bound,
// as a large project can make it), the language server answers every request with nothing, which
// read as "no symbols, no callers". The client ends it instead, so the walk restarts it and, failing
// again, falls back to the labelled text search.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { LspClient, LspError } from '../../../src/core/impact/lspClient';
import { typescriptServer } from '../../../src/core/impact/servers';
import { cleanupRepos, tempRepo } from '../../helpers/repos';

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
});
