// The open review: the tree as soon as the change set exists, then history (levels and the hunks
// to visit final), then call-graph impact riskiest first, all from the core pipeline with one
// cancellable progress naming the pass and the count; keeps the reviewer's session, tells every
// view when anything changed, and reopens the last review after a window reload.
import * as vscode from 'vscode';
import { editorSource } from '../impact/editorHierarchy';
import { runAnalysis } from '../../core/analysis/pipeline';
import { progressText, statusOf } from '../../core/analysis/analysisStatus';
import { impactOptionsFromSettings } from '../../core/analysis/analysisOptions';
import { impactSessionOptions } from '../../core/impact/attachImpact';
import { ImpactSession } from '../../core/impact/impactSession';
import { attachRisk } from '../../core/risk/attachRisk';
import { levelsReport } from '../../core/risk/levelsReport';
import { ChangeSetHistory } from '../../core/history/historyTypes';
import { ChangeSet, ChangedFile, Hunk } from '../../core/review/changeSetTypes';
import { ReviewConfig } from '../../core/checklist/checklistTypes';
import { loadConfig } from '../../core/checklist/loadConfig';
import { mustVisitHunks } from '../../core/checklist/evaluate';
import { ReviewSession, loadSession, reconcileSession } from '../../core/checklist/session';
import { saveSessionKeepingHeads } from '../../core/loop/reviewedHeads';
import type { PullRequestRef } from '../loop/reviewName';
import { SinceReview } from '../../core/loop/interdiff';
import { classifySinceReview } from '../loop/sinceReview';
import { commonGitDir, repoRoot, RepoContext } from '../../core/git/repository';
import { resolveEnds } from '../../core/review/resolveRange';
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
  /** Every pass is done (or off): no number of the review is pending any more. */
  impactReady: boolean;
  /** The classification against the reviewer's last review of this range; null when there was none. */
  since: SinceReview | null;
  /**
   * The hunks the checklist requires, fixed when risk became final (after history); null before.
   * The one list every view reads (tree, panel, status bar).
   */
  required: MustVisit[] | null;
  /** When Open Review was asked for, and when its tree could be drawn (ms, for the host test's figure). */
  openedAt: number;
  shownAt: number;
}

/** A hunk the checklist requires, with the level that requires it. */
export type MustVisit = ReturnType<typeof mustVisitHunks>[number];

const LAST_REVIEW = 'seniorReview.lastReview';

