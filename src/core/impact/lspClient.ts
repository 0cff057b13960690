// A minimal LSP client over stdio (vscode-jsonrpc framing) for call-hierarchy queries: spawns the
// server as a child process, initialises it for one root folder, times every request out, and
// logs each call with its duration. Never a shell; the server gets no plugins from the tree.

import { spawn, ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
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
}

export interface LspPosition { line: number; character: number }
export interface LspRange { start: LspPosition; end: LspPosition }
export interface DocumentSymbol { name: string; kind: number; range: LspRange; selectionRange: LspRange; children?: DocumentSymbol[]; detail?: string }
export interface CallHierarchyItem { name: string; kind: number; uri: string; range: LspRange; selectionRange: LspRange; detail?: string; data?: unknown }
export interface IncomingCall { from: CallHierarchyItem; fromRanges: LspRange[] }

export class LspError extends Error {}

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
  private readonly opened = new Set<string>();
  private exited = false;
  readonly rootUri: string;
  /** Spawn to `initialize` answered, in ms (null before). */
  readyMs: number | null = null;

  constructor(readonly root: string, private readonly server: ServerCommand, private readonly logger: Logger = silentLogger, private readonly timeoutMs = 20_000) {
    this.rootUri = pathToFileURL(root).href;
  }

  get alive(): boolean {
    return this.conn !== null && !this.exited;
  }

  async start(): Promise<void> {
    const t0 = performance.now();
    const proc = spawn(this.server.command, this.server.args, { cwd: this.root, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    this.proc = proc;
    proc.on('exit', (code, signal) => {
      this.exited = true;
      this.logger.info(`${this.server.name} exited (${signal ?? code})`);
    });
    proc.on('error', (e) => {
      this.exited = true;
      this.logger.warn(`${this.server.name} could not start: ${e.message}`);
    });
    proc.stderr?.on('data', () => { /* servers chat on stderr; the log channel has the requests */ });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    conn.onNotification(() => { /* diagnostics and progress are not needed */ });
    conn.onRequest(() => null);
    conn.onError(() => { this.exited = true; });
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
    }, 60_000);
    conn.sendNotification('initialized', {});
    this.readyMs = performance.now() - t0;
    this.logger.info(`${this.server.name} ready in ${this.readyMs.toFixed(0)} ms for ${this.root}`);
  }

  async request<T>(method: string, params: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    if (!this.conn || this.exited) throw new LspError(`${this.server.name} is not running`);
    const t0 = performance.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.conn.sendRequest(method, params) as Promise<T>,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new LspError(`${this.server.name}: ${method} timed out after ${timeoutMs} ms`)), timeoutMs);
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

  async stop(): Promise<void> {
    if (this.conn && !this.exited) {
      await this.request('shutdown', null, 2000).catch(() => undefined);
      this.conn.sendNotification('exit');
    }
    this.conn?.dispose();
    this.conn = null;
    const p = this.proc;
    if (p && p.exitCode === null) {
      setTimeout(() => { if (p.exitCode === null) p.kill('SIGKILL'); }, 1000).unref();
    }
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
