// The Review tree: the PR summary, then files (status, risk, viewed checkbox) and their hunks
// (risk, the declarations they change, top reason, visited, "to visit" for the review's fixed list
// of hunks the checklist requires), sorted by risk or by path. Every row
// starts with its risk figure, so a narrow sidebar cuts the name, never the number. Selecting a
// hunk opens its diff. After an earlier review, a "Since your last review" row filters to the
// hunks changed or new since.
import * as vscode from 'vscode';
import { ChangeSet, ChangedFile, Hunk } from '../../core/review/changeSetTypes';
import { MustVisit, ReviewController } from './reviewController';
import { HunkLabels } from './hunkLabels';
import { orderedFiles, riskOf, riskTooltip, fileHistoryOf, hunkHistoryOf, riskFigure, scoreText, splitPath } from './viewModel';
import { reviewStateTag, shownFiles, shownHunks, sinceFilterOn, sinceRow } from '../loop/sinceReview';
import { statusOf } from '../../core/analysis/analysisStatus';

type Node = { kind: 'summary'; label: string; detail: string } | { kind: 'since' } | { kind: 'file'; file: ChangedFile } | { kind: 'hunk'; file: ChangedFile; hunk: Hunk };

const LEVEL_ICON: Record<string, vscode.ThemeIcon> = {
  low: new vscode.ThemeIcon('pass', new vscode.ThemeColor('seniorReview.risk.low')),
  medium: new vscode.ThemeIcon('info', new vscode.ThemeColor('seniorReview.risk.medium')),
  high: new vscode.ThemeIcon('warning', new vscode.ThemeColor('seniorReview.risk.high')),
  critical: new vscode.ThemeIcon('error', new vscode.ThemeColor('seniorReview.risk.critical')),
};

