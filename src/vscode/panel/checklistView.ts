// The Checklist panel (a webview view in the sidebar): items with help, notes where required,
// progress, the hunks still to visit, Approve and Request Changes. Strict CSP with a nonce; state
// lives in the core session (under .git), so it survives reloads.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import { applicableItems, factsFromChangeSet } from '../../core/checklist/evaluate';
import { isChecked, noteOf, setNote, tick } from '../../core/checklist/session';
import { ReviewController } from '../review/reviewController';
import { HunkLabels } from '../review/hunkLabels';
import { riskFigure, riskOf } from '../review/viewModel';
import { FromPanel, PanelState, ToPanel } from './panelMessages';

export class ChecklistView implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | null = null;
  private ready = false;

  constructor(private readonly context: vscode.ExtensionContext, private readonly controller: ReviewController, private readonly labels: HunkLabels) {
    controller.onDidChange(() => this.post());
    labels.onDidChange(() => this.post());
  }

  state(): PanelState {
    const r = this.controller.current;
    if (!r) return { open: false, range: '', reviewer: '', risk: null, items: [], toVisit: null, source: '', pullRequest: null };
    const risk = riskOf(r.cs);
    return {
      open: true,
      range: `${r.cs.base}...${r.cs.head}`,
      reviewer: r.reviewer,
      risk: risk ? { score: risk.score, level: risk.level, reasons: risk.reasons.map((x) => x.text) } : null,
      items: applicableItems(r.config.items, factsFromChangeSet(r.cs)).map((i) => ({ id: i.id, title: i.title, help: i.help, required: i.required, requiresNote: i.requiresNote, checked: isChecked(r.session, i.id), note: noteOf(r.session, i.id) ?? '' })),
      // The review's one fixed list (null until history is read), never worked out again here.
      toVisit: r.required?.map((v) => {
        const at = this.controller.findHunk(v.id)!;
        const risk = riskOf(at.hunk);
        return { id: v.id, figure: risk ? riskFigure(risk) : v.level, name: this.labels.name(at.file, at.hunk).text, path: v.path, level: v.level, visited: r.session.visited.includes(v.id) };
      }) ?? null,
      source: r.config.source,
      pullRequest: r.request.pr?.number ?? null,
    };
  }

  private post(): void {
    if (this.view && this.ready) void this.view.webview.postMessage({ type: 'state', state: this.state() } satisfies ToPanel);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    view.webview.options = { enableScripts: true, localResourceRoots: [media] };
    const nonce = randomBytes(16).toString('base64');
    const script = view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'checklist.js'));
    const paths = view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'pathShortening.js'));
    const style = view.webview.asWebviewUri(vscode.Uri.joinPath(media, 'checklist.css'));
    view.webview.html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${view.webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="${style}"><title>Checklist</title></head>
<body><main id="root" aria-live="polite"></main><script nonce="${nonce}" src="${paths}"></script><script nonce="${nonce}" src="${script}"></script></body></html>`;
    view.webview.onDidReceiveMessage((m: FromPanel) => this.receive(m));
    view.onDidDispose(() => { this.view = null; });
  }

  /** A message of the webview (public: the host tests send the panel's messages as the webview does). */
  async receive(m: FromPanel): Promise<void> {
    const r = this.controller.current;
    if (m.type === 'ready') {
      this.ready = true;
      return this.post();
    }
    if (!r) return;
    if (m.type === 'tick') tick(r.session, m.id, m.checked);
    else if (m.type === 'note') setNote(r.session, m.id, m.text.slice(0, 2000));
    else if (m.type === 'openHunk') return void vscode.commands.executeCommand('seniorReview.openHunk', m.id);
    else if (m.type === 'approve') return void vscode.commands.executeCommand('seniorReview.approve');
    else if (m.type === 'requestChanges') return void vscode.commands.executeCommand('seniorReview.requestChanges');
    else if (m.type === 'publish') return void vscode.commands.executeCommand('seniorReview.publishReview');
    this.controller.touch();
  }
}

export function registerChecklistView(context: vscode.ExtensionContext, controller: ReviewController, labels: HunkLabels): ChecklistView {
  const view = new ChecklistView(context, controller, labels);
  context.subscriptions.push(vscode.window.registerWebviewViewProvider('seniorReview.checklist', view));
  return view;
}
