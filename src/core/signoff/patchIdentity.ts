// The identity of an approved diff: `git patch-id --stable` of the whole base...head change (the
// same diff after a rebase has the same id), and one id per file to say which files changed since.

import { createHash } from 'node:crypto';
import { runGit } from '../git/runGit';
import { RepoContext } from '../git/repository';

const PATCH_ARGS = ['diff', '--binary', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '--find-renames', '--full-index'];

export interface PatchIdentity {
  patchId: string;
  /** Short hash of the path → short per-file patch id. */
  files: Record<string, string>;
}

export function pathKey(path: string): string {
  return createHash('sha1').update(path).digest('hex').slice(0, 8);
}

export async function patchIdentity(mergeBase: string, head: string, ctx: RepoContext): Promise<PatchIdentity> {
  const diff = (await runGit([...PATCH_ARGS, mergeBase, head, '--'], { ...ctx, timeoutMs: 0 })).stdout;
  if (diff.length === 0) return { patchId: '0'.repeat(40), files: {} };
  const whole = await patchIds(diff, ctx);
  // Per file: each section becomes its own "commit" for patch-id (a fake commit line before it).
  const sections = splitFiles(diff);
  const fake = Buffer.concat(sections.flatMap((s, i) => [Buffer.from(`commit ${(i + 1).toString(16).padStart(40, '0')}\n`), s.body]));
  const ids = await patchIdLines(fake, ctx);
  const files: Record<string, string> = {};
  sections.forEach((s, i) => {
    files[pathKey(s.path)] = (ids.get((i + 1).toString(16).padStart(40, '0')) ?? '0'.repeat(40)).slice(0, 12);
  });
  return { patchId: whole, files };
}

async function patchIds(diff: Buffer, ctx: RepoContext): Promise<string> {
  const out = (await runGit(['patch-id', '--stable'], { ...ctx, input: diff })).stdout.toString('utf8').trim();
  return out.split(/\s+/)[0] || '0'.repeat(40);
}

async function patchIdLines(input: Buffer, ctx: RepoContext): Promise<Map<string, string>> {
  const out = (await runGit(['patch-id', '--stable'], { ...ctx, input })).stdout.toString('utf8');
  const m = new Map<string, string>();
  for (const line of out.split('\n')) {
    const [pid, commit] = line.split(' ');
    if (pid && commit) m.set(commit, pid);
  }
  return m;
}

/** File sections of a patch, with the b/ path read from the "+++ " or "diff --git" line. */
function splitFiles(diff: Buffer): Array<{ path: string; body: Buffer }> {
  const text = diff.toString('latin1');
  const starts: number[] = [];
  let i = text.startsWith('diff --git ') ? 0 : text.indexOf('\ndiff --git ') + 1;
  while (i > 0 || (i === 0 && starts.length === 0)) {
    starts.push(i);
    const n = text.indexOf('\ndiff --git ', i);
    i = n < 0 ? -1 : n + 1;
  }
  return starts.map((s, k) => {
    const end = k + 1 < starts.length ? starts[k + 1] : text.length;
    const body = diff.subarray(s, end);
    const header = text.slice(s, Math.min(end, s + 4096));
    const plus = /\n\+\+\+ b\/(.*)\n/.exec(header)?.[1];
    const renameTo = /\nrename to (.*)\n/.exec(header)?.[1];
    const fromGit = /^diff --git a\/.* b\/(.*)\n/.exec(header)?.[1];
    const path = Buffer.from(plus ?? renameTo ?? fromGit ?? `#${k}`, 'latin1').toString('utf8');
    return { path, body };
  });
}
