// VS Code's own call-hierarchy providers as an impact source: whatever language extension the
// reviewer has installed (Python, Go, Rust, C/C++, Java…) answers through the public commands
// `vscode.executeDocumentSymbolProvider`, `vscode.prepareCallHierarchy` and
// `vscode.provideIncomingCalls`. They read the open workspace, so the core uses this source only
// when the reviewed head is the checked-out, clean workspace.

import * as vscode from 'vscode';
import { CallHierarchyItem, DocumentSymbol, HierarchyClient, IncomingCall, LspPosition, LspRange, RequestFailed, ServerCommand } from '../../core/impact/lspClient';

function range(r: vscode.Range): LspRange {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

/** vscode.SymbolKind counts from 0, LSP's from 1. */
const lspKind = (k: vscode.SymbolKind): number => k + 1;

/** The command returns objects that are both kinds at once: prefer the tree (it has the name's range). */
function symbol(s: vscode.DocumentSymbol | vscode.SymbolInformation): DocumentSymbol {
  if ('selectionRange' in s) return { name: s.name, kind: lspKind(s.kind), detail: s.detail, range: range(s.range), selectionRange: range(s.selectionRange), children: (s.children ?? []).map(symbol) };
  return { name: s.name, kind: lspKind(s.kind), range: range(s.location.range), selectionRange: range(s.location.range) };
}

/**
 * Runs one of the editor's commands. A provider that throws fails that request only: the editor
 * and its other providers run on, so only the hunk that asked loses the answer (as with a
 * language server's error answer), instead of the source being dropped for the whole review.
 */
async function ask<T>(command: string, ...args: unknown[]): Promise<T | undefined> {
  try {
    return await vscode.commands.executeCommand<T | undefined>(command, ...args);
  } catch (e) {
    throw new RequestFailed(command, e instanceof Error ? e.message : String(e));
  }
}

export class EditorHierarchyClient implements HierarchyClient {
  readonly alive = true;
  readyMs: number | null = 0;
  answered = false;
  /** The provider's own items, by the id put in `data`: incoming calls need the original object. */
  private readonly items = new Map<string, vscode.CallHierarchyItem>();

  constructor(readonly root: string) {}

  async start(): Promise<void> {
    /* the providers are already running in the editor */
  }

  open(path: string): string {
    return vscode.Uri.file(path).toString();
  }

  async documentSymbols(uri: string): Promise<DocumentSymbol[]> {
    const got = await ask<Array<vscode.DocumentSymbol | vscode.SymbolInformation>>('vscode.executeDocumentSymbolProvider', vscode.Uri.parse(uri));
    return (got ?? []).map(symbol);
  }

  private item(i: vscode.CallHierarchyItem): CallHierarchyItem {
    const id = String(this.items.size);
    this.items.set(id, i);
    return { name: i.name, kind: lspKind(i.kind), uri: i.uri.toString(), range: range(i.range), selectionRange: range(i.selectionRange), detail: i.detail, data: id };
  }

  async prepare(uri: string, pos: LspPosition): Promise<CallHierarchyItem[]> {
    const got = await ask<vscode.CallHierarchyItem[] | vscode.CallHierarchyItem>('vscode.prepareCallHierarchy', vscode.Uri.parse(uri), new vscode.Position(pos.line, pos.character));
    const items = (Array.isArray(got) ? got : got ? [got] : []).map((i) => this.item(i));
    if (items.length) this.answered = true;
    return items;
  }

  async incoming(item: CallHierarchyItem): Promise<IncomingCall[]> {
    const original = this.items.get(String(item.data));
    if (!original) throw new Error(`unknown call hierarchy item ${item.name}`);
    const got = await ask<vscode.CallHierarchyIncomingCall[]>('vscode.provideIncomingCalls', original);
    return (got ?? []).map((c) => ({ from: this.item(c.from), fromRanges: c.fromRanges.map(range) }));
  }

  private waited: boolean | null = null;

  /** Polls up to 20 s, once per session: a provider that never answers is taken as missing. */
  async waitForProvider(uri: string, pos: LspPosition): Promise<boolean> {
    if (this.waited !== null) return false;
    const t0 = Date.now();
    while (Date.now() - t0 < 20_000) {
      await new Promise((r) => setTimeout(r, 250));
      if ((await this.prepare(uri, pos)).length) return (this.waited = true);
    }
    return (this.waited = false);
  }

  async stop(): Promise<void> {
    this.items.clear();
  }

  peakRssMb(): number | null {
    return null;
  }
}

/** The editor as a call-hierarchy source for the core's impact session. */
export function editorSource(): ServerCommand {
  return { name: 'VS Code call hierarchy', command: 'vscode', args: [], languages: {}, connect: (root) => new EditorHierarchyClient(root) };
}
