// `senior-review comment` (open, reply, edit, resolve a thread on a diff line) and `senior-review
// comments` (the review's threads, unresolved first, each with file:line, outdated ones marked).

import { repoRoot } from '../core/git/repository';
import { resolveRange } from '../core/review/resolveRange';
import { AnchorError, locateThreads, makeAnchor } from '../core/loop/commentAnchor';
import { CommentStep, commentsRef, readThreads } from '../core/loop/commentStore';
import { CommentSide, LocatedThread } from '../core/loop/commentTypes';
import { ThreadChange, ThreadError, allOf, editComment, listThreads, newId, openThread, replyTo, reviewNameFor, setBlocking, setResolved, sortThreads, writeThreadChange } from '../core/loop/commentThreads';
import { fetchHostThreads } from '../core/loop/hostReviews';
import { PR_OPTIONS, openPrReview } from './publishCommand';
import { threadsJson, threadsMarkdown, threadsText } from '../core/loop/commentRender';
import { identityFromFlag } from './sinceReviewFlag';
import { CliCommand, CliIo, OptionValues, REPO_OPTIONS, UsageError, formatOpt, stringOpt } from './cliTypes';

const RANGE_OPTIONS = { ...REPO_OPTIONS, base: { type: 'string' }, head: { type: 'string' } } as const;

async function openRange(values: OptionValues, io: CliIo) {
  const root = await repoRoot(stringOpt(values, 'repo') ?? io.cwd, { signal: io.signal, logger: io.logger });
  const ctx = { cwd: root, signal: io.signal, logger: io.logger };
  const range = await resolveRange({ base: stringOpt(values, 'base'), head: stringOpt(values, 'head') }, ctx);
  return { ctx, range };
}

/** Mistakes in what was asked (no such thread, a line outside the file) are usage errors: exit 2. */
async function asUsage<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof ThreadError || e instanceof AnchorError) throw new UsageError(e.message);
    throw e;
  }
}

export const commentCommand: CliCommand = {
  name: 'comment',
  summary: 'Comment on a diff line, reply, edit, resolve (threads stored in git under refs/senior-review/comments/)',
  usage: 'senior-review comment [--repo DIR] [--base REF] [--head BRANCH] (--file PATH --line N [--side base|head] --text TEXT [--blocking] | --reply-to ID --text TEXT | --edit COMMENT_ID --text TEXT | --resolve ID [--text TEXT] | --unresolve ID) [--author "Name <email>"]',
  options: {
    ...RANGE_OPTIONS, file: { type: 'string' }, line: { type: 'string' }, side: { type: 'string' }, text: { type: 'string' }, blocking: { type: 'boolean' },
    'reply-to': { type: 'string' }, resolve: { type: 'string' }, unresolve: { type: 'string' }, edit: { type: 'string' }, author: { type: 'string' },
  },
  async run(values, _p, io) {
    const text = stringOpt(values, 'text');
    const target = ['reply-to', 'resolve', 'unresolve', 'edit'].filter((k) => stringOpt(values, k) !== undefined);
    if (target.length > 1) throw new UsageError(`give one of --${target.join(', --')}`);
    const file = stringOpt(values, 'file');
    if (target.length && (file !== undefined || stringOpt(values, 'line') !== undefined)) throw new UsageError('--file and --line open a new thread; they do not go with --' + target[0]);
    if (text !== undefined && !text.trim()) throw new UsageError('--text is empty');
    const { ctx, range } = await openRange(values, io);
    const author = await identityFromFlag(stringOpt(values, 'author'), ctx);
    const review = await asUsage(reviewNameFor(range.head, ctx));
    const now = new Date().toISOString();
    let change: ThreadChange;
    let done: string;
    if (target.length === 0) {
      if (file === undefined || stringOpt(values, 'line') === undefined || text === undefined) throw new UsageError('a new thread needs --file PATH --line N --text TEXT');
      const lineText = stringOpt(values, 'line')!;
      if (!/^\d{1,9}$/.test(lineText)) throw new UsageError(`--line must be a line number (got '${lineText.slice(0, 20)}')`);
      const side = (stringOpt(values, 'side') ?? 'head') as CommentSide;
      if (side !== 'base' && side !== 'head') throw new UsageError(`--side must be base or head (got '${String(side).slice(0, 20)}')`);
      const anchor = await asUsage(makeAnchor(file, side, Number(lineText), side === 'head' ? range.headCommit : range.mergeBase, ctx));
      const ids = { thread: newId(), comment: newId() };
      change = openThread(anchor, author, text, values.blocking === true, now, ids);
      done = `opened thread ${ids.thread} on ${file}:${lineText} (${side})${values.blocking === true ? ', blocking' : ''}`;
    } else {
      const id = stringOpt(values, target[0])!;
      const parts: ThreadChange[] = [];
      if (target[0] === 'edit') {
        if (text === undefined) throw new UsageError('--edit needs --text');
        parts.push(editComment(id, author, text, now));
      } else if (target[0] === 'unresolve') parts.push(setResolved(id, author, false, now));
      else {
        if (target[0] === 'reply-to' && text === undefined) throw new UsageError('--reply-to needs --text');
        if (text !== undefined) parts.push(replyTo(id, author, text, now, newId()));
        if (target[0] === 'resolve') parts.push(setResolved(id, author, true, now));
      }
      if (values.blocking === true && target[0] !== 'edit') parts.push(setBlocking(id, true, now));
      change = allOf(...parts);
      done = `${target[0] === 'reply-to' ? 'replied to' : target[0] === 'edit' ? 'edited' : `${target[0]}d`} ${id}`;
    }
    const crashAt = io.env.SENIOR_REVIEW_CRASH_AT;
    // Fault injection for the crash tests, as approve does it: the process kills itself at the named step.
    const onStep = (s: CommentStep) => {
      if (crashAt === s) process.kill(process.pid, 'SIGKILL');
    };
    await asUsage(writeThreadChange(review, change, author, `${done} (${review})`, ctx, onStep));
    io.stdout(`${done}\n`);
    return 0;
  },
};

