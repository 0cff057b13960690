// A private copy of one commit's files for the language server, made from git objects (no checkout,
// so no hook, filter or fsmonitor can run) inside our own folder of the git directory: regular files
// only, created with O_EXCL|O_NOFOLLOW in folders we made ourselves, without execute bits, project
// files sanitised; a completion marker lists every file so a damaged or half-written tree is rebuilt.

import { randomBytes } from 'node:crypto';
import { closeSync, constants, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { RepoContext } from '../git/repository';
import { listTreeRaw, readBlobs } from '../git/treeObjects';
import { plural } from '../words';
import { PROJECT_FILE_RE, sanitizeProjectFile } from './projectFiles';

export interface PrivateTree {
  /** The folder holding the commit's files. */
  root: string;
  /** What the reviewer should know about it (files left out, project files sanitised). */
  notes: string[];
}

interface Marker {
  format: number;
  commit: string;
  /** [path as base64 of its bytes, size] of every file we wrote. */
  files: Array<[string, number]>;
  notes: string[];
  /** The only file types written (extensions, sorted); absent: every regular file. */
  only?: string[];
}

// 2: the default jsconfig leaves folders with a project file of their own to it.
// 3: no `.gitattributes` (see isAttributesFile).
const FORMAT = 3;
const MARKER = 'complete.json';
const NEW_FILE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/**
 * Plain JavaScript without a root project file: lets the server see the whole tree, not just the
 * opened file; folders with a project file of their own are left to it. Not excluded, a monorepo's
 * file that its own project leaves out (a test folder, a type declaration folder) made tsserver
 * load the whole repository as one project: on vite, 20-31 s and 400-480 MB for one file,
 * instead of 5-16 s and 280-350 MB for the file and what it imports (the project it gets then).
 */
function defaultJsconfig(projectDirs: readonly string[]): Buffer {
  const exclude = ['node_modules', '**/node_modules', ...[...new Set(projectDirs)].sort()];
  return Buffer.from(JSON.stringify({ compilerOptions: { allowJs: true, checkJs: false, module: 'commonjs', target: 'es2022' }, exclude }));
}

/** The folder of all private trees, inside the git directory shared by all worktrees. */
export function treesDir(gitDir: string): string {
  return join(gitDir, 'senior-review', 'trees');
}

/** Where the files of `commit` are (or will be) materialised. */
export function privateTreeDir(gitDir: string, commit: string): string {
  return join(treesDir(gitDir), commit, 'tree');
}

/**
 * The commit's private tree under `trees` (treesDir of the git directory, or a temporary folder when
 * nothing may be written there): reused when its marker checks out, otherwise (re)built and swapped
 * in atomically. `only`: the file types (extensions, e.g. ".ts") the servers can read, the others
 * not written; null writes every regular file. Creating files is what costs (most of the time
 * goes to open and mkdir), and a TypeScript server reads none of the 843 images, styles, pages and
 * documents among vite's 2,783 files.
 */
export async function privateTree(commit: string, trees: string, ctx: RepoContext, only: readonly string[] | null = null): Promise<PrivateTree> {
  const home = join(trees, commit);
  const types = only ? [...new Set(only.map((e) => e.toLowerCase()))].sort() : null;
  const ready = readComplete(home, commit, types);
  if (ready) return ready;
  mkdirSync(trees, { recursive: true });
  // Built under a name of its own, so a concurrent builder or a crash never leaves a half tree at `home`.
  const tmp = `${home}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await build(commit, tmp, ctx, types);
    for (let attempt = 0; ; attempt++) {
      try {
        renameSync(tmp, home);
        return readComplete(home, commit, types) ?? fail(`the analysis tree of ${commit.slice(0, 12)} did not survive being moved into place`);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt >= 2) throw e;
        // Another process finished first, or a damaged tree is in the way: use theirs, or move it aside.
        const theirs = readComplete(home, commit, types);
        if (theirs) return theirs;
        const aside = `${home}.old-${process.pid}-${randomBytes(4).toString('hex')}`;
        try {
          renameSync(home, aside);
        } catch {
          /* someone else moved it */
        }
        rmSync(aside, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The tree at `home` if its marker names `commit`, holds the file types asked for (every file, or
 * exactly those types), and every listed file is there, regular, with its size.
 */
function readComplete(home: string, commit: string, only: readonly string[] | null): PrivateTree | null {
  let marker: Marker;
  try {
    marker = JSON.parse(readFileSync(join(home, MARKER), 'utf8')) as Marker;
  } catch {
    return null;
  }
  if (marker?.format !== FORMAT || marker.commit !== commit || !Array.isArray(marker.files)) return null;
  if (marker.only !== undefined && (!only || !Array.isArray(marker.only) || marker.only.join('\0') !== only.join('\0'))) return null;
  const root = join(home, 'tree');
  const prefix = Buffer.from(`${root}/`);
  for (const [path, size] of marker.files) {
    try {
      const st = lstatSync(Buffer.concat([prefix, Buffer.from(path, 'base64')]));
      if (!st.isFile() || st.size !== size) return null;
    } catch {
      return null;
    }
  }
  return { root, notes: marker.notes ?? [] };
}

async function build(commit: string, home: string, ctx: RepoContext, only: readonly string[] | null): Promise<void> {
  mkdirSync(home, { mode: 0o700 });
  const root = join(home, 'tree');
  mkdirSync(root);
  const writer = new TreeWriter(root);
  const entries = await listTreeRaw(commit, ctx);
  const regular = entries.filter((e) => e.type === 'blob' && (e.mode === '100644' || e.mode === '100755'));
  const symlinks = entries.filter((e) => e.mode === '120000').length;
  const submodules = entries.filter((e) => e.type === 'commit').length;
  const wanted = (only ? regular.filter((e) => only.includes(extensionOf(e.path))) : regular).filter((e) => !isAttributesFile(e.path));
  const safe = wanted.filter((e) => safePath(e.path));
  let missing = 0;
  await readBlobs(safe.map((e) => e.oid), ctx, (i, data) => {
    if (data) writer.write(safe[i].path, data);
    else missing++;
  });

  const notes: string[] = [];
  if (symlinks || submodules) {
    const what = [symlinks ? plural(symlinks, 'symbolic link') : '', submodules ? plural(submodules, 'submodule') : ''].filter(Boolean).join(' and ');
    notes.push(`analysis tree of ${commit.slice(0, 12)}: ${what} not materialised (callers through them are not counted)`);
  }
  const skipped = wanted.length - safe.length + writer.refused;
  if (skipped) notes.push(`analysis tree of ${commit.slice(0, 12)}: ${plural(skipped, 'file')} with a name unsafe to write left out`);
  if (missing) notes.push(`analysis tree of ${commit.slice(0, 12)}: ${plural(missing, 'file')} missing from the object store left out (partial clone?)`);
  const sanitised = sanitiseProjects(writer);
  if (sanitised.length) notes.push(`project files sanitised for analysis: ${sanitised.slice(0, 3).join('; ')}${sanitised.length > 3 ? `; and ${sanitised.length - 3} more` : ''}`);
  if (!writer.has('tsconfig.json') && !writer.has('jsconfig.json')) {
    const projectDirs = writer.paths().filter((p) => /^[jt]sconfig\.json$/.test(p.slice(p.lastIndexOf('/') + 1))).map((p) => p.slice(0, p.lastIndexOf('/')));
    writer.write(Buffer.from('jsconfig.json'), defaultJsconfig(projectDirs));
  }

  const marker: Marker = { format: FORMAT, commit, files: writer.list(), notes, ...(only ? { only: [...only] } : {}) };
  createFile(join(home, MARKER), Buffer.from(JSON.stringify(marker)));
}

/** Sanitises every project file the server could open, and the files they extend; returns "path (what)" lines. */
function sanitiseProjects(writer: TreeWriter): string[] {
  const queue = writer.paths().filter((p) => PROJECT_FILE_RE.test(p.slice(p.lastIndexOf('/') + 1)));
  const seen = new Set<string>();
  const lines: string[] = [];
  while (queue.length) {
    const rel = queue.shift()!;
    if (seen.has(rel)) continue;
    seen.add(rel);
    const abs = join(writer.root, rel);
    const s = sanitizeProjectFile(readFileSync(abs, 'utf8'), abs, writer.root, (p) => writer.hasAbsolute(p));
    if (s.changed) writer.replace(rel, Buffer.from(JSON.stringify(s.config, null, 2)));
    if (s.dropped.length) lines.push(`${rel} (${s.dropped.join(', ')})`);
    queue.push(...s.follow.map((f) => f.slice(writer.root.length + 1)));
  }
  return lines;
}

/** A path's extension, lower case with its dot ("" without one): the bytes as latin1, which keeps ASCII. */
export function extensionOf(path: Buffer): string {
  const name = path.toString('latin1');
  const dot = name.lastIndexOf('.');
  return dot > name.lastIndexOf('/') + 1 ? name.slice(dot).toLowerCase() : '';
}

/**
 * A `.gitattributes` of the head: git reads it in this folder (it lies inside the git directory), so
 * written here it could mark the sources binary and hide them from the text search that confirms
 * callers (textFallback.ts `grepCallers`); no language server reads it.
 */
function isAttributesFile(path: Buffer): boolean {
  const name = path.toString('latin1');
  // Of any case, and with the trailing dots and spaces some file systems drop, as safePath reads ".git".
  return name.slice(name.lastIndexOf('/') + 1).toLowerCase().replace(/[. ]+$/, '') === '.gitattributes';
}

/** Path components git could store but we never write: empty, ".", "..", or a ".git" of any case. */
function safePath(path: Buffer): boolean {
  return path.toString('latin1').split('/').every((c) => c !== '' && c !== '.' && c !== '..' && c.toLowerCase().replace(/[. ]+$/, '') !== '.git');
}

/** Creates a new file; fails if anything (a file, a link) is already there. */
function createFile(path: string | Buffer, data: Buffer): void {
  const fd = openSync(path, NEW_FILE, 0o644);
  try {
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
  } finally {
    closeSync(fd);
  }
}

/** Writes files under `root` with raw-byte names, creating every folder itself, and remembers what it wrote. */
class TreeWriter {
  private readonly dirs = new Set<string>(['']);
  /** Raw path (as latin1, one char per byte) → the path's bytes. */
  private readonly files = new Map<string, Buffer>();
  /** The written paths that are valid UTF-8 (the ones a project file can name); rebuilt after a write. */
  private utf8: Set<string> | null = null;
  /** Entries that could not be written (a name clash inside a crafted tree). */
  refused = 0;

  constructor(readonly root: string) {}

  write(path: Buffer, data: Buffer): void {
    const parts = path.toString('latin1').split('/');
    try {
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join('/');
        if (this.dirs.has(dir)) continue;
        mkdirSync(this.abs(Buffer.from(dir, 'latin1')), 0o755);
        this.dirs.add(dir);
      }
      createFile(this.abs(path), data);
      this.files.set(path.toString('latin1'), path);
      this.utf8 = null;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTDIR' && code !== 'EISDIR' && code !== 'ENAMETOOLONG') throw e;
      this.refused++;
    }
  }

  /** Rewrites a file we wrote: a new file beside it, renamed over it (rename never follows a link). */
  replace(rel: string, data: Buffer): void {
    const abs = join(this.root, rel);
    const tmp = `${abs}.${randomBytes(4).toString('hex')}.sr-tmp`;
    createFile(tmp, data);
    renameSync(tmp, abs);
  }

  has(rel: string): boolean {
    return this.files.has(rel);
  }

  hasAbsolute(abs: string): boolean {
    return abs.startsWith(`${this.root}/`) && this.utf8Paths().has(abs.slice(this.root.length + 1));
  }

  paths(): string[] {
    return [...this.utf8Paths()];
  }

  /** [base64 path, size] of every file written, for the completion marker. */
  list(): Array<[string, number]> {
    return [...this.files.values()].map((p) => [p.toString('base64'), lstatSync(this.abs(p)).size]);
  }

  private utf8Paths(): Set<string> {
    this.utf8 ??= new Set([...this.files.values()].map((b) => b.toString('utf8')).filter((s) => !s.includes('\ufffd')));
    return this.utf8;
  }

  private abs(rel: Buffer): Buffer {
    return Buffer.concat([Buffer.from(`${this.root}/`), rel]);
  }
}

function fail(message: string): never {
  throw new Error(message);
}
