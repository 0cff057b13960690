// Writes a planned sign-off into git without touching the work tree or the index: a new commit made
// with commit-tree (amend: head's tree, parents, author and message plus trailers; commit: an empty
// sign-off commit on top) created together with a pending ref by one `git fast-import`, then the
// branch moved by compare-and-swap. Every commit is reachable from a ref after every step, so a
// crash between steps loses nothing and leaves nothing dangling.

import { git, runGit } from '../git/runGit';
import { GitError } from '../git/gitError';
import { RepoContext } from '../git/repository';
import { validateRefName } from '../git/refs';
import { SignoffPlan } from './signoffPlan';
import { parseIdentity } from './trailers';

export type SignoffStep = 'backup-ref' | 'message' | 'keep-abandoned' | 'create-commit' | 'move-branch' | 'drop-pending-ref';

export const SIGNOFF_STEPS: readonly SignoffStep[] = ['backup-ref', 'message', 'keep-abandoned', 'create-commit', 'move-branch', 'drop-pending-ref'];

export interface WriteResult {
  commit: string;
  branchRef: string;
  previous: string;
  mode: 'amend' | 'commit';
  backupRef: string | null;
}

interface RawCommit {
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  message: string;
  encoding: string | null;
}

async function readCommit(oid: string, ctx: RepoContext): Promise<RawCommit> {
  const raw = (await runGit(['cat-file', 'commit', oid], ctx)).stdout.toString('utf8');
  const split = raw.indexOf('\n\n');
  const header = raw.slice(0, split);
  const author = /^author (.*) <(.*)> (\d+ [+-]\d{4})$/m.exec(header);
  if (!author) throw new GitError(`cannot read the author of ${oid}`, 'BadObject');
  return {
    tree: /^tree ([0-9a-f]+)$/m.exec(header)![1],
    parents: [...header.matchAll(/^parent ([0-9a-f]+)$/gm)].map((m) => m[1]),
    author: { name: author[1], email: author[2], date: author[3] },
    message: split < 0 ? '' : raw.slice(split + 2),
    encoding: /^encoding (.*)$/m.exec(header)?.[1] ?? null,
  };
}

/** git's own trailer logic adds ours (joining an existing trailer block rather than starting a new one). */
async function withTrailers(message: string, plan: SignoffPlan, ctx: RepoContext): Promise<string> {
  const args = ['-c', 'trailer.separators=:', 'interpret-trailers', '--no-divider', '--where', 'end', '--if-exists', 'addIfDifferent', '--if-missing', 'add'];
  for (const [k, v] of plan.trailers) args.push('--trailer', `${k}: ${v}`);
  return git(args, { ...ctx, input: message.endsWith('\n') ? message : `${message}\n` });
}

export function backupRefFor(branchRef: string, oid: string): string {
  return validateRefName(`refs/senior-review/backup/${branchRef.replace(/^refs\/heads\//, '')}/${oid}`);
}

export function pendingRefFor(branchRef: string): string {
  return validateRefName(`refs/senior-review/pending/${branchRef.replace(/^refs\/heads\//, '')}`);
}

interface NewCommit {
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
  encoding: string | null;
}

/**
 * Creates a commit and points `ref` at it in one `git fast-import` run: git finalises the objects
 * and then updates the ref, so a crash can never leave the commit without a ref.
 */
async function createCommitAtRef(ref: string, c: NewCommit, ctx: RepoContext): Promise<string> {
  const msg = Buffer.from(c.message, 'utf8');
  const who = (p: { name: string; email: string; date: string }) => `${p.name} <${p.email}> ${p.date.replace(/^@/, '')}`;
  const lines = [
    'feature done',
    `commit ${ref}`,
    `author ${who(c.author)}`,
    `committer ${who(c.committer)}`,
    ...(c.encoding ? [`encoding ${c.encoding}`] : []),
    `data ${msg.length}`,
  ];
  const tail = [
    ...(c.parents[0] ? [`from ${c.parents[0]}`] : []),
    ...c.parents.slice(1).map((p) => `merge ${p}`),
    // Replace the whole root with the commit's tree (an empty path is the root).
    `M 040000 ${c.tree} ""`,
    '',
    'done',
    '',
  ];
  const input = Buffer.concat([Buffer.from(lines.join('\n') + '\n'), msg, Buffer.from('\n' + tail.join('\n'))]);
  await runGit(['fast-import', '--quiet', '--force', '--date-format=raw'], { ...ctx, input });
  return (await git(['rev-parse', '--verify', ref], ctx)).trim();
}

