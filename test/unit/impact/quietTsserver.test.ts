// The bundled TypeScript runs through dist/tsserver (quietTsserver.ts): tsserver answers no
// diagnostics requests, which typescript-language-server sends for every open file and which cost
// a third of the walk on a real range, while call hierarchy and symbols work as before; and it runs
// with a small young generation (less memory at the peak of a review).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-jsonrpc/node';
import { typescriptServer } from '../../../src/core/impact/servers';
import { QUIET_TSSERVER_TARGET } from '../../../src/core/impact/tsserverTarget';
import { cleanupRepos, tempRepo } from '../../helpers/repos';

/** NODE_OPTIONS in the environment of the child of `parent` whose command line matches `re` (Linux /proc). */
function nodeOptionsOfChild(parent: number, re: RegExp): string | null {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== parent || !re.test(readFileSync(`/proc/${d}/cmdline`, 'utf8'))) continue;
      const env = readFileSync(`/proc/${d}/environ`, 'utf8').split('\0');
      return env.find((e) => e.startsWith('NODE_OPTIONS='))?.slice('NODE_OPTIONS='.length) ?? null;
    } catch {
      /* the process ended meanwhile */
    }
  }
  throw new Error(`no child of ${parent} matches ${re}`);
}

const BROKEN = 'export function f(): number {\n  return "not a number";\n}\n\nexport const g = (): number => f();\n';

/** Opens a file with a type error in the server and collects what it publishes for 3 s after its symbols answer. */
async function published(tsserverPath: string | null, dir: string): Promise<{ diagnostics: number; symbols: string[]; incoming: string[]; tsserverNodeOptions: string | null }> {
  const server = typescriptServer({ tree: dir, trusted: false })!;
  const init = server.initializationOptions as { tsserver: Record<string, unknown> };
  const options = tsserverPath ? { ...init, tsserver: { ...init.tsserver, path: tsserverPath } } : init;
  const proc = spawn(server.command, server.args, { cwd: dir, stdio: ['pipe', 'pipe', 'ignore'], detached: true, env: { ...process.env, ...server.env } });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
  let diagnostics = 0;
  conn.onNotification('textDocument/publishDiagnostics', (p: { diagnostics: unknown[] }) => {
    diagnostics += p.diagnostics.length;
  });
  conn.onRequest(() => null);
  conn.listen();
  try {
    const rootUri = pathToFileURL(dir).href;
    await conn.sendRequest('initialize', { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'r' }], capabilities: { textDocument: { publishDiagnostics: {}, documentSymbol: { hierarchicalDocumentSymbolSupport: true } } }, initializationOptions: options });
    conn.sendNotification('initialized', {});
    const uri = pathToFileURL(join(dir, 'src', 'a.ts')).href;
    conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'typescript', version: 1, text: BROKEN } });
    const symbols = ((await conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as Array<{ name: string }>).map((s) => s.name);
    const [item] = (await conn.sendRequest('textDocument/prepareCallHierarchy', { textDocument: { uri }, position: { line: 0, character: 16 } })) as unknown[];
    const incoming = ((await conn.sendRequest('callHierarchy/incomingCalls', { item })) as Array<{ from: { name: string } }>).map((c) => c.from.name);
    await new Promise((r) => setTimeout(r, 3000));
    return { diagnostics, symbols, incoming, tsserverNodeOptions: nodeOptionsOfChild(proc.pid!, /tsserver\.js/) };
  } finally {
    conn.dispose();
    process.kill(-proc.pid!, 'SIGKILL');
  }
}

describe('tsserver without diagnostics (dist/tsserver)', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  it('is the tsserver the bundled server runs, and it publishes no diagnostics while answering symbols and callers', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'base', files: { 'tsconfig.json': '{"include":["src"]}', 'src/a.ts': BROKEN } });
    const path = ((typescriptServer({ tree: r.dir, trusted: false })!.initializationOptions as { tsserver: { path: string } }).tsserver.path);
    assert.match(path, /dist\/tsserver\/lib\/tsserver\.js$/);
    // It runs exactly the bundled TypeScript servers.ts resolved, named in the server's environment.
    assert.equal(typescriptServer({ tree: r.dir, trusted: false })!.env?.[QUIET_TSSERVER_TARGET], require.resolve('typescript/lib/tsserver.js'));
    const quiet = await published(null, r.dir);
    assert.deepEqual(quiet.symbols, ['f', 'g']);
    assert.deepEqual(quiet.incoming, ['g']);
    assert.equal(quiet.diagnostics, 0);
    // tsserver itself (started by the language server, which passes its environment on) runs with
    // the small young generation servers.ts asks for.
    assert.equal(quiet.tsserverNodeOptions, '--max-semi-space-size=4');
    // The same server on the bundled tsserver itself reports the type error: the check above could fail.
    const plain = await published(require.resolve('typescript/lib/tsserver.js'), r.dir);
    assert.deepEqual(plain.incoming, ['g']);
    assert.ok(plain.diagnostics >= 1, `diagnostics published by plain tsserver: ${plain.diagnostics}`);
  });
});
