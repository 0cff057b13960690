// Builds real git repositories with fixed identities and dates, for the demo, tests and benches:
// every commit is reproducible (same ids on every machine) and nothing reads the user's config.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git, runGit } from '../core/git/runGit';

export interface Person {
  name: string;
  email: string;
}

export type FileContent = string | Buffer | null | { symlink: string } | { content: string | Buffer; executable: true };

export interface CommitSpec {
  message: string;
  files?: Record<string, FileContent>;
  renames?: Record<string, string>;
  author?: Person;
  /** ISO date; default: one day after the previous commit. */
  date?: string;
}

const DEFAULT_PERSON: Person = { name: 'Test Author', email: 'author@example.com' };

/** Environment that isolates git from the machine's global and system configuration. */
export function isolatedGitEnv(): Record<string, string> {
  return {
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    HOME: tmpdir(),
  };
}

export class RepoBuilder {
  private clock: number;

  private constructor(readonly dir: string, startDate: string) {
    this.clock = Date.parse(startDate);
  }

  /** A new repository in a fresh temp folder (or `dir`), on branch `main`. */
  static async create(opts: { dir?: string; startDate?: string; bare?: boolean } = {}): Promise<RepoBuilder> {
    const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'sr-repo-'));
    mkdirSync(dir, { recursive: true });
    const b = new RepoBuilder(dir, opts.startDate ?? '2025-01-06T10:00:00Z');
    await b.git('init', '-q', '-b', 'main', ...(opts.bare ? ['--bare'] : []));
    for (const [k, v] of [
      ['user.name', DEFAULT_PERSON.name], ['user.email', DEFAULT_PERSON.email], ['commit.gpgsign', 'false'],
      ['tag.gpgsign', 'false'], ['core.autocrlf', 'false'], ['init.defaultBranch', 'main'], ['gc.auto', '0'],
    ]) await b.git('config', k, v);
    return b;
  }

  /** An existing repository made by a builder earlier (its clock restarts at the last commit). */
  static async open(dir: string): Promise<RepoBuilder> {
    const last = await git(['log', '-1', '--format=%cI'], { cwd: dir, env: isolatedGitEnv() }).catch(() => '');
    return new RepoBuilder(dir, last.trim() || '2025-01-06T10:00:00Z');
  }

  async git(...args: string[]): Promise<string> {
    return git(args, { cwd: this.dir, env: { ...isolatedGitEnv(), ...this.dateEnv() } });
  }

  async gitRaw(args: string[], input?: string | Buffer): Promise<Buffer> {
    return (await runGit(args, { cwd: this.dir, input, env: { ...isolatedGitEnv(), ...this.dateEnv() } })).stdout;
  }

  private dateEnv(): Record<string, string> {
    const d = new Date(this.clock).toISOString();
    return { GIT_AUTHOR_DATE: d, GIT_COMMITTER_DATE: d };
  }

  /** Writes files (null deletes), stages everything and commits; returns the new commit id. */
  async commit(spec: CommitSpec): Promise<string> {
    this.clock = spec.date ? Date.parse(spec.date) : this.clock + 86_400_000;
    for (const [from, to] of Object.entries(spec.renames ?? {})) {
      mkdirSync(dirname(join(this.dir, to)), { recursive: true });
      await this.git('mv', '--', from, to);
    }
    for (const [path, content] of Object.entries(spec.files ?? {})) this.writeFile(path, content);
    await this.git('add', '-A');
    const who = spec.author ?? DEFAULT_PERSON;
    const d = new Date(this.clock).toISOString();
    await runGit(['-c', `user.name=${who.name}`, '-c', `user.email=${who.email}`, 'commit', '-q', '--allow-empty', '--no-verify', '-F', '-'], {
      cwd: this.dir,
      input: spec.message,
      env: { ...isolatedGitEnv(), GIT_AUTHOR_DATE: d, GIT_COMMITTER_DATE: d, GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email },
    });
    return (await this.git('rev-parse', 'HEAD')).trim();
  }

  writeFile(path: string, content: FileContent): void {
    const abs = join(this.dir, path);
    if (content === null) {
      rmSync(abs, { force: true });
      return;
    }
    mkdirSync(dirname(abs), { recursive: true });
    rmSync(abs, { force: true });
    if (typeof content === 'object' && !Buffer.isBuffer(content) && 'symlink' in content) {
      symlinkSync(content.symlink, abs);
    } else if (typeof content === 'object' && !Buffer.isBuffer(content) && 'executable' in content) {
      writeFileSync(abs, content.content);
      chmodSync(abs, 0o755);
    } else {
      writeFileSync(abs, content as string | Buffer);
    }
  }

  async branch(name: string, from = 'HEAD'): Promise<void> {
    await this.git('branch', '--', name, from);
  }

  async checkout(name: string): Promise<void> {
    await this.git('checkout', '-q', name);
  }

  /** Sets the builder's clock (the next commit is one day after it unless given a date). */
  setDate(iso: string): void {
    this.clock = Date.parse(iso);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