export async function writeSignoff(plan: SignoffPlan, ctx: RepoContext, onStep: (s: SignoffStep) => void = () => {}): Promise<WriteResult> {
  if (plan.blocked) throw new GitError(plan.blocked, 'Unknown');
  if (plan.missing.length && !plan.override) throw new GitError(`cannot approve yet: ${plan.missing.length} step(s) missing`, 'Unknown');
  const branchRef = validateRefName(plan.branchRef);
  const old = plan.headCommit;
  const reviewer = parseIdentity(plan.reviewer)!;
  const now = `${Math.floor(Date.now() / 1000)} +0000`;
  let backupRef: string | null = null;

  onStep('backup-ref');
  if (plan.mode === 'amend') {
    backupRef = backupRefFor(branchRef, old);
    // Create-only (old value all zeros); a retry after a crash finds it already there, which is fine.
    const r = await runGit(['update-ref', '-m', 'senior-review: backup before sign-off', backupRef, old, '0'.repeat(40)], { ...ctx, okExitCodes: [128] });
    if (r.exitCode !== 0 && (await git(['rev-parse', '--verify', '--quiet', backupRef], { ...ctx, okExitCodes: [1] })).trim() !== old) {
      throw new GitError(`could not create the backup ref ${backupRef}`, 'RefLocked');
    }
  }

  onStep('message');
  const head = await readCommit(old, ctx);
  const branchName = branchRef.replace(/^refs\/heads\//, '');
  const baseMessage = plan.mode === 'amend' ? head.message : `Senior review sign-off for ${branchName}\n\nApproved ${plan.identity.patchId.slice(0, 12)}: the diff of ${plan.mergeBase.slice(0, 12)}..${old.slice(0, 12)}.\n`;
  const message = await withTrailers(baseMessage, plan, ctx);

  const pending = pendingRefFor(branchRef);
  onStep('keep-abandoned');
  // A pending ref left by a crashed run keeps its commit reachable under an "abandoned" ref.
  const leftover = (await runGit(['rev-parse', '--verify', '--quiet', pending], { ...ctx, okExitCodes: [1] })).stdout.toString().trim();
  if (leftover) await git(['update-ref', validateRefName(`refs/senior-review/abandoned/${branchName}/${leftover}`), leftover], ctx);

  onStep('create-commit');
  const author = plan.mode === 'amend' ? head.author : { name: reviewer.name, email: reviewer.email, date: now };
  const parents = plan.mode === 'amend' ? head.parents : [old];
  const created = await createCommitAtRef(pending, {
    tree: head.tree, parents, author, committer: { name: reviewer.name, email: reviewer.email, date: now }, message,
    encoding: plan.mode === 'amend' ? head.encoding : null,
  }, ctx);

  onStep('move-branch');
  try {
    await git(['update-ref', '-m', `senior-review: sign-off by ${plan.reviewer}`, branchRef, created, old], ctx);
  } catch {
    // The unused sign-off commit stays reachable, like any other abandoned attempt.
    await git(['update-ref', validateRefName(`refs/senior-review/abandoned/${branchName}/${created}`), created], ctx);
    await git(['update-ref', '-d', pending, created], ctx);
    const now2 = (await git(['rev-parse', '--verify', '--quiet', branchRef], { ...ctx, okExitCodes: [1] })).trim();
    throw new GitError(`${branchName} moved during approve (now ${now2.slice(0, 12) || 'deleted'}, expected ${old.slice(0, 12)}): nothing was changed; review again`, 'RefChanged');
  }

  onStep('drop-pending-ref');
  await git(['update-ref', '-d', pending, created], ctx);
  return { commit: created, branchRef, previous: old, mode: plan.mode, backupRef };
}
