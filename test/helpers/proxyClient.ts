// The real typescript-language-server seen through the editor's source interface
// (ServerCommand.connect), for tests that must see or shape what the walk asks of a server: every
// call goes to the real server; the proxy counts requests in flight and may move one item elsewhere.
import { CallHierarchyItem, DocumentSymbol, HierarchyClient, IncomingCall, LspClient, LspLocation, LspPosition, RequestFailed, ServerCommand } from '../../src/core/impact/lspClient';
import { typescriptServer } from '../../src/core/impact/servers';

export class ProxyClient implements HierarchyClient {
  readonly answered = true;
  inFlight = 0;
  maxInFlight = 0;
  /** Each request's method and what it was about, in the order they were sent. */
  readonly asked: string[] = [];

  constructor(
    private readonly real: LspClient,
    private readonly rewrite: (item: CallHierarchyItem) => CallHierarchyItem = (i) => i,
    private readonly failPrepare: (uri: string) => boolean = () => false,
  ) {}

  get root(): string { return this.real.root; }
  get alive(): boolean { return this.real.alive; }
  get readyMs(): number | null { return this.real.readyMs; }
  set readyMs(v: number | null) { this.real.readyMs = v; }
  start(): Promise<void> { return this.real.start(); }
  open(path: string): string { return this.real.open(path); }
  stop(): Promise<void> { return this.real.stop(); }
  peakRssMb(): number | null { return this.real.peakRssMb(); }

  private async track<T>(what: string, p: () => Promise<T>): Promise<T> {
    this.asked.push(what);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    try {
      return await p();
    } finally {
      this.inFlight--;
    }
  }

  documentSymbols(uri: string): Promise<DocumentSymbol[]> {
    return this.track(`symbols ${uri}`, () => this.real.documentSymbols(uri));
  }
  prepare(uri: string, pos: LspPosition): Promise<CallHierarchyItem[]> {
    return this.track(`prepare ${uri}:${pos.line}:${pos.character}`, async () => {
      // The language server answers a prepare it cannot do with an empty list, never an error; an
      // editor provider that throws is reported so by the editor's client (editorHierarchy.ts).
      if (this.failPrepare(uri)) throw new RequestFailed('vscode.prepareCallHierarchy', 'the provider threw');
      return this.real.prepare(uri, pos);
    });
  }
  incoming(item: CallHierarchyItem): Promise<IncomingCall[]> {
    return this.track(`incoming ${item.name}`, () => this.real.incoming(this.rewrite(item)));
  }
  references(uri: string, pos: LspPosition): Promise<LspLocation[]> {
    return this.track(`references ${uri}:${pos.line}:${pos.character}`, () => this.real.references(uri, pos));
  }
}

/**
 * An editor-like source over the real bundled server; `made` receives each client it connects.
 * `rewrite` moves an incoming-calls item elsewhere (a file no project holds gets the real server's
 * own error answer); `failPrepare` stands in for an editor provider that throws on a prepare.
 */
export function proxySource(made: (c: ProxyClient) => void, rewrite?: (item: CallHierarchyItem) => CallHierarchyItem, failPrepare?: (uri: string) => boolean): ServerCommand {
  return {
    name: 'test source', command: 'test', args: [], languages: {},
    connect: (root) => {
      const c = new ProxyClient(new LspClient(root, typescriptServer({ tree: root, trusted: false })!), rewrite, failPrepare);
      made(c);
      return c;
    },
  };
}
