// The open review: analyses a range with the core (history and risk first, call-graph impact
// progressively after), keeps the reviewer's session, and tells every view when anything changed.
// The last review reopens after a window reload.
import * as vscode from 'vscode';
import { editorSource } from '../impact/editorHierarchy';
import { analyzeChangeSet } from '../../core/analysis/analyze';
import { attachImpact } from '../../core/impact/attachImpact';
import { ImpactSession, DEFAULT_IMPACT_OPTIONS } from '../../core/impact/impactSession';
import { attachRisk } from '../../core/risk/attachRisk';
import { levelsReport } from '../../core/risk/levelsReport';
import { ChangeSetHistory } from '../../core/history/historyTypes';
import { ChangeSet, ChangedFile, Hunk } from '../../core/review/changeSetTypes';
import { ReviewConfig } from '../../core/checklist/checklistTypes';
import { loadConfig } from '../../core/checklist/loadConfig';
import { ReviewSession, loadSession, reconcileSession } from '../../core/checklist/session';
import { saveSessionKeepingHeads } from '../../core/loop/reviewedHeads';
import type { PullRequestRef } from '../loop/reviewName';
import { SinceReview } from '../../core/loop/interdiff';
import { classifySinceReview } from '../loop/sinceReview';
import { commonGitDir, repoRoot, RepoContext } from '../../core/git/repository';
import { gitIdentity } from '../../core/signoff/signoffPlan';
import { formatIdentity } from '../../core/signoff/trailers';
import { Logger } from '../../core/logger';
import { readSettings } from '../host/settings';
import { toSignal } from '../host/vscodeLogger';

export interface OpenRequest {
  repo: string;
  base?: string;
  head?: string;
  label?: string;
  /** Set when the review was opened from a pull request (its comments, host threads, publishing). */
  pr?: PullRequestRef;
}

export interface Review {
  request: OpenRequest;
  cs: ChangeSet;
  config: ReviewConfig;
  session: ReviewSession;
  gitDir: string;
  reviewer: string;
  ctx: RepoContext;
  impactReady: boolean;
  /** The classification against the reviewer's last review of this range; null when there was none. */
  since: SinceReview | null;
}

const LAST_REVIEW = 'seniorReview.lastReview';

