// Call-graph impact for a review: keeps one language server per analysis tree warm (attachImpact
// runs the head's, then the merge base's, never both at once), maps each hunk to the symbols it
// changes, walks incoming calls breadth-first within limits, and falls back to a labelled text
// search when a server is missing, crashes twice or hangs.

import { readFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RepoContext, commonGitDir, readBlob } from '../git/repository';
import { isArgumentSafe } from '../git/gitPath';
import { enclosingBlock } from '../history/complexity';
import { Logger, silentLogger } from '../logger';
import { ChangedFile, Hunk } from '../review/changeSetTypes';
import { addedLines, removedLines } from '../review/lineMap';
import { isTestPath } from '../risk/riskInputs';
import { AnalysisTree, analysisTree } from './analysisTree';
import { treesDir } from './privateTree';
import { CallerRef, EntryPoint, HunkImpact, SymbolRef } from './impactTypes';
import { CallHierarchyItem, DEFAULT_SERVER_TIMEOUT_S, DocumentSymbol, HierarchyClient, IncomingCall, LspClient, LspError, RequestFailed, ServerCommand } from './lspClient';
import { SYMBOL_KIND, SymbolHit, symbolsAtLines } from './hunkSymbols';
import { ServerSetting, computesCallers, serverFor, treeFileTypes } from './servers';
import { declaredNames, grepCallers } from './textFallback';
import type * as TS from 'typescript';
import { TS_FILE, changesCallableCode, changesCallableCodeIn, parseSource, typescript } from './syntaxFilter';
import { SyntaxSource, calledAt, callerItem, callsOnly, preparePosition, preparedAsClass, referenceCalls } from './completeCallers';
import { neverPrepared } from './neverPrepared';
import { codeSnapshot } from './codeSnapshot';
import { BaseSide, Root, Walk, addEntry, addStop, copyWalk, entriesInOrder, newWalk, stopsInOrder } from './walkState';

export interface ImpactOptions {
  maxDepth: number;
  /**
   * Callers one hunk's walk may collect. The walk is bounded by depth and this count only, never by
   * time: a time budget made the callers found depend on the machine's load (issue #15).
   */
  maxNodes: number;
  /** The reviewed tree may run its own TypeScript (workspace trust). */
  trusted: boolean;
  servers: ServerSetting[];
  /**
   * The editor's own call-hierarchy providers (VS Code), usable when the reviewed head is the
   * checked-out, clean workspace: for languages no server handles, or for all when preferred.
   */
  editor?: ServerCommand | null;
  preferEditor?: boolean;
  /** Bound on a server's whole start-up and on each of its requests. */
  serverTimeoutMs: number;
}

export const DEFAULT_IMPACT_OPTIONS: ImpactOptions = {
  maxDepth: 5, maxNodes: 300, trusted: false, servers: [], serverTimeoutMs: DEFAULT_SERVER_TIMEOUT_S * 1000,
};

interface ServerSlot {
  client: HierarchyClient | null;
  failures: number;
  broken: string | null;
}

/** The editor has no provider for the file's language: this hunk falls back, the source stays. */
class NoProviderError extends Error {}

/** Kinds that always have a call hierarchy when the language has a provider: function, method, constructor. */
const ALWAYS_CALLABLE = new Set([6, 9, 12]);

/** The files whose text hits a CommonJS confirmation asks the server about. */
const JS_OR_TS = /\.(c|m)?[jt]sx?$/;

const EXPORT_RE = /^\s*export\b|^\s*module\.exports\b|^\s*exports\./;

export class ImpactSession {
  private readonly slots = new Map<string, ServerSlot>();
  private readonly trees = new Map<string, Promise<AnalysisTree>>();
  private readonly texts = new Map<string, string[]>();
  readonly notes = new Set<string>();
  /** File types without a server, by what was done instead: said once per review, not per file. */
  private readonly textSearched = new Set<string>();
  private readonly notComputed = new Set<string>();
  private root: Promise<string> | null = null;
  private commonDir: Promise<string> | null = null;
  private tempRoot: string | null = null;

  /** `keepTrees` false (--no-cache): private trees go to a temporary folder removed by dispose. */
  constructor(private readonly ctx: RepoContext, readonly options: ImpactOptions = DEFAULT_IMPACT_OPTIONS, private readonly logger: Logger = silentLogger, private readonly keepTrees = true) {}

  /** The repository's common git directory, asked of git once per session. */
  private gitDir(): Promise<string> {
    this.commonDir ??= commonGitDir(this.ctx);
    return this.commonDir;
  }

  /**
   * Where this session's private trees go: our folder of the git directory, so the next review of
   * the same head reuses them; a temporary folder when asked to write nothing there, or when it
   * cannot be written (something not ours in its place).
   */
  private treesRoot(): Promise<string> {
    this.root ??= (async () => {
      if (this.keepTrees) {
        const dir = treesDir(await this.gitDir());
        try {
          mkdirSync(dir, { recursive: true });
          return dir;
        } catch (e) {
          this.logger.info(`analysis trees: ${dir} cannot be written (${(e as NodeJS.ErrnoException).code}); using a temporary folder`);
        }
      }
      this.tempRoot = mkdtempSync(join(tmpdir(), 'senior-review-trees-'));
      return this.tempRoot;
    })();
    return this.root;
  }

  tree(commit: string): Promise<AnalysisTree> {
    let t = this.trees.get(commit);
    if (!t) {
      t = this.treesRoot().then((treesRoot) => analysisTree(commit, this.ctx, { trusted: this.options.trusted, wantCheckout: !!this.options.editor, treesRoot, only: treeFileTypes(this.options.servers) }));
      this.trees.set(commit, t);
    }
    return t;
  }

