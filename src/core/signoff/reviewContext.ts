// Everything approve, verify and the checklist need about one review: the analysed change set,
// the base's configuration, and the reviewer's session reconciled with the current head.

import { analyzeChangeSet } from '../analysis/analyze';
import { RepoContext, commonGitDir, repoRoot } from '../git/repository';
import { ChangeSet } from '../review/changeSetTypes';
import { ReviewConfig } from '../checklist/checklistTypes';
import { loadConfig } from '../checklist/loadConfig';
import { ReviewSession, loadSession, reconcileSession } from '../checklist/session';
import { Logger } from '../logger';
import { gitIdentity } from './signoffPlan';
import { formatIdentity } from './trailers';

export interface ReviewContext {
  cs: ChangeSet;
  config: ReviewConfig;
  session: ReviewSession;
  droppedVisits: string[];
  gitDir: string;
  reviewer: string;
  ctx: RepoContext;
}

export async function openReview(opts: { repo: string; base?: string; head?: string; reviewer?: string; signal?: AbortSignal; logger?: Logger }): Promise<ReviewContext> {
  const root = await repoRoot(opts.repo, { signal: opts.signal, logger: opts.logger });
  const ctx: RepoContext = { cwd: root, signal: opts.signal, logger: opts.logger };
  const cs = await analyzeChangeSet({ repo: root, base: opts.base, head: opts.head, signal: opts.signal, logger: opts.logger });
  const config = await loadConfig(cs.baseCommit, ctx);
  const gitDir = await commonGitDir(ctx);
  let reviewer = opts.reviewer;
  if (!reviewer) {
    const id = await gitIdentity(ctx);
    reviewer = formatIdentity(id.name, id.email);
  }
  const stored = loadSession(gitDir, reviewer, cs.base, cs.head, cs.headCommit, opts.logger);
  const { session, droppedVisits } = reconcileSession(stored, cs);
  return { cs, config, session, droppedVisits, gitDir, reviewer, ctx };
}