/** Local threads of a pull request's review, and the host's review comments as read-only threads. */
async function prThreads(values: OptionValues, io: CliIo): Promise<LocatedThread[]> {
  const o = await openPrReview(values, io, false);
  const { threads } = await readThreads(commentsRef(o.reviewName), o.ctx);
  const local = await locateThreads(threads, o.cs, o.ctx);
  if (!o.repo || !o.token) {
    io.stderr(`note: ${o.repo ? `no token for ${o.repo.host}` : 'not a GitHub or GitLab host'}: the host's review comments are not shown\n`);
    return sortThreads(local);
  }
  const ours = new Set(threads.flatMap((t) => Object.values(t.published)));
  const remote = (await fetchHostThreads(o.repo, o.pr.range.number, o.token, o.http)).filter((l) => !l.thread.comments.some((c) => ours.has(c.id)));
  return sortThreads([...local, ...remote]);
}

export const commentsCommand: CliCommand = {
  name: 'comments',
  summary: 'List the review\'s comment threads, unresolved first, with file:line (outdated ones marked)',
  usage: 'senior-review comments [--repo DIR] [--base REF] [--head BRANCH | --pr N|URL [--remote NAME] [--review BRANCH]] [--format text|json|markdown]',
  options: { ...RANGE_OPTIONS, ...PR_OPTIONS, format: { type: 'string' } },
  async run(values, _p, io) {
    const format = formatOpt(values, ['text', 'json', 'markdown'] as const, 'text');
    if (stringOpt(values, 'pr') && (stringOpt(values, 'base') || stringOpt(values, 'head'))) throw new UsageError('--pr replaces --base and --head: give one or the other');
    const located = stringOpt(values, 'pr') ? await asUsage(prThreads(values, io)) : await asUsage(openRange(values, io).then(({ ctx, range }) => listThreads(range, ctx)));
    if (format === 'json') io.stdout(JSON.stringify(threadsJson(located), null, 2) + '\n');
    else if (format === 'markdown') io.stdout(threadsMarkdown(located) || 'No comments.\n');
    else io.stdout(threadsText(located));
    return 0;
  },
};