export class ReviewController implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Review | null>();
  readonly onDidChange = this.emitter.event;
  current: Review | null = null;
  private impact: ImpactSession | null = null;
  private cancel: vscode.CancellationTokenSource | null = null;

  constructor(private readonly context: vscode.ExtensionContext, private readonly logger: Logger) {}

  async open(req: OpenRequest): Promise<Review | null> {
    this.cancel?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.cancel = cts;
    const settings = readSettings();
    const review = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Senior Review: analysing {0}', req.label ?? `${req.base ?? 'base'}...${req.head ?? 'HEAD'}`), cancellable: true },
      async (_p, token) => {
        token.onCancellationRequested(() => cts.cancel());
        const signal = toSignal(cts.token);
        const root = await repoRoot(req.repo, { signal, logger: this.logger });
        const ctx: RepoContext = { cwd: root, signal, logger: this.logger };
        const cs = await analyzeChangeSet({ repo: root, base: req.base ?? settings.baseBranch, head: req.head, signal, logger: this.logger, history: settings.history });
        const config = await loadConfig(cs.baseCommit, ctx);
        const gitDir = await commonGitDir(ctx);
        const id = settings.reviewer ?? (await gitIdentity(ctx).then((i) => formatIdentity(i.name, i.email)).catch(() => 'Unknown Reviewer <unknown@localhost>'));
        const { session, droppedVisits } = reconcileSession(loadSession(gitDir, id, cs.base, cs.head, cs.headCommit, this.logger), cs);
        // Saved with the heads its rounds refer to pinned, so a force-push cannot take them away.
        await saveSessionKeepingHeads(gitDir, session, ctx);
        const since = await classifySinceReview(cs, id, gitDir, ctx, this.logger);
        if (droppedVisits.length) void vscode.window.showInformationMessage(vscode.l10n.t('The head moved: {0} visited hunk(s) changed and must be visited again.', droppedVisits.length));
        return { request: { ...req, repo: root }, cs, config, session, gitDir, reviewer: id, ctx: { cwd: root, logger: this.logger }, impactReady: false, since } as Review;
      },
    ).then((r) => r, (e: Error) => {
      if (!cts.token.isCancellationRequested) void vscode.window.showErrorMessage(vscode.l10n.t('Senior Review: {0}', e.message.split('\n')[0]));
      return null;
    });
    if (!review) return null;
    this.current = review;
    await this.context.workspaceState.update(LAST_REVIEW, review.request);
    await vscode.commands.executeCommand('setContext', 'seniorReview.open', true);
    this.emitter.fire(review);
    // The gating figure (SZZ over a year of fixes) comes last: minutes on a large repository the
    // first time, then cached with the history index. Levels do not wait for it.
    void (settings.impact.enabled ? this.loadImpact(review, cts.token) : Promise.resolve()).then(() => this.loadGating(review, cts.token));
    return review;
  }

  /** Measures (or reads) this repository's gating figure for the PR's level, then redraws the PR row. */
  private async loadGating(review: Review, token: vscode.CancellationToken): Promise<void> {
    const history = review.cs.history as ChangeSetHistory | undefined;
    // Fixed thresholds have no level share to measure; a figure for this very base is already here.
    if (!history || review.config.riskThresholds || history.gating?.base === review.cs.baseCommit || token.isCancellationRequested) return;
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Senior Review: gating figure') }, async (progress) => {
      try {
        const report = await levelsReport(
          { base: review.cs.baseCommit, options: readSettings().history, onProgress: (d, n) => progress.report({ message: vscode.l10n.t('{0} of {1} fixes blamed', d, n) }) },
          { ...review.ctx, signal: toSignal(token) },
        );
        if (!report.gating || token.isCancellationRequested) return;
        history.gating = report.gating;
        attachRisk(review.cs, review.config);
        if (this.current === review) this.emitter.fire(review);
      } catch (e) {
        if (!token.isCancellationRequested) this.logger.warn(`gating: ${(e as Error).message}`);
      }
    });
  }

  /** Call-graph impact arrives hunk by hunk; the views redraw as it does. */
  private async loadImpact(review: Review, token: vscode.CancellationToken): Promise<void> {
    const settings = readSettings();
    await this.impact?.dispose();
    this.impact = new ImpactSession(
      review.ctx,
      {
        ...DEFAULT_IMPACT_OPTIONS,
        maxDepth: settings.impact.maxDepth,
        servers: settings.impact.servers,
        serverTimeoutMs: settings.impact.serverTimeoutMs,
        trusted: vscode.workspace.isTrusted,
        editor: editorSource(),
        preferEditor: settings.impact.source === 'editor',
      },
      this.logger,
    );
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Senior Review: call-graph impact') }, async () => {
      try {
        let n = 0;
        await attachImpact(review.cs, review.ctx, {
          session: this.impact!, signal: toSignal(token), logger: this.logger, trusted: vscode.workspace.isTrusted,
          onHunk: () => {
            if (++n % 5 === 0 && this.current === review) this.emitter.fire(review);
          },
        });
        attachRisk(review.cs, review.config);
        review.impactReady = true;
        if (this.current === review) this.emitter.fire(review);
      } catch (e) {
        if (!token.isCancellationRequested) this.logger.warn(`impact: ${(e as Error).message}`);
      }
    });
  }

  async reopenLast(): Promise<void> {
    const last = this.context.workspaceState.get<OpenRequest>(LAST_REVIEW);
    if (last) await this.open(last);
  }

  async refresh(): Promise<void> {
    if (this.current) await this.open(this.current.request);
  }

  async close(): Promise<void> {
    this.cancel?.cancel();
    this.current = null;
    await this.impact?.dispose();
    this.impact = null;
    await this.context.workspaceState.update(LAST_REVIEW, undefined);
    await vscode.commands.executeCommand('setContext', 'seniorReview.open', false);
    this.emitter.fire(null);
  }

  /** Saves the session after the reviewer changed it, and redraws. */
  touch(): void {
    if (!this.current) return;
    const r = this.current;
    // The session file is written at once (the synchronous part); the heads' refs follow.
    void saveSessionKeepingHeads(r.gitDir, r.session, r.ctx).catch((e: Error) => this.logger.warn(`saving the review session: ${e.message}`));
    this.emitter.fire(this.current);
  }

  findHunk(id: string): { file: ChangedFile; hunk: Hunk } | null {
    for (const file of this.current?.cs.files ?? []) for (const hunk of file.hunks) if (hunk.id === id) return { file, hunk };
    return null;
  }

  dispose(): void {
    this.cancel?.cancel();
    void this.impact?.dispose();
    this.emitter.dispose();
  }
}