export class ReviewController implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Review | null>();
  readonly onDidChange = this.emitter.event;
  current: Review | null = null;
  private cancel: vscode.CancellationTokenSource | null = null;

  constructor(private readonly context: vscode.ExtensionContext, private readonly logger: Logger) {}

  /**
   * Opens a review; resolves as soon as its tree can be drawn (the change set exists), or with
   * null when it failed or was cancelled before that. History and impact go on under one
   * cancellable progress notification that names the pass and the count.
   */
  async open(req: OpenRequest): Promise<Review | null> {
    const openedAt = performance.now();
    this.cancel?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.cancel = cts;
    const settings = readSettings();
    // Remembered before the analysis, so a reload while it runs still brings this review back (the
    // value is set at once; only its writing to disk is waited for, and not by the first render).
    const before = this.context.workspaceState.get<OpenRequest>(LAST_REVIEW);
    void this.context.workspaceState.update(LAST_REVIEW, req);
    // Failed or cancelled before anything was shown: the review still shown (if any) is the one to
    // bring back, unless a newer open replaced the request.
    const forget = async (): Promise<void> => {
      if (JSON.stringify(this.context.workspaceState.get(LAST_REVIEW)) === JSON.stringify(req)) await this.context.workspaceState.update(LAST_REVIEW, before);
    };
    const title = vscode.l10n.t('Senior Review: analysing {0}', req.label ?? `${req.base ?? 'base'}...${req.head ?? 'HEAD'}`);
    return new Promise<Review | null>((shown) => {
      void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
        token.onCancellationRequested(() => cts.cancel());
        const signal = toSignal(cts.token);
        // Set from the changes event (a callback), so not narrowed to null below.
        let review = null as Promise<Review> | null;
        let session: ImpactSession | null = null;
        try {
          const root = await repoRoot(req.repo, { signal, logger: this.logger });
          const ctx: RepoContext = { cwd: root, signal, logger: this.logger };
          // Asked while git computes the change set: the first render waits for neither. A failure
          // here is the repository's, and the analysis reports it.
          const who = Promise.all([
            commonGitDir(ctx),
            settings.reviewer ?? gitIdentity(ctx).then((i) => formatIdentity(i.name, i.email)).catch(() => 'Unknown Reviewer <unknown@localhost>'),
          ]);
          who.catch(() => undefined);
          // The base's checklist, read from the base the range resolves to now; a base that moved
          // before the change set was made is read again at the change set's own base commit.
          const early = resolveEnds({ base: req.base ?? settings.baseBranch, head: req.head }, ctx).then(async (e) => ({ baseCommit: e.baseCommit, config: await loadConfig(e.baseCommit, ctx) }));
          early.catch(() => undefined);
          const impact = settings.impact.enabled ? impactOptionsFromSettings(settings.impact) : false;
          const redraw = this.throttledRedraw();
          // The editor's own providers answer only when asked for, and only for languages no server handles.
          if (impact && settings.impact.source === 'editor') session = this.editorSession(ctx, impact);
          await runAnalysis(
            {
              repo: root, base: req.base ?? settings.baseBranch, head: req.head, signal, logger: this.logger, history: settings.history,
              impact: impact && session ? { ...impact, session } : impact,
            },
            {
              changes: (cs) => {
                // A newer Open Review took over: this one draws nothing.
                if (this.cancel !== cts) return;
                const rctx: RepoContext = { cwd: root, logger: this.logger };
                const config = early.then((e) => (e.baseCommit === cs.baseCommit ? e.config : loadConfig(cs.baseCommit, rctx)), () => loadConfig(cs.baseCommit, rctx));
                review = who.then(([gitDir, reviewer]) => this.show({ ...req, repo: root }, cs, config, { gitDir, reviewer, ctx: rctx, openedAt }));
                review.then(shown, () => shown(null));
              },
              history: () => void review?.then((r) => this.riskFinal(r)),
              impactHunk: () => void review?.then((r) => redraw(r)),
              progress: (p) => progress.report({ message: progressText(p) }),
            },
          );
          if (!review) {
            await forget();
            return shown(null);
          }
          const r = await review;
          r.impactReady = true;
          this.checkRequired(r, vscode.l10n.t('call-graph impact arrived'));
          if (this.current === r) this.emitter.fire(r);
          // The gating figure (SZZ over a year of fixes) comes last: minutes on a large repository the
          // first time, then cached with the history index. Levels do not wait for it.
          void this.loadGating(r, cts.token);
        } catch (e) {
          shown(null);
          if (!review) void forget();
          if (!cts.token.isCancellationRequested) void vscode.window.showErrorMessage(vscode.l10n.t('Senior Review: {0}', (e as Error).message.split('\n')[0]));
          // What was shown stays; what was pending says so (the tree and hover read `cs.status`).
          void review?.then((r) => this.current === r && this.emitter.fire(r), () => undefined);
        } finally {
          // A session brought along is not the pass's to close: its servers end with the analysis.
          void session?.dispose();
        }
      });
    });
  }

  /**
   * The review of a change set that has files and hunks and nothing else yet: the tree is drawn now.
   * Before it: the stored session (a file), the base's checklist (read while the change set was
   * made) and the comparison with the reviewer's last review (the tree's filter), so no row changes
   * afterwards. After it: what no view shows (the session saved with its heads pinned, the window's memory).
   */
  private async show(request: OpenRequest, cs: ChangeSet, checklist: Promise<ReviewConfig>, at: Pick<Review, 'gitDir' | 'reviewer' | 'ctx' | 'openedAt'>): Promise<Review> {
    const { session, droppedVisits } = reconcileSession(loadSession(at.gitDir, at.reviewer, cs.base, cs.head, cs.headCommit, this.logger), cs);
    const [config, since] = await Promise.all([checklist, classifySinceReview(cs, at.reviewer, at.gitDir, at.ctx, this.logger)]);
    const review: Review = { request, cs, config, session, ...at, impactReady: statusOf(cs)?.impact.state !== 'pending', since, required: null, shownAt: 0 };
    this.current = review;
    // A cached analysis arrives with history already attached: its hunks to visit are fixed before the first paint.
    if (statusOf(cs)?.history !== 'pending') this.fixRequired(review);
    review.shownAt = performance.now();
    this.emitter.fire(review);
    // Saved with the heads its rounds refer to pinned, so a force-push cannot take them away.
    saveSessionKeepingHeads(at.gitDir, session, at.ctx).catch((e: Error) => this.logger.warn(`saving the review session: ${e.message}`));
    void this.context.workspaceState.update(LAST_REVIEW, request);
    void vscode.commands.executeCommand('setContext', 'seniorReview.open', true);
    if (droppedVisits.length) void vscode.window.showInformationMessage(vscode.l10n.t('The head moved: {0} visited hunk(s) changed and must be visited again.', droppedVisits.length));
    return review;
  }

  /** Risk is final: the hunks the checklist requires are fixed from here on. */
  private riskFinal(r: Review): void {
    this.fixRequired(r);
    if (this.current === r) this.emitter.fire(r);
  }

  private fixRequired(r: Review): void {
    r.required ??= mustVisitHunks(r.cs, r.config.mustVisitRiskAtLeast);
  }

  /**
   * The hunks to visit never change silently once the reviewer may have started on them: levels
   * do not depend on impact or gating, so this only speaks if that ever stops holding.
   */
  private checkRequired(r: Review, why: string): void {
    if (!r.required) return;
    const now = mustVisitHunks(r.cs, r.config.mustVisitRiskAtLeast);
    if (now.length === r.required.length && now.every((h, i) => h.id === r.required![i].id && h.level === r.required![i].level)) return;
    void vscode.window.showWarningMessage(vscode.l10n.t('The hunks to visit changed from {0} to {1}: {2}.', r.required.length, now.length, why));
    r.required = now;
  }

  /** Redraws as impact arrives hunk by hunk, at most a few times a second. */
  private throttledRedraw(): (r: Review) => void {
    let timer: NodeJS.Timeout | null = null;
    return (r) => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        if (this.current === r) this.emitter.fire(r);
      }, 250);
    };
  }

  /** An impact session with VS Code's own call-hierarchy providers for languages no server handles. */
  private editorSession(ctx: RepoContext, impact: ReturnType<typeof impactOptionsFromSettings>): ImpactSession {
    return new ImpactSession(ctx, { ...impactSessionOptions(impact), editor: editorSource() }, this.logger);
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
        this.checkRequired(review, vscode.l10n.t('the gating figure arrived'));
        if (this.current === review) this.emitter.fire(review);
      } catch (e) {
        if (!token.isCancellationRequested) this.logger.warn(`gating: ${(e as Error).message}`);
      }
    });
  }

  /** Opens the review open before the window reloaded; false when there was none. */
  async reopenLast(): Promise<boolean> {
    const last = this.context.workspaceState.get<OpenRequest>(LAST_REVIEW);
    if (last) await this.open(last);
    return !!last;
  }

  async refresh(): Promise<void> {
    if (this.current) await this.open(this.current.request);
  }

  async close(): Promise<void> {
    this.cancel?.cancel();
    this.current = null;
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
    this.emitter.dispose();
  }
}
