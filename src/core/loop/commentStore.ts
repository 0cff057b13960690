// Comment threads in git: refs/senior-review/comments/<review> points at a commit whose tree holds
// threads/<id>.json (and publications.json, the reviews posted to the host). Every write makes a commit at a private pending ref (one `git fast-import`), moves
// the comments ref by compare-and-swap and retries on a lost race, so no writer's thread is ever lost.

import { randomBytes } from 'node:crypto';
import { git, runGit } from '../git/runGit';
import { GitError } from '../git/gitError';
import { RepoContext, readRef } from '../git/repository';
import { validateRefName } from '../git/refs';
import { CommentThread, Publication } from './commentTypes';
import { processAlive } from './lockedJsonFile';

export type CommentStep = 'keep-abandoned' | 'create-commit' | 'move-ref' | 'drop-pending-ref';
export const COMMENT_STEPS: readonly CommentStep[] = ['keep-abandoned', 'create-commit', 'move-ref', 'drop-pending-ref'];

const MAX_ATTEMPTS = 50;
const ZERO = '0'.repeat(40);

/**
 * A review's name (its head branch) as one ref component: letters, digits, '.' and '-' stay, every
 * other byte becomes _XX, so `feature/x` is `feature_2Fx` and no two names share a ref.
 */
export function reviewKey(name: string): string {
  const key = [...Buffer.from(name, 'utf8')].map((b) => (/[A-Za-z0-9.-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `_${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
  return key.replace(/^\./, '_2E').replace(/\.$/, '_2E').replace(/\.\./g, '._2E');
}

export function commentsRef(reviewName: string): string {
  return validateRefName(`refs/senior-review/comments/${reviewKey(reviewName)}`);
}

const pendingPrefix = (ref: string) => ref.replace('refs/senior-review/comments/', 'refs/senior-review/comment-pending/');
const abandonedPrefix = (ref: string) => ref.replace('refs/senior-review/comments/', 'refs/senior-review/comment-abandoned/');

export interface ThreadSet {
  /** The commit the comments ref pointed at when read; null before the first comment. */
  commit: string | null;
  threads: CommentThread[];
  publications: Publication[];
}

/** What one write changes: the threads it rewrites, and the whole publication list when it changes it. */
export interface StoreChange {
  threads: CommentThread[];
  publications?: Publication[];
}

const PUBLICATIONS = 'publications.json';

function parseThread(json: string): CommentThread | null {
  try {
    const t = JSON.parse(json) as CommentThread;
    return t && t.version === 1 && typeof t.id === 'string' && t.anchor && Array.isArray(t.comments) ? { ...t, published: t.published ?? {} } : null;
  } catch {
    return null;
  }
}

function parsePublications(json: string): Publication[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((p): p is Publication => !!p && typeof p === 'object' && typeof (p as Publication).remoteId === 'string') : [];
  } catch {
    return [];
  }
}

/** The threads and publications stored at `commit` (threads/*.json and publications.json of its tree). */
export async function storeAt(commit: string, ctx: RepoContext): Promise<Omit<ThreadSet, 'commit'>> {
  const ls = (await runGit(['ls-tree', '-z', '-r', commit, '--', 'threads/', PUBLICATIONS], ctx)).stdout.toString('utf8');
  const entries = ls.split('\0').filter(Boolean).map((e) => /^\d+ blob ([0-9a-f]+)\t(.*)$/s.exec(e)).filter((m): m is RegExpExecArray => !!m);
  const threads: CommentThread[] = [];
  let publications: Publication[] = [];
  if (entries.length === 0) return { threads, publications };
  const out = (await runGit(['cat-file', '--batch'], { ...ctx, input: entries.map((m) => m[1]).join('\n') + '\n' })).stdout;
  let pos = 0;
  for (const m of entries) {
    const nl = out.indexOf(10, pos);
    const size = Number(out.toString('utf8', pos, nl).split(' ')[2]);
    const text = out.toString('utf8', nl + 1, nl + 1 + size);
    if (m[2] === PUBLICATIONS) publications = parsePublications(text);
    else {
      const t = parseThread(text);
      if (t) threads.push(t);
    }
    pos = nl + 1 + size + 1;
  }
  threads.sort((a, b) => a.anchor.path.localeCompare(b.anchor.path) || a.anchor.line - b.anchor.line || a.id.localeCompare(b.id));
  return { threads, publications };
}

export async function readThreads(ref: string, ctx: RepoContext): Promise<ThreadSet> {
  const commit = await readRef(ref, ctx);
  return { commit, ...(commit ? await storeAt(commit, ctx) : { threads: [], publications: [] }) };
}

/**
 * A pending ref whose writer died mid-write: dropped when its commit was published already, else its
 * commit is kept under comment-abandoned/ (reachable, never applied: the writer never said it succeeded).
 */
async function keepAbandoned(ref: string, ctx: RepoContext): Promise<void> {
  const out = await git(['for-each-ref', '--format=%(refname) %(objectname)', `${pendingPrefix(ref)}/`], ctx);
  const tip = await readRef(ref, ctx);
  for (const line of out.split('\n').filter(Boolean)) {
    const [name, oid] = line.split(' ');
    const pid = Number(name.slice(name.lastIndexOf('/') + 1).split('-')[0]);
    if (pid === process.pid || (Number.isInteger(pid) && pid > 0 && processAlive(pid))) continue;
    const published = tip !== null && (await runGit(['merge-base', '--is-ancestor', oid, tip], { ...ctx, okExitCodes: [1] })).exitCode === 0;
    if (!published) await git(['update-ref', validateRefName(`${abandonedPrefix(ref)}/${oid}`), oid], ctx);
    await runGit(['update-ref', '-d', name, oid], { ...ctx, okExitCodes: [1, 128] });
  }
}

async function createCommitAt(pending: string, parent: string | null, change: StoreChange, who: { name: string; email: string }, message: string, ctx: RepoContext): Promise<string> {
  const parts: Buffer[] = [];
  const add = (s: string | Buffer) => parts.push(typeof s === 'string' ? Buffer.from(s, 'utf8') : s);
  const msg = Buffer.from(message, 'utf8');
  add(`feature done\ncommit ${pending}\ncommitter ${who.name} <${who.email}> ${Math.floor(Date.now() / 1000)} +0000\ndata ${msg.length}\n`);
  add(msg);
  add('\n');
  if (parent) add(`from ${parent}\n`);
  const files: Array<[string, unknown]> = change.threads.map((t) => [`threads/${t.id}.json`, t]);
  if (change.publications) files.push([PUBLICATIONS, change.publications]);
  for (const [path, value] of files) {
    const body = Buffer.from(JSON.stringify(value, null, 1) + '\n', 'utf8');
    add(`M 100644 inline ${path}\ndata ${body.length}\n`);
    add(body);
    add('\n');
  }
  add('\ndone\n');
  await runGit(['fast-import', '--quiet', '--date-format=raw'], { ...ctx, input: Buffer.concat(parts) });
  return (await git(['rev-parse', '--verify', pending], ctx)).trim();
}

export interface UpdateOptions {
  who: { name: string; email: string };
  message: string;
  /** Fault injection for the crash tests (the CLI kills itself at the named step). */
  onStep?: (s: CommentStep) => void;
}

/**
 * Applies `change` to the threads as they are now and writes the threads it returns. `change` runs
 * again on the newer threads after a lost compare-and-swap, so it must be a pure function of them.
 */
export async function updateThreads(ref: string, change: (now: Omit<ThreadSet, 'commit'>) => StoreChange, ctx: RepoContext, opts: UpdateOptions): Promise<ThreadSet> {
  const step = opts.onStep ?? (() => {});
  validateRefName(ref);
  step('keep-abandoned');
  await keepAbandoned(ref, ctx);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = await readThreads(ref, ctx);
    const changed = change(structuredClone({ threads: now.threads, publications: now.publications }));
    if (changed.threads.length === 0 && !changed.publications) return now;
    const pending = validateRefName(`${pendingPrefix(ref)}/${process.pid}-${randomBytes(4).toString('hex')}`);
    step('create-commit');
    const created = await createCommitAt(pending, now.commit, changed, opts.who, opts.message, ctx);
    step('move-ref');
    const moved = await runGit(['update-ref', '-m', `senior-review: ${opts.message.split('\n')[0]}`, ref, created, now.commit ?? ZERO], { ...ctx, okExitCodes: [1, 128] });
    step('drop-pending-ref');
    await git(['update-ref', '-d', pending, created], ctx);
    if (moved.exitCode === 0) {
      const byId = new Map(now.threads.map((t) => [t.id, t]));
      for (const t of changed.threads) byId.set(t.id, t);
      return { commit: created, threads: [...byId.values()], publications: changed.publications ?? now.publications };
    }
    // Someone else wrote first: our commit was never published; apply the change again on theirs.
    await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 20 * (attempt + 1))));
  }
  throw new GitError(`${ref} kept moving during ${MAX_ATTEMPTS} attempts to write a comment: nothing was written`, 'RefChanged');
}
