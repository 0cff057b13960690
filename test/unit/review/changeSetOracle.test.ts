// Oracle: for hundreds of random commits (adds, deletes, renames, binary files, CRLF, odd paths,
// missing final newlines) the parsed hunks re-applied to each base file rebuild the head file
// byte for byte, using the `diff` package's applyPatch as an independent applier.
import assert from 'node:assert/strict';
import { applyPatch, StructuredPatch } from 'diff';
import { RepoBuilder } from '../../../src/demo/repoBuilder';
import { runGit } from '../../../src/core/git/runGit';
import { computeChangeSet } from '../../../src/core/review/changeSet';
import { resolveRange } from '../../../src/core/review/resolveRange';
import { ChangedFile } from '../../../src/core/review/changeSetTypes';
import { tempRepo, cleanupRepos } from '../../helpers/repos';

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['plain.txt', 'with space.ts', 'quote"d.js', 'tab\tname.md', 'ünïcødé/файл.txt', 'new\nline.txt', 'dir/sub/deep.c', 'back\\slash.txt', "apo'strophe.py", 'crlf.bat', 'emoji-😀.txt', 'x.latin1'];
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'return x;', '}', '{', '  if (a) {', '    b();', '', 'ünï', 'const q = "\\"";', '\t\tindent'];

function randomText(r: () => number, crlf: boolean, latin1: boolean): string | Buffer {
  const n = Math.floor(r() * 40);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(WORDS[Math.floor(r() * WORDS.length)] + (r() < 0.2 ? ` ${i}` : ''));
  const eol = crlf ? '\r\n' : '\n';
  let text = lines.join(eol);
  if (n > 0 && r() < 0.7) text += eol;
  if (latin1) return Buffer.from(text.replace(/[^\x00-\xff]/g, '?') + 'caf\xe9\n', 'latin1');
  return text;
}

function mutate(r: () => number, old: string): string {
  const lines = old.split('\n');
  const ops = 1 + Math.floor(r() * 4);
  for (let k = 0; k < ops; k++) {
    const at = Math.floor(r() * (lines.length + 1));
    const op = r();
    if (op < 0.4) lines.splice(at, 0, WORDS[Math.floor(r() * WORDS.length)] + ' edit' + k);
    else if (op < 0.7) lines.splice(at, 1);
    else lines[Math.min(at, lines.length - 1)] = 'changed ' + k;
  }
  let out = lines.join('\n');
  if (r() < 0.2) out = out.replace(/\n$/, '');
  return out;
}

function toStructured(f: ChangedFile): StructuredPatch {
  return {
    oldFileName: 'a', newFileName: 'b', oldHeader: '', newHeader: '',
    // git anchors a zero-length side after `start`; the diff package wants the line it precedes.
    hunks: f.hunks.map((h) => ({
      oldStart: h.oldLines === 0 ? h.oldStart + 1 : h.oldStart,
      oldLines: h.oldLines,
      newStart: h.newLines === 0 ? h.newStart + 1 : h.newStart,
      newLines: h.newLines,
      lines: h.lines,
    })),
  };
}

async function blob(repo: string, commit: string, path: string | null): Promise<Buffer> {
  if (path === null) return Buffer.alloc(0);
  return (await runGit(['cat-file', 'blob', `${commit}:${path}`], { cwd: repo })).stdout;
}

describe('change set oracle (re-applying hunks rebuilds head)', function () {
  // 300 random commits, each re-applied hunk by hunk: about 100 s on a quiet 2-core machine, 470 s under load.
  this.timeout(900_000);
  after(cleanupRepos);

  it('holds for 300 random commits', async () => {
    const r = rng(20261124);
    const repo: RepoBuilder = await tempRepo();
    const live = new Map<string, string | Buffer>();
    for (const name of NAMES.slice(0, 6)) {
      const t = randomText(r, name === 'crlf.bat', false);
      live.set(name, t);
    }
    await repo.commit({ message: 'base', files: Object.fromEntries(live) });
    let checkedFiles = 0;
    const statuses = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const files: Record<string, string | Buffer | null> = {};
      const renames: Record<string, string> = {};
      const names = [...live.keys()];
      const op = r();
      if (op < 0.15 && names.length > 1) {
        const victim = names[Math.floor(r() * names.length)];
        files[victim] = null;
        live.delete(victim);
      } else if (op < 0.3) {
        const name = NAMES[Math.floor(r() * NAMES.length)];
        const content = randomText(r, name === 'crlf.bat', name === 'x.latin1');
        if (!live.has(name)) { files[name] = content; live.set(name, content); }
      } else if (op < 0.42 && names.length > 0) {
        const from = names[Math.floor(r() * names.length)];
        const to = `moved/${i}-${from.replace(/\//g, '_')}`;
        renames[from] = to;
        const c = live.get(from)!;
        live.delete(from);
        const edited = typeof c === 'string' && r() < 0.5 ? c + 'tail\n' : c;
        live.set(to, edited);
        files[to] = edited;
      } else if (op < 0.47) {
        const bin = Buffer.from([0, 1, 2, Math.floor(r() * 255), 0, 10, 13]);
        files['image.bin'] = bin;
        live.set('image.bin', bin);
      }
      const editable = [...live.keys()].filter((n) => typeof live.get(n) === 'string' && !files[n] && !Object.values(renames).includes(n));
      for (let k = 0; k < 1 + Math.floor(r() * 3) && editable.length; k++) {
        const name = editable[Math.floor(r() * editable.length)];
        const next = mutate(r, live.get(name) as string);
        files[name] = next;
        live.set(name, next);
      }
      await repo.commit({ message: `c${i}`, files, renames });
      const ctx = { cwd: repo.dir };
      const range = await resolveRange({ base: 'HEAD~1', head: 'HEAD' }, ctx);
      const cs = await computeChangeSet(repo.dir, range, ctx);
      for (const f of cs.files) {
        statuses.add(f.status);
        const head = await blob(repo.dir, range.headCommit, f.status === 'deleted' ? null : f.path);
        if (f.binary) {
          assert.ok(head.includes(0) || (await blob(repo.dir, range.mergeBase, f.oldPath ?? f.path)).includes(0), `${f.path} flagged binary`);
          continue;
        }
        const base = await blob(repo.dir, range.mergeBase, f.status === 'added' ? null : (f.oldPath ?? f.path));
        if (f.hunks.length === 0) {
          assert.ok(base.equals(head), `${JSON.stringify(f.path)} has no hunks but its content changed`);
          checkedFiles++;
          continue;
        }
        const enc = f.encoding;
        const rebuilt = applyPatch(base.toString(enc), toStructured(f));
        assert.notEqual(rebuilt, false, `hunks of ${JSON.stringify(f.path)} did not apply in commit ${i}`);
        assert.ok(Buffer.from(rebuilt as string, enc).equals(head), `rebuilt ${JSON.stringify(f.path)} differs from head in commit ${i}`);
        const added = f.hunks.reduce((n, h) => n + h.added, 0);
        assert.equal(added, f.additions);
        checkedFiles++;
      }
    }
    assert.ok(checkedFiles >= 300, `only ${checkedFiles} file diffs checked`);
    for (const s of ['added', 'deleted', 'modified', 'renamed']) assert.ok(statuses.has(s), `no ${s} file generated`);
  });
});
