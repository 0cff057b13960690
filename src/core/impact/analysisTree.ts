// The tree a language server analyses: the reviewer's checkout when it is exactly the reviewed
// commit and clean (and has a project file, so nothing needs adding), otherwise a private detached
// worktree under the git directory, reused per commit. The reviewer's files are never written.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, runGit } from '../git/runGit';
import { RepoContext, commonGitDir, repoRoot } from '../git/repository';
import { cacheDir } from '../history/indexCache';

export interface AnalysisTree {
  path: string;
  commit: string;
  private: boolean;
}

const PROJECT_FILES = ['tsconfig.json', 'jsconfig.json'];

async function isCleanAt(root: string, commit: string, ctx: RepoContext): Promise<boolean> {
  const head = (await runGit(['rev-parse', 'HEAD'], { ...ctx, cwd: root, okExitCodes: [128] })).stdout.toString().trim();
  if (head !== commit) return false;
  const status = await git(['status', '--porcelain', '--untracked-files=no'], { ...ctx, cwd: root });
  return status.trim() === '';
}

export async function analysisTree(commit: string, ctx: RepoContext): Promise<AnalysisTree> {
  const root = await repoRoot(ctx.cwd, ctx);
  if ((await isCleanAt(root, commit, ctx)) && PROJECT_FILES.some((f) => existsSync(join(root, f)))) {
    return { path: root, commit, private: false };
  }
  const dir = join(cacheDir(await commonGitDir(ctx), 'worktrees'), commit);
  if (!existsSync(join(dir, '.git'))) {
    await runGit(['worktree', 'prune'], ctx);
    await git(['worktree', 'add', '--detach', '--force', dir, commit], { ...ctx, timeoutMs: 300_000 });
  }
  // Plain JavaScript without a project file: a temporary jsconfig, in our worktree only, lets the
  // server see the whole tree instead of just the opened file.
  if (!PROJECT_FILES.some((f) => existsSync(join(dir, f)))) {
    writeFileSync(join(dir, 'jsconfig.json'), JSON.stringify({ compilerOptions: { allowJs: true, checkJs: false, module: 'commonjs', target: 'es2022' }, exclude: ['node_modules', '**/node_modules'] }));
  }
  return { path: dir, commit, private: true };
}

/** Removes private worktrees other than `keep` (old heads). */
export async function pruneAnalysisTrees(keep: readonly string[], ctx: RepoContext): Promise<void> {
  const out = await git(['worktree', 'list', '--porcelain'], ctx);
  const ours = out.split('\n').filter((l) => l.startsWith('worktree ') && l.includes('/senior-review/worktrees/')).map((l) => l.slice(9));
  for (const w of ours) {
    if (keep.some((k) => w.endsWith(k))) continue;
    await runGit(['worktree', 'remove', '--force', w], { ...ctx, okExitCodes: [128] });
  }
}
