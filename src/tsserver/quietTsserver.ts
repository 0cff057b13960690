// Started by typescript-language-server in place of tsserver.js (its `tsserver.path`), in tsserver's
// own process: it drops the diagnostics requests and runs our bundled tsserver. The language server
// asks for the errors of every open file after each open, and impact opens every changed file: on
// vite's 138-file range, tsserver spent a third of the walk type-checking whole files for errors no
// one reads, between the call-hierarchy requests (impact 39.6 s with them, 23.9 s without, the
// same callers). Built to dist/tsserver/lib/tsserver.js beside a package.json that carries the
// bundled TypeScript's version, which is where the language server reads it.

import { QUIET_TSSERVER_TARGET } from '../core/impact/tsserverTarget';

interface TsRequest {
  seq?: number;
  type?: string;
  command?: string;
}

const DIAGNOSTICS = new Set(['geterr', 'geterrForProject']);

const on = process.on.bind(process);
// tsserver reads its requests from `process.on('message')` (node IPC, which the language server
// uses for TypeScript 4.9 and later); each diagnostics request is answered at once as completed.
process.on = ((event: string, listener: (...args: unknown[]) => void) => {
  if (event !== 'message') return on(event, listener);
  return on('message', (m: TsRequest, ...rest: unknown[]) => {
    if (m && m.type === 'request' && typeof m.command === 'string' && DIAGNOSTICS.has(m.command)) {
      process.send?.({ seq: 0, type: 'event', event: 'requestCompleted', body: { request_seq: m.seq } });
      return;
    }
    listener(m, ...rest);
  });
}) as typeof process.on;

// The path servers.ts resolved for the bundled TypeScript; without it, what resolves from here.
require(process.env[QUIET_TSSERVER_TARGET] || 'typescript/lib/tsserver.js');