  private lines(file: string): string[] {
    let l = this.texts.get(file);
    if (!l) {
      l = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
      this.texts.set(file, l);
    }
    return l;
  }

  /** A started client for (tree, server), restarted once after a failure; null once broken. */
  private slotKey(tree: AnalysisTree, server: ServerCommand): string {
    return `${tree.path}\0${server.command} ${server.args.join(' ')}`;
  }

  private async client(tree: AnalysisTree, server: ServerCommand): Promise<{ client: HierarchyClient | null; why: string | null }> {
    const key = this.slotKey(tree, server);
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { client: null, failures: 0, broken: null };
      this.slots.set(key, slot);
    }
    if (slot.broken) return { client: null, why: slot.broken };
    if (slot.client?.alive) return { client: slot.client, why: null };
    if (slot.client) {
      // It ended where nobody called failed() (the warm-up): its process may live on (a language
      // server outlives its tsserver) and, left running, keeps the CLI from ever exiting.
      await this.retire(slot, server, 'it stopped answering while the projects loaded');
      if (slot.broken) return { client: null, why: slot.broken };
    }
    const c = server.connect ? server.connect(tree.path) : new LspClient(tree.path, server, this.logger, this.options.serverTimeoutMs);
    try {
      await c.start();
      slot.client = c;
      if (tree.private) tree.notes.forEach((n) => this.notes.add(n));
      return { client: c, why: null };
    } catch (e) {
      await c.stop();
      slot.failures++;
      const why = `${server.name} failed to start: ${(e as Error).message}`;
      // A missing binary or a start-up that used the whole time bound will not do better on a retry.
      if (slot.failures >= 2 || (e instanceof LspError && e.final)) {
        this.markBroken(slot, why);
        return { client: null, why };
      }
      return this.client(tree, server).catch(() => ({ client: null, why }));
    }
  }

  private async failed(tree: AnalysisTree, server: ServerCommand, e: Error): Promise<void> {
    const slot = this.slots.get(this.slotKey(tree, server));
    if (slot) await this.retire(slot, server, e.message);
  }

  /** Counts a failure of the slot's client and ends it; the second failure breaks the slot. */
  private async retire(slot: ServerSlot, server: ServerCommand, why: string): Promise<void> {
    slot.failures++;
    await slot.client?.stop();
    slot.client = null;
    if (slot.failures >= 2) this.markBroken(slot, `${server.name} failed twice (${why})`);
  }

  /** The one line the reviewer sees about a server that cannot be used; its hunks fall back to text. */
  private markBroken(slot: ServerSlot, why: string): void {
    if (slot.broken) return;
    slot.broken = why;
    this.logger.warn(`${why}; call-graph impact falls back to a text search`);
  }

  /**
   * The key the answers for a commit are cached under: its code snapshot (codeSnapshot.ts) when
   * the servers read only private trees made from git objects; the commit itself when they may
   * read more than its objects (a trusted checkout with its node_modules, the editor's providers).
   */
  async cacheKey(commit: string): Promise<string> {
    if (this.options.trusted || this.options.editor) return commit;
    return codeSnapshot(commit, this.ctx, await this.gitDir(), treeFileTypes(this.options.servers), (path) => computesCallers(path, this.options.servers));
  }

  /** Whether headImpact answers this file's hunks with the text search alone (no server can read it). */
  async answeredByText(file: ChangedFile, headCommit: string): Promise<boolean> {
    return ![file.path, file.oldPath ?? file.path].every(isArgumentSafe) || !this.sourceFor(file.path, await this.tree(headCommit));
  }

  /** A hunk's impact, both sides at once (a hunk that needs the merge base runs both servers). */
  async hunkImpact(file: ChangedFile, hunk: Hunk, headCommit: string, mergeBase: string, signal?: AbortSignal): Promise<HunkImpact> {
    const head = await this.headImpact(file, hunk, headCommit, mergeBase, signal);
    return head instanceof BaseSide ? this.baseImpact(head, signal) : head;
  }

  /**
   * A hunk's impact on the head's server: final, or, when the hunk removed or renamed away a
   * declaration, what the head gave so far with the merge base's side still to walk (baseImpact).
   * attachImpact walks every head side first and then the base sides, so the two servers never
   * run at once (vite's 138-file range: 1,507 MB with both, each alone well under).
   */
  async headImpact(file: ChangedFile, hunk: Hunk, headCommit: string, mergeBase: string, signal?: AbortSignal): Promise<HunkImpact | BaseSide> {
    // A language server is given file URIs made from strings, which cannot carry bytes that are not UTF-8.
    if (![file.path, file.oldPath ?? file.path].every(isArgumentSafe)) return this.textImpact(file, hunk, headCommit, 'the file name is not UTF-8, so no language server can open it');
    const source = this.sourceFor(file.path, await this.tree(headCommit));
    const added = addedLines(hunk);
    const removed = removedLines(hunk);
    if (!source) {
      this.textSearched.add(fileType(file.path));
      return this.textImpact(file, hunk, headCommit, `no language server for ${fileType(file.path)} files`, false);
    }
    const { server, tree: headTree } = source;
    try {
      const symbols: SymbolRef[] = [];
      const roots: Root[] = [];
      if (file.status !== 'deleted' && added.length && this.needsServer(headTree, file.path, added)) {
        await this.collect(headTree, server, file.path, added, 'head', symbols, roots);
      }
      const kind = server.connect ? 'editor' : 'lsp';
      const { walked, cuts } = await this.walkConfirmed(file, symbols, roots, headCommit, signal);
      // The base side (a second tree and server) only when a declaration was removed or renamed away;
      // the editor's providers see only the checkout, never the base.
      if (removed.length && !server.connect && (file.status === 'deleted' || removedDeclarations(hunk, symbols))) {
        return new BaseSide(file, hunk, headCommit, mergeBase, server, symbols, roots.length, walked, cuts);
      }
      return this.finish(kind, symbols, walked, roots.length ? server.name : null, cuts);
    } catch (e) {
      return this.afterFailure(e, { file, hunk, headCommit, tree: headTree, server, signal }, () => this.headImpact(file, hunk, headCommit, mergeBase, signal));
    }
  }

  /**
   * The merge base's side of a hunk whose head side is done: the removed declarations' callers at
   * the base, walked on after the head's (the callers' limit counts both), and the final impact.
   */
  async baseImpact(side: BaseSide, signal?: AbortSignal): Promise<HunkImpact> {
    const { file, hunk, server } = side;
    const baseTree = await this.tree(side.mergeBase);
    try {
      const baseSymbols: SymbolRef[] = [];
      const roots: Root[] = [];
      await this.collect(baseTree, server, file.oldPath ?? file.path, removedLines(hunk), 'base', baseSymbols, roots);
      const headNames = new Set(side.symbols.map((s) => s.name));
      const symbols = [...side.symbols, ...baseSymbols.filter((s) => !headNames.has(s.name))];
      // A copy: a retry after a failure starts again from the head's answer.
      let walked = copyWalk(side.walked);
      let cuts = side.cuts;
      if (side.headRoots === 0) {
        // Nothing at the head: the base's roots are the hunk's, confirmed from text as the head's are.
        ({ walked, cuts } = await this.walkConfirmed(file, symbols, roots, side.headCommit, signal));
      } else await this.walkFrom(walked, roots, signal);
      return this.finish('lsp', symbols, walked, side.headRoots || roots.length ? server.name : null, cuts);
    } catch (e) {
      return this.afterFailure(e, { file, hunk, headCommit: side.headCommit, tree: baseTree, server, signal }, () => this.baseImpact(side, signal));
    }
  }

  /**
   * What a hunk gets when one side of it failed on `tree`'s server: the error again once cancelled;
   * the labelled text search when the source has no provider for the file, or when one request
   * failed (the server is fine and answers the next hunk; this one is told what it lacks);
   * otherwise the server is retired and the side asked again of its replacement, or, once the
   * server is broken, the text search saying why.
   */
  private async afterFailure<T>(e: unknown, at: { file: ChangedFile; hunk: Hunk; headCommit: string; tree: AnalysisTree; server: ServerCommand; signal?: AbortSignal }, again: () => Promise<T>): Promise<T | HunkImpact> {
    const { file, hunk, headCommit, tree, server } = at;
    if (at.signal?.aborted) throw e;
    if (e instanceof NoProviderError) return this.textImpact(file, hunk, headCommit, e.message);
    if (e instanceof RequestFailed) return this.textImpact(file, hunk, headCommit, `${server.name} ${e.message.replace(/\.$/, '')}`);
    await this.failed(tree, server, e as Error);
    const slot = this.slots.get(this.slotKey(tree, server));
    if (slot && !slot.broken) return again();
    return this.textImpact(file, hunk, headCommit, slot?.broken ?? (e as Error).message);
  }

  /**
   * Walks the roots (all of one tree); when they are plain JavaScript and no caller was found,
   * walks again with the callers CommonJS exports hide from tsserver's call hierarchy
   * (module.exports = { f }): the name's occurrences found with git grep that the server resolves
   * to one of the roots.
   */
  private async walkConfirmed(file: ChangedFile, symbols: SymbolRef[], roots: Root[], headCommit: string, signal?: AbortSignal): Promise<{ walked: Walk; cuts: string[] }> {
    let walked = newWalk();
    await this.walkFrom(walked, roots, signal);
    const cuts: string[] = [];
    if (walked.callers.size === 0 && roots.length && /\.(c|m)?jsx?$/.test(file.path)) {
      const confirmed = await this.confirmTextCallers(roots, symbols, headCommit);
      if (confirmed.found.length) {
        walked = newWalk();
        await this.walkFrom(walked, [...roots, ...confirmed.found], signal, roots.length);
      }
      if (confirmed.cutBy) cuts.push(`the server ${confirmed.cutBy.message}`);
    }
    return { walked, cuts };
  }

  /** Stops the servers of a commit's tree (the head's, before the base's start); a later request starts them again. */
  async stopServersOf(commit: string): Promise<void> {
    const tree = this.trees.get(commit);
    if (!tree) return;
    const prefix = `${(await tree).path}\0`;
    for (const [key, slot] of this.slots) {
      if (!key.startsWith(prefix) || !slot.client) continue;
      await slot.client.stop();
      slot.client = null;
    }
  }

  /**
   * The call-hierarchy source for a file and the tree it reads: the configured or bundled server on
   * the analysis tree, or the editor's providers (per language, so one language without a provider
   * does not disable the others), which read only the reviewer's checkout, so only when it is the head.
   */
  private sourceFor(path: string, tree: AnalysisTree): { server: ServerCommand; tree: AnalysisTree } | null {
    const ext = /\.[^./]+$/.exec(path)?.[0]?.toLowerCase() ?? '';
    const editor = this.options.editor && tree.checkout
      ? { server: { ...this.options.editor, args: [ext] }, tree: { ...tree, path: tree.checkout, private: false, notes: [] } }
      : null;
    if (editor && this.options.preferEditor) return editor;
    const server = serverFor(path, this.options.servers, { tree: tree.path, trusted: this.options.trusted });
    return server ? { server, tree } : editor;
  }

  /**
   * Whether added lines touch code a call hierarchy can start from (TS/JS: opening a file in
   * tsserver loads its whole project; other languages always go to their server).
   */
  private needsServer(tree: AnalysisTree, relPath: string, lines: number[]): boolean {
    const abs = join(tree.path, relPath);
    // The parse the call-site checks keep: parsing the file again for each of its hunks cost
    // apollo-client's last 40 commits 2.2 s of CPU and much of the process's garbage.
    const src = TS_FILE.test(relPath) ? this.syntaxSource() : null;
    const sf = src?.parse(abs);
    return src && sf ? changesCallableCodeIn(src.ts, sf, lines) : changesCallableCode(this.lines(abs).join('\n'), relPath, lines);
  }

  /**
   * Loads, ahead of the walk, the projects its files will need: starts the server(s) of the head's
   * analysis tree, opens each file whose hunks need a server and asks for its symbols (the first
   * request on a file of a new project makes tsserver load that project, seconds per project), one
   * file per project first. attachImpact runs it before walking, so every project is loaded before
   * the first incoming-calls request and references into other projects do not depend on the walk's
   * order. Starting it while history runs was measured and dropped: on a 2-core machine it slowed
   * history more than it saved (vite, 138 files: 40.5 s against 36.6 s cold). It asks only what the
   * walk asks anyway, and the symbols are kept for the walk; it never throws (the walk meets any
   * failure again and handles it) and issues nothing more once the signal is aborted.
   */
  async warmUp(work: ReadonlyArray<readonly [ChangedFile, Hunk]>, headCommit: string, opts: { signal?: AbortSignal } = {}): Promise<number> {
    const halted = () => !!opts.signal?.aborted;
    try {
      const files = new Map<string, number[]>();
      for (const [f, h] of work) {
        if (!isArgumentSafe(f.path) || !isArgumentSafe(f.oldPath ?? f.path)) continue;
        const added = addedLines(h);
        if (f.status !== 'deleted' && added.length) files.set(f.path, [...(files.get(f.path) ?? []), ...added]);
      }
      if (!files.size || halted()) return 0;
      const tree = await this.tree(headCommit);
      const wanted: Array<{ path: string; server: ServerCommand }> = [];
      for (const [path, added] of files) {
        const source = this.sourceFor(path, tree);
        // The editor's providers load nothing of ours, and a file without callable changes is never opened.
        if (!source || source.server.connect || !this.needsServer(tree, path, added)) continue;
        wanted.push({ path, server: source.server });
      }
      return await this.loadProjects(tree, wanted, halted);
    } catch (e) {
      this.logger.info(`impact warm-up stopped: ${(e as Error).message}`);
      return 0;
    }
  }

  /**
   * The same for the merge base's side of the hunks that need it, once the head's are walked:
   * the projects of the files whose hunks removed a declaration, and of the files whose removed
   * lines (in any hunk of the work) mention one of those names, since the callers of what was
   * removed were likely changed too (a call to it removed) and their projects at the base hold them.
   */
  async warmUpBase(sides: readonly BaseSide[], work: ReadonlyArray<readonly [ChangedFile, Hunk]>, opts: { signal?: AbortSignal } = {}): Promise<number> {
    const halted = () => !!opts.signal?.aborted;
    if (!sides.length || halted()) return 0;
    try {
      const based = new Set<string>();
      const gone = new Set<string>();
      for (const side of sides) {
        based.add(side.file.oldPath ?? side.file.path);
        const still = new Set(side.symbols.map((x) => x.name));
        namesRemovedIn(side.hunk).filter((n) => !still.has(n)).forEach((n) => gone.add(n));
      }
      const mentions = gone.size ? new RegExp(`\\b(?:${[...gone].map(escapeRegExp).join('|')})\\b`) : null;
      if (mentions) for (const [f, h] of work) if (isArgumentSafe(f.oldPath ?? f.path) && h.lines.some((l) => l[0] === '-' && mentions.test(l))) based.add(f.oldPath ?? f.path);
      const tree = await this.tree(sides[0].mergeBase);
      const wanted: Array<{ path: string; server: ServerCommand }> = [];
      for (const path of based) {
        const source = this.sourceFor(path, tree);
        if (source && !source.server.connect) wanted.push({ path, server: source.server });
      }
      return await this.loadProjects(tree, wanted, halted);
    } catch (e) {
      this.logger.info(`impact warm-up stopped: ${(e as Error).message}`);
      return 0;
    }
  }

  /**
   * Opens each file and asks for its symbols, one file of each project first (the loads are what
   * costs); files the tree does not have are skipped. Never throws: the walk meets a failure again.
   */
  private async loadProjects(tree: AnalysisTree, wanted: ReadonlyArray<{ path: string; server: ServerCommand }>, halted: () => boolean): Promise<number> {
    const projects = new Set<string>();
    const firsts: typeof wanted[number][] = [];
    const rest: typeof wanted[number][] = [];
    for (const w of wanted) {
      const project = nearestProject(tree.path, w.path);
      if (projects.has(project)) rest.push(w);
      else {
        projects.add(project);
        firsts.push(w);
      }
    }
    let loaded = 0;
    try {
      for (const w of [...firsts, ...rest]) {
        const abs = join(tree.path, w.path);
        if (halted()) break;
        if (!existsSync(abs)) continue;
        const { client } = await this.client(tree, w.server);
        if (!client || halted()) break;
        try {
          await this.symbolsOf(client, client.open(abs));
          loaded++;
        } catch (e) {
          // One file the server cannot answer for must not leave the other projects to load mid-walk.
          if (!(e instanceof RequestFailed)) throw e;
        }
      }
    } catch (e) {
      this.logger.info(`impact warm-up stopped: ${(e as Error).message}`);
    }
    return loaded;
  }

  /** Forgets the cached symbols and incoming calls; the servers stay warm. */
  clearCaches(): void {
    this.symbolCache.clear();
    this.incomingCache.clear();
    this.referenceCache.clear();
    this.parsed.clear();
  }

  private async collect(tree: AnalysisTree, server: ServerCommand, relPath: string, lines: number[], side: 'head' | 'base', out: SymbolRef[], roots: Root[]): Promise<void> {
    const { client, why } = await this.client(tree, server);
    if (!client) throw new Error(why ?? 'no server');
    const abs = join(tree.path, relPath);
    if (!existsSync(abs)) return;
    const uri = client.open(abs);
    const docSymbols = await this.symbolsOf(client, uri);
    const hits: SymbolHit[] = symbolsAtLines(docSymbols, lines.map((l) => l - 1));
    const done = new Set<string>();
    let prepared = 0;
    // The parse tsserver's own TypeScript reads, to skip the names it never prepares (neverPrepared.ts).
    const src = server.shippedTypeScript && TS_FILE.test(relPath) ? this.syntaxSource() : null;
    const sf = src?.parse(abs) ?? null;
    for (const hit of hits) {
      for (const s of [hit.symbol, ...hit.ancestors]) {
        const key = `${s.selectionRange.start.line}:${s.selectionRange.start.character}`;
        // Locals and object-literal members fall back to their declaration; each symbol once.
        if (done.has(key)) break;
        done.add(key);
        const at = preparePosition(s, hit, docSymbols);
        if (src && sf && neverPrepared(src.ts, sf, at)) continue;
        const items = preparedAsClass(await client.prepare(uri, at), s, hit, uri);
        if (items.length === 0) continue;
        prepared++;
        out.push({ name: s.name, kind: SYMBOL_KIND[s.kind] ?? String(s.kind), path: relPath, line: s.selectionRange.start.line + 1, side });
        for (const item of items) roots.push({ item, tree, client });
        break;
      }
    }
    // The editor answers for any language, with nothing when it has no provider: a function it
    // cannot prepare means there is none, and the text search must say so rather than "no callers".
    if (server.connect && !prepared && !client.answered) {
      const fn = hits.find((h) => ALWAYS_CALLABLE.has(h.symbol.kind));
      // A language extension that is still starting answers nothing yet: wait for it once.
      if (fn && client.waitForProvider && (await client.waitForProvider(uri, fn.symbol.selectionRange.start))) {
        return this.collect(tree, server, relPath, lines, side, out, roots);
      }
      if (fn || (docSymbols.length === 0 && readFileSync(abs).length > 0)) {
        throw new NoProviderError(`VS Code has no ${docSymbols.length ? 'call hierarchy' : 'symbol'} provider for ${relPath.split('.').pop()} files`);
      }
    }
  }

  /**
   * Walks incoming calls breadth-first from the roots into `w`, which may hold a walk already done
   * from other roots (the head's, before the base's): its callers count towards the limit.
   */
  private async walkFrom(w: Walk, roots: Root[], signal?: AbortSignal, rootCount = roots.length): Promise<void> {
    const { seen, callers } = w;
    let step = 0;
    const keyOf = (i: CallHierarchyItem) => `${i.uri}#${i.selectionRange.start.line}:${i.selectionRange.start.character}`;
    roots.forEach((r) => seen.add(keyOf(r.item)));
    // Seeds past `rootCount` are callers confirmed outside the call hierarchy (depth 1).
    for (const r of roots.slice(rootCount)) {
      const rel = this.rel(r.tree, r.item.uri);
      const line = r.item.selectionRange.start.line + 1;
      const isTest = isTestPath(rel);
      const topLevel = r.item.kind === 1;
      callers.set(keyOf(r.item), { name: topLevel ? `top-level code of ${rel}` : r.item.name, kind: SYMBOL_KIND[r.item.kind] ?? String(r.item.kind), path: rel, line: topLevel ? r.callLine ?? line : line, callLines: [r.callLine ?? line], depth: 1, isTest, topLevel });
      if (isTest) addEntry(w, `${rel}:test`, { kind: 'test', name: rel, path: rel, line: r.callLine ?? line }, step);
      w.depthReached = Math.max(w.depthReached, 1);
    }
    let frontier = roots.map((r, i) => ({ ...r, depth: i < rootCount ? 0 : 1 })).filter((r) => r.depth === 0 || (r.item.kind !== 1 && !isTestPath(this.rel(r.tree, r.item.uri))));
    for (const r of roots.slice(0, rootCount)) {
      seen.add(keyOf(r.item));
      const rel = this.rel(r.tree, r.item.uri);
      if (EXPORT_RE.test(this.lines(join(r.tree.path, rel))[r.item.selectionRange.start.line] ?? '')) {
        addEntry(w, `${rel}:${r.item.selectionRange.start.line + 1}`, { kind: 'exported-api', name: r.item.name, path: rel, line: r.item.selectionRange.start.line + 1 }, step);
      }
    }
    while (frontier.length) {
      const next: typeof frontier = [];
      step++;
      if (signal?.aborted) throw new Error('cancelled');
      // One breadth level at a time, one request at a time, in frontier order: a request can change
      // what the server has loaded (opening a caller's file loads its project; references load the
      // projects referencing it), so with several in flight what a later one found depended on which
      // the server handled first (issue #15). Measured on vite's 138-file range: the walk took
      // 6.1 / 5.8 s with 8 in flight and 6.2 / 5.7 s one at a time, the same JSON.
      const atNodeLimit = callers.size >= this.options.maxNodes;
      const answers: Array<IncomingCall[] | Error | null> = [];
      for (const node of frontier) {
        if (atNodeLimit) {
          answers.push(null);
          continue;
        }
        if (!node.client.alive) throw new LspError('the server is not running');
        try {
          answers.push(await this.callsOf(node));
        } catch (e) {
          // A request that timed out or was answered with an error leaves this node's callers
          // unknown: the hunk says so (and is not kept in the cache, since another run may get the
          // answer); other failures restart the server.
          if (!isRequestCut(e)) throw e;
          answers.push(e as Error);
        }
      }
      if (atNodeLimit) addStop(w, `limit of ${this.options.maxNodes} callers reached`, step);
      for (let n = 0; n < frontier.length; n++) {
        const node = frontier[n];
        const client = node.client;
        const answer = answers[n];
        if (answer instanceof Error) {
          w.incomplete = true;
          addStop(w, `the server ${answer.message}`, step);
          continue;
        }
        for (const call of answer ?? []) {
          const from = call.from;
          const rel = this.rel(node.tree, from.uri);
          const fileLines = this.lines(join(node.tree.path, rel));
          // Calls from anonymous callbacks and top-level code come back as the whole file: one caller per file.
          // (A declaration on line 1 spanning the file is not: its name does not start at column 0.)
          const topLevel = from.kind === 1 || from.kind === 2 || (from.range.start.line === 0 && from.selectionRange.start.line === 0 && from.selectionRange.start.character === 0 && from.range.end.line >= fileLines.length - 2);
          const k = topLevel ? `${from.uri}#top` : keyOf(from);
          // Past the depth limit a caller is only looked for: if there is a new one, the walk was cut.
          if (node.depth >= this.options.maxDepth) {
            if (!callers.has(k) && !seen.has(k)) addStop(w, `depth limit of ${this.options.maxDepth} reached`, step);
            continue;
          }
          if (callers.size >= this.options.maxNodes && !callers.has(k)) {
            addStop(w, `limit of ${this.options.maxNodes} callers reached`, step);
            break;
          }
          const depth = node.depth + 1;
          w.depthReached = Math.max(w.depthReached, depth);
          const isTest = isTestPath(rel);
          const existing = callers.get(k);
          const callLines = [...new Set(call.fromRanges.map((r) => r.start.line + 1))].sort((a, b) => a - b);
          if (existing) {
            existing.callLines = [...new Set([...existing.callLines, ...callLines])].sort((a, b) => a - b);
            continue;
          }
          callers.set(k, { name: topLevel ? `top-level code of ${rel}` : from.name, kind: SYMBOL_KIND[from.kind] ?? String(from.kind), path: rel, line: topLevel ? callLines[0] ?? 1 : from.selectionRange.start.line + 1, callLines, depth, isTest, topLevel });
          if (isTest) addEntry(w, `${rel}:test`, { kind: 'test', name: rel, path: rel, line: callLines[0] ?? 1 }, step);
          else if (EXPORT_RE.test(fileLines[from.selectionRange.start.line] ?? '')) addEntry(w, `${rel}:${from.selectionRange.start.line + 1}`, { kind: 'exported-api', name: from.name, path: rel, line: from.selectionRange.start.line + 1 }, step);
          if (!seen.has(k) && !topLevel && !isTest) {
            seen.add(k);
            next.push({ item: from, tree: node.tree, client, depth });
          }
        }
      }
      frontier = next;
    }
  }

  /** The hunk's impact from its finished walk, named by the server that answered when any root was found. */
  private finish(source: 'lsp' | 'editor', symbols: SymbolRef[], w: Walk, server: string | null, cuts: string[]): HunkImpact {
    const all = [...w.callers.values()].sort((a, b) => a.depth - b.depth || a.path.localeCompare(b.path) || a.line - b.line);
    const files = [...new Set(all.map((c) => c.path))].sort();
    const result: HunkImpact = {
      symbols,
      directCallers: all.filter((c) => c.depth === 1),
      callers: all,
      transitiveCallers: all.length,
      files,
      dirs: [...new Set(files.map(packageOf))].sort(),
      entryPoints: entriesInOrder(w),
      depth: w.depthReached,
      truncated: w.truncatedBy.size > 0,
      ...(w.truncatedBy.size ? { truncatedBy: stopsInOrder(w).join('; ') } : {}),
      source,
      approximate: false,
    };
    if (server) result.server = server;
    if (w.incomplete) this.loadDependent.add(result);
    for (const why of cuts) this.markCut(result, why);
    return result;
  }

  /** Answers cut short by a server timeout or an error answer: another run may get further, so they are not cached. */
  private readonly loadDependent = new WeakSet<HunkImpact>();

  /** Whether an answer may be kept in the cache: not when load (a timeout, the text fallback) shaped it. */
  cacheable(m: HunkImpact): boolean {
    return !m.approximate && !this.loadDependent.has(m);
  }

  /** Marks a finished walk as cut short by a failed request: it says why and is not cached. */
  private markCut(result: HunkImpact, why: string): void {
    result.truncated = true;
    result.truncatedBy = result.truncatedBy ? `${result.truncatedBy}; ${why}` : why;
    this.loadDependent.add(result);
  }

  /**
   * Text hits of the symbols' names that the server resolves to one of the roots, as callers.
   * A request the server fails (an error answer or no answer) leaves that hit unconfirmed and the
   * others are still asked; `cutBy` says why the list may be short, as a walk cut so does.
   */
  private async confirmTextCallers(roots: Root[], symbols: SymbolRef[], headCommit: string): Promise<{ found: Root[]; cutBy?: Error }> {
    const out: Root[] = [];
    let cutBy: Error | undefined;
    const { tree, client } = roots[0];
    const rootKeys = new Set(roots.map((r) => `${r.item.uri}#${r.item.selectionRange.start.line}`));
    const seen = new Set<string>();
    const src = this.syntaxSource();
    // Searched in the head's private tree when that is the one at hand (never a checkout, which may hold anything).
    const onDisk = tree.private && tree.commit === headCommit ? tree.path : undefined;
    for (const sym of symbols) {
      const hits = memo(this.grepCache, `${headCommit}\0${sym.name}`, async () => grepCallers(sym.name, headCommit, [], this.ctx, 100, { tree: onDisk, gitDir: await this.gitDir(), keep: (path) => JS_OR_TS.test(path) }));
      for (const hit of await hits) {
        const abs = join(tree.path, hit.path);
        const text = this.lines(abs)[hit.line - 1] ?? '';
        const col = new RegExp(`\\b${sym.name.replace(/[$]/g, '\\$&')}\\b`).exec(text)?.index;
        if (col === undefined) continue;
        // A function passed as a value (`{ BinaryExpression: check }`, `xs.sort(compare)`) is not called there.
        if (src && !calledAt(src, abs, { line: hit.line - 1, character: col })) continue;
        const uri = client.open(abs);
        let item: CallHierarchyItem | undefined;
        try {
          const items = await client.prepare(uri, { line: hit.line - 1, character: col });
          if (!items.some((i) => rootKeys.has(`${i.uri}#${i.selectionRange.start.line}`))) continue;
          if (rootKeys.has(`${uri}#${hit.line - 1}`)) continue;
          // The caller is the declaration around the call as the call hierarchy names it, or the
          // file's top level. (Taking the innermost document symbol instead made a call in an
          // object literal's method a call from eslint's lib/cli.js top level: the symbol was a
          // constant destructured on the call's line, which nothing prepares.)
          const at = { line: hit.line - 1, character: col };
          if (src) item = (await callerItem(client, src, uri, at)) ?? undefined;
          else {
            const encl = symbolsAtLines(await this.symbolsOf(client, uri), [hit.line - 1])[0]?.symbol;
            if (encl) item = (await client.prepare(uri, encl.selectionRange.start))[0];
          }
        } catch (e) {
          if (!isRequestCut(e)) throw e;
          cutBy ??= e as Error;
          continue;
        }
        item ??= { name: hit.path, kind: 1, uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, selectionRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
        const k = `${item.uri}#${item.selectionRange.start.line}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push({ item, tree, client, callLine: hit.line });
      }
    }
    return { found: out, cutBy };
  }

  private readonly symbolCache = new Map<string, Promise<DocumentSymbol[]>>();
  /** A name's text occurrences in the head, once per review: hunks of one function confirm the same name. */
  private readonly grepCache = new Map<string, Promise<CallerRef[]>>();
  private readonly incomingCache = new Map<string, Promise<IncomingCall[]>>();

  /** Document symbols once per file and server: hunks of the same file share them. */
  private symbolsOf(client: HierarchyClient, uri: string): Promise<DocumentSymbol[]> {
    return memo(this.symbolCache, `${client.root}\0${uri}`, () => client.documentSymbols(uri));
  }

  /** Incoming calls once per item: walks from different hunks meet on the same callers. */
  private incomingOf(client: HierarchyClient, item: CallHierarchyItem): Promise<IncomingCall[]> {
    return memo(this.incomingCache, `${client.root}\0${item.uri}#${item.selectionRange.start.line}:${item.selectionRange.start.character}`, () => client.incoming(item));
  }

  private readonly referenceCache = new Map<string, Promise<IncomingCall[]>>();
  private readonly parsed = new Map<string, TS.SourceFile | null>();

  /** The syntax-only parse of files at the analysis trees, once per file; null without TypeScript. */
  private syntaxSource(): SyntaxSource | null {
    const ts = typescript();
    if (!ts) return null;
    const parse = (abs: string): TS.SourceFile | null => {
      if (!this.parsed.has(abs)) this.parsed.set(abs, existsSync(abs) ? parseSource(ts, this.lines(abs).join('\n'), abs) : null);
      return this.parsed.get(abs) ?? null;
    };
    return { ts, parse };
  }

  /**
   * A node's incoming calls, call sites only; for the changed symbols themselves (depth 0) completed
   * with the call and construct sites among the server's references.
   */
  private async callsOf(node: { item: CallHierarchyItem; client: HierarchyClient; depth: number }): Promise<IncomingCall[]> {
    const calls = await this.incomingOf(node.client, node.item);
    const src = this.syntaxSource();
    if (!src) return calls;
    const kept = callsOnly(calls, src);
    if (node.depth > 0) return kept;
    const key = `${node.client.root}\0${node.item.uri}#${node.item.selectionRange.start.line}:${node.item.selectionRange.start.character}`;
    return [...kept, ...(await memo(this.referenceCache, key, () => referenceCalls(node.client, node.item, kept, src)))];
  }

  private rel(tree: AnalysisTree, uri: string): string {
    const p = fileURLToPath(uri);
    return p.startsWith(tree.path + '/') ? p.slice(tree.path.length + 1) : p;
  }

  /**
   * Whether the file's hunks get callers at all: code (by a server, or the text search when none is
   * configured), never documentation, data, configuration or lockfiles, which are only named once
   * in the review's notes.
   */
  computesCallers(path: string): boolean {
    if (computesCallers(path, this.options.servers)) return true;
    this.notComputed.add(fileType(path));
    return false;
  }

  /** The review's notes: what the servers and trees said, and one line per kind of file without a server. */
  summaryNotes(): string[] {
    const types = (set: Set<string>) => [...set].sort().join(', ');
    return [
      ...this.notes,
      ...(this.textSearched.size ? [`no language server for ${types(this.textSearched)} files: callers are an approximate text search (git grep)`] : []),
      ...(this.notComputed.size ? [`no language server for ${types(this.notComputed)} files: callers not computed`] : []),
    ];
  }

  async textImpact(file: ChangedFile, hunk: Hunk, headCommit: string, why: string, noteOnce = true): Promise<HunkImpact> {
    if (noteOnce) this.notes.add(`${why}: approximate text search (git grep) used instead`);
    const changed = hunk.lines.filter((l) => l[0] === '+' || l[0] === '-').map((l) => l.slice(1));
    const headText = file.status === 'deleted' || !file.newOid ? null : (await readBlob(file.newOid, this.ctx)).toString('utf8');
    const block = headText ? enclosingBlock(headText, hunk.newStart, hunk.newStart + Math.max(hunk.newLines, 1) - 1) : null;
    const names = declaredNames([...changed, hunk.section, block?.name ?? '']);
    const declared = block ? [{ path: file.path, line: block.startLine }] : [];
    const callers: CallerRef[] = [];
    // A name mentioned in prose, data or configuration is not a call.
    const gitDir = await this.gitDir();
    for (const n of names) callers.push(...(await grepCallers(n, headCommit, declared, this.ctx, undefined, { gitDir, keep: (path) => computesCallers(path, this.options.servers) })));
    const uniq = new Map(callers.map((c) => [`${c.path}:${c.line}`, c]));
    const all = [...uniq.values()];
    const files = [...new Set(all.map((c) => c.path))].sort();
    return {
      symbols: names.map((n) => ({ name: n, kind: 'unknown', path: file.path, line: hunk.newStart, side: 'head' as const })),
      directCallers: all,
      callers: all,
      transitiveCallers: all.length,
      files,
      dirs: [...new Set(files.map(packageOf))].sort(),
      entryPoints: all.filter((c) => c.isTest).map((c) => ({ kind: 'test' as const, name: c.path, path: c.path, line: c.line })),
      depth: all.length ? 1 : 0,
      truncated: false,
      source: 'text',
      approximate: true,
      note: `${why}; callers are whole-word text matches (approximate)`,
    };
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.slots.values()].map((s) => s.client?.stop()));
    this.slots.clear();
    // Servers are stopped, so nothing reads the temporary trees any more.
    if (this.tempRoot) rmSync(this.tempRoot, { recursive: true, force: true });
  }

  /** How long each started server took to answer `initialize`, in ms. */
  serverReadyMs(): number[] {
    return [...this.slots.values()].map((s) => s.client?.readyMs ?? null).filter((x): x is number => x !== null);
  }

  peakServerRssMb(): number | null {
    const all = [...this.slots.values()].map((s) => s.client?.peakRssMb() ?? null).filter((x): x is number => x !== null);
    return all.length ? Math.max(...all) : null;
  }
}

