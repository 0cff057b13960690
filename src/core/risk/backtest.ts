// Backtest: scores every non-merge commit of a window as if it were the change under review
// against its parent, from a state built only of the commits before it (no leakage), by walking the
// whole history once. Two walks: the first-parent chain in one streaming `git log --reverse` pass
// (what `evaluate` and `calibrate` measure), or every commit reachable from the tip in commit-time
// order (what the history index holds; the reference the window backtest is proven equal to).
// Call-graph impact is left out: it needs a language server per commit.

import { git, streamGit } from '../git/runGit';
import { RepoContext, commitsOnly, commonGitDir, readBlobAt, resolveCommit } from '../git/repository';
import { LOG_FORMAT, LogCommit, LogStreamParser } from '../history/logStreamParser';
import { fixMatcher, isRevert } from '../history/fixCommits';
import { mailmapArgs } from '../history/historyIndex';
import { DEFAULT_FIX_PATTERNS, DEFAULT_EXCLUDE_GLOBS, DEFAULT_HISTORY_OPTIONS, pathMatcher } from '../history/historyOptions';
import { People, mailmapEmails } from '../history/identities';
import { BacktestEntry, FileState, PersonState, messageFacts, recordCommit, scoreCommit } from './backtestScore';
import { commitOrder } from './commitOrder';
import { ReasonCode } from './riskWeights';

export { BacktestEntry } from './backtestScore';

export interface BacktestOptions {
  since?: number;
  until?: number;
  fixPatterns?: string[];
  excludeGlobs?: string[];
  aiPatterns?: string[];
  /** The history's tip (default HEAD): its .mailmap is used, as the history index uses the base's. */
  tip?: string;
  /** 'first-parent' (default): the mainline; 'all': every commit reachable from the tip, by commit time. */
  commits?: 'first-parent' | 'all';
  windowMonths?: number;
  inactiveMonths?: number;
  weights?: Partial<Record<ReasonCode, number>>;
  onEntry?: (e: BacktestEntry) => void;
}

export async function backtest(ctx: RepoContext, opts: BacktestOptions = {}): Promise<{ entries: BacktestEntry[]; commitsSeen: number; ms: number }> {
  const t0 = performance.now();
  // The tip is resolved where the command runs (HEAD is the checkout's own, a linked worktree's
  // too); the history is then read as commits only, so no checkout's .gitattributes blanks its
  // line counts (see commitsOnly).
  const tip = await resolveCommit(opts.tip ?? 'HEAD', ctx, 'tip');
  ctx = commitsOnly(ctx, await commonGitDir(ctx));
  const firstParent = (opts.commits ?? 'first-parent') === 'first-parent';
  const isFix = fixMatcher(opts.fixPatterns ?? DEFAULT_FIX_PATTERNS);
  const excluded = pathMatcher(opts.excludeGlobs ?? DEFAULT_EXCLUDE_GLOBS);
  const settings = {
    windowMonths: opts.windowMonths ?? DEFAULT_HISTORY_OPTIONS.windowMonths,
    inactiveMonths: opts.inactiveMonths ?? DEFAULT_HISTORY_OPTIONS.inactiveMonths,
    weights: opts.weights,
  };
  const mailmapText = (await readBlobAt(tip, '.mailmap', ctx))?.toString('utf8') ?? null;
  const mailmap = mailmapArgs(tip, mailmapText !== null);
  const limits = [...(firstParent ? ['--first-parent'] : []), ...(opts.until ? [`--until=@${opts.until}`] : []), tip, '--'];
  // Who is one person is decided over every identity of the walk at once (identities.ts), as the
  // analysis decides it over the history index.
  const identities = (await git([...mailmap, 'log', '--format=%aN <%aE>', ...limits], { ...ctx, timeoutMs: 0 })).split('\n').filter(Boolean);
  const people = new People([...new Set(identities)], mailmapEmails(mailmapText));

  const files = new Map<string, FileState>();
  const persons = new Map<number, PersonState>();
  const entries: BacktestEntry[] = [];
  let seen = 0;
  const onCommit = (c: LogCommit) => {
    seen++;
    const t = c.commitTime;
    const person = people.personOf(c.authorName, c.authorEmail) ?? -1;
    const fix = isFix(c.message) || isRevert(c.message);
    const changes = c.files.filter((f) => !excluded(f.path));
    const inWindow = (opts.since === undefined || t >= opts.since) && (opts.until === undefined || t <= opts.until);
    if (inWindow && c.parents.length <= 1 && changes.length > 0) {
      const facts = { sha: c.sha, time: t, person, isFix: fix, files: changes, ...messageFacts(c.message, c.authorName, c.authorEmail, opts.aiPatterns) };
      const e = scoreCommit(facts, (path, oldPath) => files.get(oldPath ?? path) ?? files.get(path), persons, settings);
      entries.push(e);
      opts.onEntry?.(e);
    }
    // The state follows renames: a moved file keeps its history under its new path. In 'all' mode,
    // as in the history index (which keys every record by its path at the tip), a file moved onto
    // a path that had history before (a deleted file's) takes that history on too.
    const touched = new Set<FileState>();
    for (const f of changes) {
      const moved = f.oldPath && f.oldPath !== f.path;
      let s = moved ? files.get(f.oldPath!) : files.get(f.path);
      if (moved && s) files.delete(f.oldPath!);
      const there = moved && !firstParent ? files.get(f.path) : undefined;
      if (s && there && there !== s) s = mergeStates(s, there);
      if (!s) s = { times: [], fixTimes: [], created: t, byPerson: new Map(), ...(firstParent ? {} : { log: [] }) };
      files.set(f.path, s);
      touched.add(s);
    }
    recordCommit({ id: seen, time: t, person, isFix: fix }, touched, persons);
  };

  const args = [...mailmap, 'log', '-z', '--numstat', '-M', '--no-color', '--no-ext-diff', `--format=${LOG_FORMAT}`];
  if (firstParent) {
    const parser = new LogStreamParser(onCommit);
    await streamGit([...args, '--reverse', '--diff-merges=first-parent', ...limits], { ...ctx, timeoutMs: 0 }, (chunk) => parser.push(chunk));
    parser.end();
  } else {
    // Every commit, merges without a diff (as the history index walks them), replayed by commit time.
    const all: LogCommit[] = [];
    const parser = new LogStreamParser((c) => all.push(c));
    await streamGit([...args, ...limits], { ...ctx, timeoutMs: 0 }, (chunk) => parser.push(chunk));
    parser.end();
    for (const c of commitOrder(all.map((x) => ({ ...x, time: x.commitTime })))) onCommit(c);
  }
  return { entries, commitsSeen: seen, ms: performance.now() - t0 };
}

/** Two files' histories as one, a commit that touched both counted once (as the index counts it). */
function mergeStates(a: FileState, b: FileState): FileState {
  const log = new Map([...(a.log ?? []), ...(b.log ?? [])].map((e) => [e[0], e]));
  const entries = [...log.values()].sort((x, y) => x[1] - y[1]);
  const byPerson = new Map<number, number>();
  for (const [, , p] of entries) byPerson.set(p, (byPerson.get(p) ?? 0) + 1);
  return { times: entries.map((e) => e[1]), fixTimes: entries.filter((e) => e[3]).map((e) => e[1]), created: Math.min(a.created, b.created), byPerson, log: entries };
}
