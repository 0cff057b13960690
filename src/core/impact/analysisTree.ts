// The tree a language server analyses: a private copy of the commit made from git objects
// (privateTree.ts), or in a trusted workspace the reviewer's clean checkout of it; and the cleanup
// of copies for older heads and of the `git worktree` trees earlier versions made.
//
// Why untrusted reviews never analyse the reviewer's checkout, even when it is exactly the clean
// head: it holds more than the commit (untracked and ignored files, e.g. a node_modules installed
// at the head with its plugins, or a local tsconfig), so the server would read files the commit
// does not have, and caller counts would depend on what happens to be checked out (issue #15 asks
// for the same counts with the head checked out or not). A trusted workspace may use it: the
// reviewer vouches for its contents, and it saves materialising the tree.

import { existsSync, lstatSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { git, runGit } from '../git/runGit';
import { RepoContext, commonGitDir, repoRoot } from '../git/repository';
import { privateTree, treesDir } from './privateTree';

export interface AnalysisTree {
  path: string;
  commit: string;
  private: boolean;
  /** The reviewer's checkout when it is exactly this commit and clean (the editor's own providers read only it). */
  checkout: string | null;
  /** What the reviewer should know about the tree (files left out, project files sanitised). */
  notes: string[];
}

export interface TreeChoice {
  /** The workspace is trusted: its clean checkout of the commit may be analysed in place. */
  trusted: boolean;
  /** Find out whether the checkout is the commit (for the editor's providers), even when untrusted. */
  wantCheckout: boolean;
  /** Where private trees go (see ImpactSession.treesRoot). */
  treesRoot: string;
  /** The file types a private tree needs (see privateTree); null or absent: every file. */
  only?: readonly string[] | null;
}

const PROJECT_FILES = ['tsconfig.json', 'jsconfig.json'];

async function isCleanAt(root: string, commit: string, ctx: RepoContext): Promise<boolean> {
  const head = (await runGit(['rev-parse', 'HEAD'], { ...ctx, cwd: root, okExitCodes: [128] })).stdout.toString().trim();
  if (head !== commit) return false;
  const status = await git(['status', '--porcelain', '--untracked-files=no'], { ...ctx, cwd: root });
  return status.trim() === '';
}

function isRegularFile(path: string): boolean {
  try {
    return lstatSync(path).isFile();
  } catch {
    return false;
  }
}

export async function analysisTree(commit: string, ctx: RepoContext, choice: TreeChoice): Promise<AnalysisTree> {
  const root = await repoRoot(ctx.cwd, ctx);
  const checkout = (choice.trusted || choice.wantCheckout) && (await isCleanAt(root, commit, ctx)) ? root : null;
  // A checkout without a project file still gets the private tree, where a temporary one can be added.
  if (choice.trusted && checkout && PROJECT_FILES.some((f) => isRegularFile(join(root, f)))) {
    return { path: root, commit, private: false, checkout, notes: [] };
  }
  const t = await privateTree(commit, choice.treesRoot, ctx, choice.only ?? null);
  return { path: t.root, commit, private: true, checkout, notes: t.notes };
}

/** Our folder names: a commit id, or one being built (.tmp) or thrown away (.old) by process PID. */
const OURS_RE = /^([0-9a-f]{40}|[0-9a-f]{64})(?:\.(tmp|old)-(\d+)-[0-9a-f]+)?$/;

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the private trees of commits other than `keep` (old heads), leftovers of crashed builds,
 * and the `git worktree` trees of earlier versions. Only names we create are touched, and removal
 * never follows a link (a link planted in our folder is removed, not what it points to).
 */
export async function pruneAnalysisTrees(keep: readonly string[], ctx: RepoContext): Promise<void> {
  const gitDir = await commonGitDir(ctx);
  const dir = treesDir(gitDir);
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      const m = OURS_RE.exec(name);
      if (!m || (!m[2] && keep.includes(m[1])) || (m[2] === 'tmp' && isRunning(Number(m[3])))) continue;
      rmSync(join(dir, name), { recursive: true, force: true });
    }
  }
  await removeLegacyWorktrees(gitDir, ctx);
}

/** Earlier versions analysed in `git worktree`s under senior-review/worktrees: unregister and delete them. */
async function removeLegacyWorktrees(gitDir: string, ctx: RepoContext): Promise<void> {
  const legacy = join(gitDir, 'senior-review', 'worktrees');
  if (!existsSync(legacy)) return;
  const prefixes = [...new Set([legacy, realpathSync(legacy)])].map((p) => `${p}/`);
  const out = (await runGit(['worktree', 'list', '--porcelain', '-z'], ctx)).stdout.toString('utf8');
  for (const rec of out.split('\0')) {
    const path = rec.startsWith('worktree ') ? rec.slice(9) : '';
    if (path && prefixes.some((p) => path.startsWith(p))) {
      await runGit(['worktree', 'remove', '--force', '--force', path], { ...ctx, okExitCodes: [128] });
    }
  }
  rmSync(legacy, { recursive: true, force: true });
}
