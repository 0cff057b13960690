// Inline risk on the head side of each hunk — in the review's diff editors and, when head is the
// checked-out commit, in normal editors: gutter icon, after-line note, overview-ruler mark, hover
// and CodeLens; file badges in the explorer. Decoration types are created once; redraws are
// debounced, and a newer redraw supersedes the pending one.
import * as vscode from 'vscode';
import { ChangedFile, Hunk } from '../../core/review/changeSetTypes';
import { ReviewController } from '../review/reviewController';
import { hoverMarkdown, lensText, riskOf, scoreText } from '../review/viewModel';
import { statusOf } from '../../core/analysis/analysisStatus';
import { SCHEME, gitUri, parseGitUri } from '../diff/diffDocuments';
import { firstChangedLine } from '../../core/review/lineMap';

const LEVELS = ['low', 'medium', 'high', 'critical'] as const;

export class RiskDecorations implements vscode.Disposable, vscode.HoverProvider, vscode.CodeLensProvider, vscode.FileDecorationProvider {
  private readonly types: Record<string, vscode.TextEditorDecorationType>;
  private timer: NodeJS.Timeout | undefined;
  private readonly lensChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensChanged.event;
  private readonly fileChanged = new vscode.EventEmitter<vscode.Uri | vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.fileChanged.event;
  /** What the last redraw put where (for tests and Next/Previous Risky Hunk). */
  readonly applied = new Map<string, Array<{ level: string; line: number; hunkId: string }>>();

  constructor(private readonly context: vscode.ExtensionContext, private readonly controller: ReviewController) {
    this.types = Object.fromEntries(LEVELS.map((level) => [level, vscode.window.createTextEditorDecorationType({
      gutterIconPath: vscode.Uri.joinPath(context.extensionUri, 'media', `risk-${level}.svg`),
      gutterIconSize: '80%',
      overviewRulerColor: new vscode.ThemeColor(`seniorReview.risk.${level}`),
      overviewRulerLane: vscode.OverviewRulerLane.Right,
      isWholeLine: true,
      after: { color: new vscode.ThemeColor('seniorReview.inlineNote'), margin: '0 0 0 2em' },
    })]));
    controller.onDidChange(() => this.schedule());
    context.subscriptions.push(vscode.window.onDidChangeVisibleTextEditors(() => this.schedule()));
  }

  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.redraw(), 75);
    this.lensChanged.fire();
    this.fileChanged.fire(undefined);
  }

  /** The changed file shown by a document, if it is the head side of the open review. */
  fileFor(doc: vscode.TextDocument): ChangedFile | null {
    const r = this.controller.current;
    if (!r) return null;
    if (doc.uri.scheme === SCHEME) {
      const p = parseGitUri(doc.uri);
      if (!p || p.commit !== r.cs.headCommit) return null;
      return r.cs.files.find((f) => f.path === p.path) ?? null;
    }
    if (doc.uri.scheme === 'file' && r.cs.head === 'HEAD' && doc.uri.fsPath.startsWith(r.cs.repo + '/')) {
      const rel = doc.uri.fsPath.slice(r.cs.repo.length + 1);
      return r.cs.files.find((f) => f.path === rel) ?? null;
    }
    return null;
  }

  private redraw(): void {
    this.applied.clear();
    for (const editor of vscode.window.visibleTextEditors) {
      const file = this.fileFor(editor.document);
      const byLevel: Record<string, vscode.DecorationOptions[]> = { low: [], medium: [], high: [], critical: [] };
      for (const h of file?.hunks ?? []) {
        const risk = riskOf(h);
        if (!risk) continue;
        // On the first changed line, not on the context lines git puts before it.
        const line = firstChangedLine(h) - 1;
        if (line >= editor.document.lineCount) continue;
        byLevel[risk.level].push({
          range: new vscode.Range(line, 0, line, 0),
          renderOptions: { after: { contentText: `  risk ${scoreText(risk)}: ${risk.reasons[0]?.text ?? risk.level}` } },
        });
        const key = editor.document.uri.toString();
        this.applied.set(key, [...(this.applied.get(key) ?? []), { level: risk.level, line: line + 1, hunkId: h.id }]);
      }
      for (const level of LEVELS) editor.setDecorations(this.types[level], byLevel[level]);
    }
  }

  private hunkAt(doc: vscode.TextDocument, line: number): { file: ChangedFile; hunk: Hunk } | null {
    const file = this.fileFor(doc);
    if (!file) return null;
    const hunk = file.hunks.find((h) => line + 1 >= h.newStart && line + 1 <= h.newStart + Math.max(h.newLines, 1) - 1);
    return hunk ? { file, hunk } : null;
  }

  provideHover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | null {
    const at = this.hunkAt(doc, pos.line);
    const r = this.controller.current;
    if (!at || !r) return null;
    const link = (path: string, line: number) => {
      const uri = gitUri(r.cs.repo, r.cs.headCommit, path).with({ fragment: `L${line}` });
      return `command:vscode.open?${encodeURIComponent(JSON.stringify([uri, { selection: { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 0 } } }]))}`;
    };
    const text = hoverMarkdown(at.file, at.hunk, link, (r.cs.history as { windowMonths?: number } | undefined)?.windowMonths, statusOf(r.cs));
    // Nothing known yet is no hover at all, not an empty row in the editor's hover.
    if (!text) return null;
    const md = new vscode.MarkdownString(text);
    md.isTrusted = { enabledCommands: ['vscode.open'] };
    md.supportHtml = false;
    return new vscode.Hover(md);
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const file = this.fileFor(doc);
    if (!file) return [];
    return file.hunks.filter((h) => riskOf(h)).map((h) => {
      const line = Math.min(doc.lineCount - 1, firstChangedLine(h) - 1);
      return new vscode.CodeLens(new vscode.Range(line, 0, line, 0), { title: lensText(file, h), command: 'seniorReview.markHunkReviewed', arguments: [h.id] });
    });
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const r = this.controller.current;
    if (!r || uri.scheme !== 'file' || !uri.fsPath.startsWith(r.cs.repo + '/')) return undefined;
    const f = r.cs.files.find((x) => x.path === uri.fsPath.slice(r.cs.repo.length + 1));
    const risk = f && riskOf(f);
    if (!risk || risk.level === 'low') return undefined;
    return new vscode.FileDecoration(risk.level === 'critical' ? '!!' : risk.level === 'high' ? '!' : '•', `Senior Review: risk ${scoreText(risk)} (${risk.level})`, new vscode.ThemeColor(`seniorReview.risk.${risk.level}`));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    Object.values(this.types).forEach((t) => t.dispose());
  }
}

export function registerRiskDecorations(context: vscode.ExtensionContext, controller: ReviewController): RiskDecorations {
  const d = new RiskDecorations(context, controller);
  const selector: vscode.DocumentSelector = [{ scheme: SCHEME }, { scheme: 'file' }];
  context.subscriptions.push(d, vscode.languages.registerHoverProvider(selector, d), vscode.languages.registerCodeLensProvider(selector, d), vscode.window.registerFileDecorationProvider(d));
  return d;
}