export class ReviewTree implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  byRisk = true;
  /** The reviewer's choice for the since-review filter; null: the default (on after an earlier review). */
  sinceChoice: boolean | null = null;
  /** The ids of a review's fixed list of hunks to visit, built once per list (thousands of rows ask). */
  private readonly requiredIds = new WeakMap<MustVisit[], ReadonlySet<string>>();

  constructor(private readonly controller: ReviewController, private readonly labels: HunkLabels) {
    controller.onDidChange(() => this.changed.fire());
    labels.onDidChange(() => this.changed.fire());
  }

  refresh(): void {
    this.changed.fire();
  }

  async getChildren(node?: Node): Promise<Node[]> {
    const r = this.controller.current;
    if (!r) return [];
    if (!node) {
      const pr = riskOf(r.cs);
      const ai = (r.cs.history as { aiAssistedLines?: number } | undefined)?.aiAssistedLines ?? 0;
      const commits = (r.cs.history as { rangeCommits?: unknown[] } | undefined)?.rangeCommits?.length ?? 0;
      const summary: Node = {
        kind: 'summary',
        label: `${pr ? `${riskFigure(pr)} · ` : 'risk … · '}${r.cs.base}...${r.cs.head}`,
        detail: `${commits} commits · ${r.cs.stats.files} files · +${r.cs.stats.additions} −${r.cs.stats.deletions}${r.cs.stats.additions ? ` · AI ${Math.round((ai / r.cs.stats.additions) * 100)}%` : ''}${pendingDetail(r.cs)}`,
      };
      const on = this.sinceOn();
      return [summary, ...(r.since ? [{ kind: 'since' as const }] : []), ...shownFiles(orderedFiles(r.cs, this.byRisk), on).map((file) => ({ kind: 'file' as const, file }))];
    }
    if (node.kind !== 'file') return [];
    // The parse that names the hunks is one read of the file from git: rows appear with their names.
    await this.labels.forFile(node.file);
    return shownHunks(node.file, this.sinceOn()).map((hunk) => ({ kind: 'hunk' as const, file: node.file, hunk }));
  }

  sinceOn(): boolean {
    return sinceFilterOn(this.controller.current?.since ?? null, this.sinceChoice);
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const r = this.controller.current!;
    if (node.kind === 'since') {
      const row = sinceRow(r.since!, this.sinceOn());
      const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
      item.description = row.detail;
      item.tooltip = row.tooltip;
      item.iconPath = new vscode.ThemeIcon(this.sinceOn() ? 'filter-filled' : 'filter');
      item.command = { command: 'seniorReview.toggleSinceReview', title: 'Toggle Since Your Last Review' };
      item.accessibilityInformation = { label: `${row.label}: ${row.detail}` };
      return item;
    }
    if (node.kind === 'summary') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.description = node.detail;
      item.iconPath = new vscode.ThemeIcon('git-pull-request');
      item.tooltip = riskTooltip(riskOf(r.cs));
      item.accessibilityInformation = { label: `${node.label}: ${node.detail}` };
      return item;
    }
    if (node.kind === 'file') {
      const f = node.file;
      const risk = riskOf(f);
      const { dir, name } = splitPath(f.path);
      const item = new vscode.TreeItem(`${risk ? `${riskFigure(risk)} · ` : ''}${name}`, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `file:${f.path}`;
      item.description = `${dir ? `${dir} · ` : ''}${f.status}${f.tooLarge ? ' · too large to show' : ''}${risk ? '' : ' · risk …'}${fileHistoryOf(f)?.hotspot.isHotspot ? ' · hotspot' : ''}`;
      item.iconPath = risk ? LEVEL_ICON[risk.level] : new vscode.ThemeIcon('file');
      item.resourceUri = vscode.Uri.file(`${r.cs.repo}/${f.path}`);
      item.checkboxState = r.session.viewedFiles.includes(f.path) ? vscode.TreeItemCheckboxState.Checked : vscode.TreeItemCheckboxState.Unchecked;
      item.contextValue = 'file';
      item.tooltip = riskTooltip(risk);
      item.accessibilityInformation = { label: `${f.path}, ${f.status}${risk ? `, risk ${scoreText(risk)} ${risk.level}` : ', risk pending'}${r.session.viewedFiles.includes(f.path) ? ', viewed' : ''}` };
      return item;
    }
    const h = node.hunk;
    const risk = riskOf(h);
    const visited = r.session.visited.includes(h.id);
    const required = this.isRequired(h.id);
    const name = this.labels.name(node.file, h).text;
    const item = new vscode.TreeItem(`${risk ? `${riskFigure(risk)} · ` : ''}${name}`, vscode.TreeItemCollapsibleState.None);
    item.id = `hunk:${h.id}`;
    item.description = `${risk ? risk.reasons[0]?.text ?? '' : 'risk …'}${hunkHistoryOf(h)?.aiAssisted.lines ? ' · AI' : ''}${reviewStateTag(h)}${required && !visited ? ' · to visit' : ''}`;
    // The label carries the level in words; the icon says whether the hunk was visited.
    item.iconPath = visited ? new vscode.ThemeIcon('check', risk ? new vscode.ThemeColor(`seniorReview.risk.${risk.level}`) : undefined) : risk ? LEVEL_ICON[risk.level] : undefined;
    // `-changed`: the hunk has an earlier version to compare with (What Changed Since I Looked).
    item.contextValue = `${visited ? 'hunk-visited' : 'hunk'}${h.reviewState === 'changed' ? '-changed' : ''}`;
    item.command = { command: 'seniorReview.openHunk', title: 'Open Hunk', arguments: [h.id] };
    item.tooltip = [`${name} (${h.header.replace(/^@@ ([^@]*) @@.*$/, '$1')})`, riskTooltip(risk)].filter(Boolean).join('\n');
    item.accessibilityInformation = { label: `hunk ${name}${risk ? `, risk ${scoreText(risk)} ${risk.level}: ${risk.reasons[0]?.text ?? ''}` : ', risk pending'}${required ? ', required' : ''}${visited ? ', reviewed' : ''}` };
    return item;
  }

  private isRequired(id: string): boolean {
    const list = this.controller.current?.required;
    if (!list) return false;
    let ids = this.requiredIds.get(list);
    if (!ids) this.requiredIds.set(list, (ids = new Set(list.map((h) => h.id))));
    return ids.has(id);
  }
}

export function registerReviewTree(context: vscode.ExtensionContext, controller: ReviewController, labels: HunkLabels): ReviewTree {
  const tree = new ReviewTree(controller, labels);
  const view = vscode.window.createTreeView('seniorReview.review', { treeDataProvider: tree, showCollapseAll: true });
  view.onDidChangeCheckboxState((e) => {
    const r = controller.current;
    if (!r) return;
    for (const [node, state] of e.items) {
      if (node.kind !== 'file') continue;
      r.session.viewedFiles = r.session.viewedFiles.filter((p) => p !== node.file.path);
      if (state === vscode.TreeItemCheckboxState.Checked) r.session.viewedFiles.push(node.file.path);
    }
    controller.touch();
  });
  context.subscriptions.push(
    view,
    vscode.commands.registerCommand('seniorReview.toggleSinceReview', () => {
      tree.sinceChoice = !tree.sinceOn();
      tree.refresh();
    }),
  );
  return tree;
}

/** What the summary row says is still coming: history, then impact with its count. */
function pendingDetail(cs: ChangeSet): string {
  const st = statusOf(cs);
  if (st?.history === 'pending') return ' · history…';
  if (st?.impact.state === 'pending') return ` · impact ${st.impact.analysed}/${st.impact.total} hunks`;
  return '';
}
