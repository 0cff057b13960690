// A minimal LSP client over stdio (vscode-jsonrpc framing) for call-hierarchy queries: spawns the
// server as a child process in its own process group, initialises it for one root folder, bounds the
// start-up and every request, and ends the whole group when done, so a server that dies, never
// answers or leaves children holding its pipes costs one bounded wait, never a crash or a hang.
// Never a shell; the server gets no plugins from the tree.

import { spawn, ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import type { MessageConnection } from 'vscode-jsonrpc/node';
import { Logger, silentLogger } from '../logger';

export interface ServerCommand {
  command: string;
  args: string[];
  /** Passed as `initializationOptions`. */
  initializationOptions?: unknown;
  /** LSP languageId per file extension (".ts" → "typescript"). */
  languages: Record<string, string>;
  name: string;
  /**
   * For a source that is not a child process (the editor's own providers): makes its client.
   * Such a source reads only the reviewer's checkout, so it is never used on a private worktree.
   */
  connect?: (root: string) => HierarchyClient;
  /**
   * A line the server logs (window/logMessage) when it can no longer answer although its process
   * lives on: typescript-language-server whose tsserver died (out of memory, a crash) answers every
   * request with nothing, which would read as "no callers".
   */
  deadLog?: RegExp;
  /** Set in the server's environment (and so in tsserver's, which it starts with its own). */
  env?: Record<string, string>;
  /** The server answers with the TypeScript this process loads (`require('typescript')`), so its syntax-only decisions can be taken here. */
  shippedTypeScript?: boolean;
}

export interface LspPosition { line: number; character: number }
export interface LspRange { start: LspPosition; end: LspPosition }
export interface DocumentSymbol { name: string; kind: number; range: LspRange; selectionRange: LspRange; children?: DocumentSymbol[]; detail?: string }
export interface CallHierarchyItem { name: string; kind: number; uri: string; range: LspRange; selectionRange: LspRange; detail?: string; data?: unknown }
export interface IncomingCall { from: CallHierarchyItem; fromRanges: LspRange[] }
export interface LspLocation { uri: string; range: LspRange }

export class LspError extends Error {
  /** Retrying cannot help (the binary is missing, or it already had the whole time bound once). */
  constructor(message: string, readonly final = false) {
    super(message);
  }
}

/**
 * The source answered one request with an error ("No Project.", a provider that threw) and is
 * still running: that request's answer is missing, nothing else is wrong with the server, so only
 * the hunk that asked loses it (a server failure would send every later hunk to the text search).
 */
export class RequestFailed extends Error {
  constructor(method: string, why: string) {
    // The first line only: tsserver appends its stack trace to the message.
    super(`answered ${method} with an error: ${why.split('\n').find((l) => l.trim() && !/TypeScript Server Error/.test(l))?.trim() ?? why.trim()}`);
  }
}

/**
 * Default bound, in seconds, on a server's start-up (spawn to `initialize` answered) and on each
 * request. Measured with typescript-language-server on 2 cores at load average 7-9: start-up
 * 0.4-0.8 s; the slowest request is the first after opening a file, when tsserver loads the whole
 * project: 9-14 s on vite (2,800 files), 22-25 s on apollo-client (690 TypeScript files). 60 s
 * leaves 2.4x over the worst of those for larger projects, and a server that never answers now
 * costs one 60 s wait instead of the two 60 s waits (127 s in all) it used to.
 */
export const DEFAULT_SERVER_TIMEOUT_S = 60;

/** What the impact walk needs from a call-hierarchy source: an LSP server, or the editor. */
export interface HierarchyClient {
  readonly root: string;
  readonly alive: boolean;
  readyMs: number | null;
  /** Editor sources: a prepare has answered, so the language has a call hierarchy provider. */
  readonly answered?: boolean;
  start(): Promise<void>;
  /** Makes the file known to the source; returns its URI. */
  open(path: string): string;
  documentSymbols(uri: string): Promise<DocumentSymbol[]>;
  prepare(uri: string, pos: LspPosition): Promise<CallHierarchyItem[]>;
  incoming(item: CallHierarchyItem): Promise<IncomingCall[]>;
  /**
   * Every reference to the symbol at the position (declaration excluded): where the call hierarchy
   * misses calls (super(...), re-exports, destructured imports), the call sites among them complete it.
   * Sources without it answer with the call hierarchy alone.
   */
  references?(uri: string, pos: LspPosition): Promise<LspLocation[]>;
  /** Every declaration of the symbol at the position (all of a merged symbol's), where a source has it. */
  definitions?(uri: string, pos: LspPosition): Promise<LspLocation[]>;
  stop(): Promise<void>;
  peakRssMb(): number | null;
  /**
   * Sources whose providers start lazily (the editor's language extensions): waits until `prepare`
   * answers at a position known to be a function, or gives up; true when it answered.
   */
  waitForProvider?(uri: string, pos: LspPosition): Promise<boolean>;
}

export class LspClient implements HierarchyClient {
  private conn: MessageConnection | null = null;
  private proc: ChildProcess | null = null;
  private toServer: PassThrough | null = null;
  private readonly opened = new Set<string>();
  private exited = false;
  /** Rejects as soon as the server is gone or unusable; every request races it. */
  private ended: Promise<never> = Promise.reject(new LspError('not started'));
  private endWith: (e: LspError) => void = () => {};
  private gone: Promise<void> = Promise.resolve();
  readonly rootUri: string;
  /** Spawn to `initialize` answered, in ms (null before). */
  readyMs: number | null = null;

  constructor(readonly root: string, private readonly server: ServerCommand, private readonly logger: Logger = silentLogger, private readonly timeoutMs = DEFAULT_SERVER_TIMEOUT_S * 1000) {
    this.rootUri = pathToFileURL(root).href;
    this.ended.catch(() => undefined);
  }

  get alive(): boolean {
    return this.conn !== null && !this.exited;
  }

  /** Spawns and initialises the server; the whole start-up is bounded by the timeout. */
  async start(): Promise<void> {
    const t0 = performance.now();
    this.ended = new Promise<never>((_, reject) => {
      this.endWith = (e) => {
        this.exited = true;
        reject(e);
      };
    });
    this.ended.catch(() => undefined);
    const proc = spawn(this.server.command, this.server.args, {
      cwd: this.root,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_OPTIONS: '', ...this.server.env },
      // Its own process group: stop() ends the server and everything it started (tsserver, helpers).
      detached: process.platform !== 'win32',
    });
    this.proc = proc;
    this.gone = new Promise((resolve) => proc.once('exit', () => resolve()));
    proc.on('exit', (code, signal) => {
      this.logger.info(`${this.server.name} exited (${signal ?? code})`);
      this.endWith(new LspError(`exited (${signal ?? `code ${code}`})`));
    });
    proc.on('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'ENOENT' ? `not found (${this.server.command})` : e.code === 'EACCES' ? `not executable (${this.server.command})` : e.message;
      this.logger.info(`${this.server.name} could not start: ${why}`);
      this.endWith(new LspError(why, true));
    });
    const toServer = new PassThrough();
    // A server that is gone shows as `ended`. Writes go through a buffer that never fails: a write
    // into the closed pipe would otherwise reject inside vscode-jsonrpc where nobody can catch it.
    for (const stream of [toServer, proc.stdin, proc.stdout, proc.stderr]) stream?.on('error', () => undefined);
    proc.stderr?.on('data', () => { /* servers chat on stderr; the log channel has the requests */ });
    toServer.pipe(proc.stdin!);
    this.toServer = toServer;
    // Loaded when a server starts, not with every command of the CLI.
    const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-jsonrpc/node') as typeof import('vscode-jsonrpc/node');
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(toServer));
    // Diagnostics and progress are not needed; a log line saying the server cannot answer any more ends it.
    conn.onNotification((method: string, params: unknown) => {
      const message = method === 'window/logMessage' && typeof (params as { message?: unknown })?.message === 'string' ? (params as { message: string }).message : '';
      const dead = message && this.server.deadLog?.exec(message);
      if (dead) {
        this.logger.warn(`${this.server.name}: ${dead[0]}`);
        this.endWith(new LspError(`cannot answer any more (${dead[0]})`));
      }
    });
    conn.onRequest(() => null);
    // Read errors (no message attached) mean the output is not LSP framing at all. A closed output is
    // left to the exit event, which says why; a server that closes it and lives on hits the time bound.
    conn.onError(([, message]) => {
      if (message === undefined) this.endWith(new LspError('printed something that is not LSP on stdout', true));
    });
    conn.listen();
    this.conn = conn;
    await this.request('initialize', {
      processId: process.pid,
      rootUri: this.rootUri,
      workspaceFolders: [{ uri: this.rootUri, name: 'review' }],
      capabilities: {
        textDocument: {
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          callHierarchy: { dynamicRegistration: false },
          synchronization: { didSave: false },
        },
        workspace: { workspaceFolders: true, configuration: false },
      },
      initializationOptions: this.server.initializationOptions,
    });
    conn.sendNotification('initialized', {});
    this.readyMs = performance.now() - t0;
    this.logger.info(`${this.server.name} ready in ${this.readyMs.toFixed(0)} ms for ${this.root}`);
  }

  /** One request, failed when the server ends or when it does not answer within the timeout. */
  async request<T>(method: string, params: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    if (!this.conn || this.exited) throw new LspError(`${this.server.name} is not running`);
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        (this.conn.sendRequest(method, params) as Promise<T>).catch((e: Error) => {
          // An error answer from a live server is about this request; anything else (the
          // connection closed, the process gone) is the server's failure.
          const { ResponseError } = require('vscode-jsonrpc/node') as typeof import('vscode-jsonrpc/node');
          throw e instanceof ResponseError && !this.exited ? new RequestFailed(method, e.message) : e;
        }),
        this.ended,
        new Promise<never>((_, reject) => {
          const s = timeoutMs / 1000;
          timer = setTimeout(() => reject(new LspError(`did not answer within ${s} s (${method})`, method === 'initialize')), timeoutMs);
        }),
      ]);
    } finally {
      if (timer) clearTimeout(timer);
      this.logger.trace(`lsp ${method} (${(performance.now() - t0).toFixed(1)} ms)`);
    }
  }

  /** Opens a file once (servers answer symbol and hierarchy requests only for open files). */
  open(path: string, text?: string): string {
    const uri = pathToFileURL(path).href;
    if (this.opened.has(uri) || !this.conn) return uri;
    const ext = /\.[^./]+$/.exec(path)?.[0] ?? '';
    this.conn.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: this.server.languages[ext] ?? 'plaintext', version: 1, text: text ?? readFileSync(path, 'utf8') },
    });
    this.opened.add(uri);
    return uri;
  }

  async documentSymbols(uri: string): Promise<DocumentSymbol[]> {
    return (await this.request<DocumentSymbol[] | null>('textDocument/documentSymbol', { textDocument: { uri } })) ?? [];
  }

  async prepare(uri: string, pos: LspPosition): Promise<CallHierarchyItem[]> {
    return (await this.request<CallHierarchyItem[] | null>('textDocument/prepareCallHierarchy', { textDocument: { uri }, position: pos })) ?? [];
  }

  async incoming(item: CallHierarchyItem): Promise<IncomingCall[]> {
    return (await this.request<IncomingCall[] | null>('callHierarchy/incomingCalls', { item })) ?? [];
  }

  async references(uri: string, pos: LspPosition): Promise<LspLocation[]> {
    return (await this.request<LspLocation[] | null>('textDocument/references', { textDocument: { uri }, position: pos, context: { includeDeclaration: false } })) ?? [];
  }

  async definitions(uri: string, pos: LspPosition): Promise<LspLocation[]> {
    type Link = { targetUri: string; targetSelectionRange: LspRange };
    const answer = await this.request<LspLocation | Array<LspLocation | Link> | null>('textDocument/definition', { textDocument: { uri }, position: pos });
    // A server may answer with one location, or with links (LSP 3.14) although we do not ask for them.
    return (Array.isArray(answer) ? answer : answer ? [answer] : []).map((d) => ('targetUri' in d ? { uri: d.targetUri, range: d.targetSelectionRange } : d));
  }

  /**
   * Asks the server to shut down, gives it a second to exit, then ends its whole process group:
   * children that outlive it (and would keep its pipes, and so this process, alive) go too.
   */
  async stop(): Promise<void> {
    if (this.conn && !this.exited) {
      await this.request('shutdown', null, 2000).catch(() => undefined);
      try {
        this.conn.sendNotification('exit');
      } catch {
        /* the connection closed meanwhile */
      }
    }
    this.conn?.dispose();
    this.conn = null;
    const p = this.proc;
    if (!p) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.gone, new Promise<void>((resolve) => { timer = setTimeout(resolve, 1000); })]);
    clearTimeout(timer);
    try {
      if (p.pid && process.platform !== 'win32') process.kill(-p.pid, 'SIGKILL');
      else p.kill('SIGKILL');
    } catch {
      /* the group is already gone */
    }
    // The buffer in front of stdin is only detached: destroyed, a late write into it would fail
    // inside vscode-jsonrpc where the rejection cannot be caught.
    this.toServer?.unpipe();
    for (const stream of [p.stdin, p.stdout, p.stderr]) stream?.destroy();
    this.proc = null;
  }

  /** Peak resident memory (VmHWM) of the server and the processes it started (tsserver), in MB. */
  peakRssMb(): number | null {
    const pid = this.proc?.pid;
    if (!pid) return null;
    try {
      const children = new Map<number, number[]>();
      for (const d of readdirSync('/proc')) {
        if (!/^\d+$/.test(d)) continue;
        try {
          const ppid = Number(readFileSync(`/proc/${d}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]);
          (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(Number(d));
        } catch {
          /* the process ended meanwhile */
        }
      }
      let total = 0;
      const stack = [pid];
      while (stack.length) {
        const p = stack.pop()!;
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
        if (m) total += Number(m[1]) / 1024;
        stack.push(...(children.get(p) ?? []));
      }
      return total;
    } catch {
      return null;
    }
  }
}