/** One promise per key; a failed one is forgotten so the next call retries. */
function memo<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let p = cache.get(key);
  if (!p) {
    p = make();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
  }
  return p;
}

/** The folder of the project file tsserver would pick for a file: the nearest tsconfig.json or jsconfig.json above it. */
function nearestProject(treePath: string, relPath: string): string {
  for (let dir = dirname(relPath); ; dir = dirname(dir)) {
    const d = dir === '.' ? '' : dir;
    if (['tsconfig.json', 'jsconfig.json'].some((f) => existsSync(join(treePath, d, f)))) return d;
    if (d === '') return '';
  }
}

/** How a file's type is named in notes: its extension (".md"), or its name when it has none ("Dockerfile"). */
function fileType(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const ext = /\.[^.]+$/.exec(name)?.[0];
  return ext && ext !== name ? ext.toLowerCase() : name;
}

/** A caller's "subsystem": the workspace package (packages/x, apps/y) or the top-level directory. */
export function packageOf(path: string): string {
  const parts = path.split('/');
  if (parts.length > 2 && ['packages', 'apps', 'libs', 'services', 'modules'].includes(parts[0])) return `${parts[0]}/${parts[1]}`;
  return parts.length > 1 ? parts[0] : '.';
}

/** Whether removed lines declared something the head side did not find (a removed or renamed symbol). */
function removedDeclarations(hunk: Hunk, headSymbols: readonly SymbolRef[]): boolean {
  return namesRemovedIn(hunk).some((n) => !headSymbols.some((s) => s.name === n));
}

/** The names the hunk's removed lines declare. */
function namesRemovedIn(hunk: Hunk): string[] {
  return declaredNames(hunk.lines.filter((l) => l[0] === '-').map((l) => l.slice(1)));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A request that failed on its own (an error answer, or none in time) while the server runs on. */
function isRequestCut(e: unknown): boolean {
  return e instanceof RequestFailed || (e instanceof LspError && /did not answer/.test(e.message));
}
