// Names of the open review's hunks for the tree, the panel and Request Changes: from the history's
// enclosing block or git's section header at once, and from a syntax-only parse of the file (read
// from git objects) as soon as that file is asked for; views redraw when better names arrive.
import * as vscode from 'vscode';
import { readBlobAt } from '../../core/git/repository';
import { ChangedFile, Hunk } from '../../core/review/changeSetTypes';
import { HunkName, hunkName } from '../../core/review/hunkNames';
import { ReviewController, Review } from './reviewController';
import { hunkHistoryOf } from './viewModel';

/** Only these are parsed: other languages are named from history and the section header, without reading the file. */
const PARSED = /\.(c|m)?(t|j)sx?$/i;

export class HunkLabels implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Per review (by its commits) and file: the parse under way or done, and the names it found. */
  private readonly parsed = new Map<string, Promise<Map<string, HunkName>>>();
  private readonly known = new Map<string, Map<string, HunkName>>();
  private commits = '';

  constructor(private readonly controller: ReviewController) {}

  private key(r: Review, f: ChangedFile): string {
    return `${r.cs.mergeBase}:${r.cs.headCommit}:${f.path}`;
  }

  /** The best name known now; asks for the file to be parsed when it has not been (the views redraw when it is). */
  name(f: ChangedFile, h: Hunk): HunkName {
    const r = this.controller.current;
    const known = r ? this.known.get(this.key(r, f))?.get(h.id) : undefined;
    if (known) return known;
    if (r && PARSED.test(f.path)) void this.forFile(f);
    return hunkName(h, { path: f.path, oldPath: f.oldPath, enclosing: hunkHistoryOf(h)?.enclosing?.name });
  }

  /** Parses the file's two sides once per review; resolves when its hunks have their names. */
  forFile(f: ChangedFile): Promise<void> {
    const r = this.controller.current;
    if (!r || !PARSED.test(f.path) || f.tooLarge || f.kind !== 'text') return Promise.resolve();
    const commits = `${r.cs.mergeBase}:${r.cs.headCommit}`;
    if (commits !== this.commits) {
      this.commits = commits;
      this.parsed.clear();
      this.known.clear();
    }
    const key = this.key(r, f);
    let p = this.parsed.get(key);
    if (!p) {
      p = this.parse(r, f).then((names) => {
        this.known.set(key, names);
        if (this.controller.current === r) this.changed.fire();
        return names;
      });
      this.parsed.set(key, p);
    }
    return p.then(() => undefined);
  }

  private async parse(r: Review, f: ChangedFile): Promise<Map<string, HunkName>> {
    const decode = (b: Buffer | null) => (b ? b.toString(f.encoding === 'latin1' ? 'latin1' : 'utf8') : null);
    const read = (commit: string, path: string) => readBlobAt(commit, path, r.ctx).then(decode, () => null);
    const needsBase = f.hunks.some((h) => h.added === 0);
    const [headText, baseText] = await Promise.all([
      f.status === 'deleted' ? null : read(r.cs.headCommit, f.path),
      needsBase && f.status !== 'added' ? read(r.cs.mergeBase, f.oldPath ?? f.path) : null,
    ]);
    // Only what the parse found is kept: the fallbacks are worked out live, as history may still arrive.
    const names = new Map<string, HunkName>();
    for (const h of f.hunks) {
      const n = hunkName(h, { path: f.path, oldPath: f.oldPath, headText, baseText });
      if (n.source === 'syntax') names.set(h.id, n);
    }
    return names;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
