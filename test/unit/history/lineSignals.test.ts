// Line-level history (knowledge loss, AI-assisted lines) is computed only for program source, only
// over the changed lines, and cached per (merge base, path, blob): asserted on the git calls the
// analysis makes (the logger's trace lines) and on the figures against an uncached run.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeChangeSet } from '../../../src/core/analysis/analyze';
import { ChangeSet } from '../../../src/core/review/changeSetTypes';
import { ChangeSetHistory, HunkHistory } from '../../../src/core/history/historyTypes';
import { LINE_CACHE_FILE } from '../../../src/core/history/lineCache';
import { Logger } from '../../../src/core/logger';
import { Person } from '../../../src/demo/repoBuilder';
import { cleanupRepos, tempRepo } from '../../helpers/repos';

const OLD: Person = { name: 'Olga Old', email: 'olga@example.com' };
const NEW: Person = { name: 'Nina New', email: 'nina@example.com' };

const lines = (tag: string, n = 30) => Array.from({ length: n }, (_, i) => `export const v${i} = '${tag}${i}';`).join('\n') + '\n';
const edit = (text: string, at: number, what: string) => text.split('\n').map((l, i) => (i === at ? what : l)).join('\n');

/** Records every message; `gitCalls` are the git commands run (runGit traces each one). */
function recorder(): Logger & { traces: string[]; warnings: string[] } {
  const traces: string[] = [];
  const warnings: string[] = [];
  return { traces, warnings, trace: (m) => traces.push(m), info: () => undefined, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };
}
const blames = (log: { traces: string[] }) => log.traces.filter((t) => /^git (-c \S+ )*blame /.test(t));

/** The history figures of a change set, without what describes the run (timings, cache outcome). */
function historyOf(cs: ChangeSet): unknown {
  const all = { h: cs.history, files: cs.files.map((f) => ({ path: f.path, history: f.history, hunks: f.hunks.map((k) => k.history) })) };
  return JSON.parse(JSON.stringify(all), (k, v) => (k === 'ms' || k === 'cache' || k === 'walked' ? undefined : v));
}

async function analyse(dir: string, base: string, head: string, cache = true) {
  const logger = recorder();
  // The whole-analysis cache would answer a repeated run before history is read: these tests are
  // about the history pass's own caches, so each run starts without it.
  rmSync(join(dir, '.git', 'senior-review', 'analysis'), { recursive: true, force: true });
  const cs = await analyzeChangeSet({ repo: dir, base, head, cache, logger, gating: false });
  return { cs, logger };
}

describe('line-level history signals', () => {
  after(cleanupRepos);

  it('blames nothing for a lockfile and documentation change, and only the changed lines of source', async () => {
    const r = await tempRepo('2024-01-01T00:00:00Z');
    await r.commit({ message: 'start', author: OLD, files: { 'src/a.ts': lines('a'), 'pnpm-lock.yaml': lines('lock'), 'README.md': lines('doc'), 'test/a.test.ts': lines('t') } });
    await r.branch('docs');
    await r.branch('code');
    await r.checkout('docs');
    await r.commit({ message: 'bump', author: NEW, files: { 'pnpm-lock.yaml': edit(lines('lock'), 3, 'x'), 'README.md': edit(lines('doc'), 5, 'y'), 'test/a.test.ts': edit(lines('t'), 1, 'z') } });
    const docs = await analyse(r.dir, 'main', 'docs');
    assert.deepEqual(blames(docs.logger), []);
    assert.deepEqual((docs.cs.history as ChangeSetHistory).notes, [
      'line signals: knowledge loss (git blame at the merge base) computed for 0 files, not for 3: 3 not program source (tests, documentation, configuration: it counts only for source)',
    ]);
    assert.ok(docs.cs.files.every((f) => f.hunks.every((h) => (h.history as HunkHistory).knowledgeLoss === null)));

    await r.checkout('code');
    await r.commit({ message: 'change', author: NEW, files: { 'src/a.ts': edit(edit(lines('a'), 2, 'p'), 20, 'q'), 'README.md': edit(lines('doc'), 5, 'y') } });
    const code = await analyse(r.dir, 'main', 'code');
    // One blame, of the source file at the merge base, over exactly its two changed lines.
    assert.equal(blames(code.logger).length, 1);
    assert.match(blames(code.logger)[0], /^git -c mailmap\.file= -c mailmap\.blob= blame --porcelain …/);
    const src = code.cs.files.find((f) => f.path === 'src/a.ts')!;
    assert.equal(src.hunks.length, 2);
    assert.ok(src.hunks.every((h) => ((h.history as HunkHistory).knowledgeLoss?.touchedLines ?? 0) > 0));
    assert.equal((code.cs.files.find((f) => f.path === 'README.md')!.hunks[0].history as HunkHistory).knowledgeLoss, null);
  });

  it('gives identical signals cold, warm and uncached; warm blames nothing; a moved base re-blames only files changed since', async () => {
    const r = await tempRepo('2024-01-01T00:00:00Z');
    await r.commit({ message: 'start', author: OLD, files: { 'src/a.ts': lines('a'), 'src/b.ts': lines('b') } });
    await r.branch('feature');
    await r.commit({ message: 'b on main', author: NEW, files: { 'src/b.ts': edit(lines('b'), 20, 'main') } });
    await r.branch('feature2');
    await r.checkout('feature');
    const ai = 'AI change\n\nCo-authored-by: GitHub Copilot <copilot@github.com>';
    await r.commit({ message: ai, author: NEW, files: { 'src/a.ts': edit(lines('a'), 4, 'ai'), 'src/b.ts': edit(lines('b'), 2, 'ai') } });
    await r.checkout('feature2');
    await r.commit({ message: ai, author: NEW, files: { 'src/a.ts': edit(lines('a'), 4, 'ai'), 'src/b.ts': edit(edit(lines('b'), 20, 'main'), 2, 'ai') } });

    const uncached = await analyse(r.dir, 'main~1', 'feature', false);
    const cold = await analyse(r.dir, 'main~1', 'feature');
    const warm = await analyse(r.dir, 'main~1', 'feature');
    // Two files at the base, two at head (the range has an AI-assisted commit).
    assert.equal(blames(uncached.logger).length, 4);
    assert.equal(blames(cold.logger).length, 4);
    assert.deepEqual(blames(warm.logger), []);
    assert.deepEqual(historyOf(cold.cs), historyOf(uncached.cs));
    assert.deepEqual(historyOf(warm.cs), historyOf(uncached.cs));
    const aiLines = (cs: ChangeSet) => cs.files.map((f) => f.hunks.map((h) => (h.history as HunkHistory).aiAssisted.lines));
    assert.deepEqual(aiLines(warm.cs), [[1], [1]]);

    // The merge base moves to main: src/a.ts is untouched in between, so its base lines carry over;
    // src/b.ts changed and is blamed again; the new range's head lines are blamed (another range).
    const moved = await analyse(r.dir, 'main', 'feature2');
    const movedUncached = await analyse(r.dir, 'main', 'feature2', false);
    assert.equal(blames(movedUncached.logger).length, 4);
    assert.equal(blames(moved.logger).length, 3);
    // Person numbers are the index's own (an extended index numbers people in another order than a cold one).
    const figures = (cs: ChangeSet) => JSON.parse(JSON.stringify(historyOf(cs)), (k, v) => (k === 'person' ? undefined : v));
    assert.deepEqual(figures(moved.cs), figures(movedUncached.cs));
  });

  it('carries base lines over only along first parents: not from a base merged in from the side', async () => {
    const r = await tempRepo('2024-01-01T00:00:00Z');
    await r.commit({ message: 'start', author: OLD, files: { 'src/a.ts': lines('a') } });
    await r.branch('side');
    await r.commit({ message: 'main work', author: NEW, files: { 'src/other.ts': lines('o') } });
    await r.checkout('side');
    await r.commit({ message: 'side work', author: NEW, files: { 'src/side.ts': lines('s') } });
    await r.branch('fromSide');
    await r.checkout('main');
    await r.git('-c', 'user.name=Nina New', '-c', 'user.email=nina@example.com', 'merge', '-q', '--no-ff', '-m', 'merge side', 'side');
    await r.branch('fromMain');
    for (const b of ['fromSide', 'fromMain']) {
      await r.checkout(b);
      await r.commit({ message: 'change', author: NEW, files: { 'src/a.ts': edit(lines('a'), 4, 'x') } });
    }
    // src/a.ts is the same blob at both bases and no commit between them touched it, yet the side
    // base is reached from the merge only through its second parent: blamed again, not copied.
    const side = await analyse(r.dir, 'side', 'fromSide');
    assert.equal(blames(side.logger).length, 1);
    const merged = await analyse(r.dir, 'main', 'fromMain');
    assert.equal(blames(merged.logger).length, 1);
    const again = await analyse(r.dir, 'main', 'fromMain');
    assert.deepEqual(blames(again.logger), []);
  });

  it('rebuilds a damaged line cache with one warning and the same figures', async function () {
    this.timeout(120_000);
    const r = await tempRepo('2024-01-01T00:00:00Z');
    await r.commit({ message: 'start', author: OLD, files: { 'src/a.ts': lines('a') } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'change', author: NEW, files: { 'src/a.ts': edit(lines('a'), 4, 'x') } });
    const clean = await analyse(r.dir, 'main', 'feature');
    const file = join(r.dir, '.git', 'senior-review', 'history', LINE_CACHE_FILE);
    const original = JSON.parse(readFileSync(file, 'utf8')) as { version: number; entries: Array<{ key: string; files: Record<string, unknown> }> };
    const entry = original.entries[0];
    const withFile = (f: unknown) => JSON.stringify({ ...original, entries: [{ ...entry, files: { 'src/a.ts': f } }] });
    const variants: Array<[string, string]> = [
      ['array', '[]'], ['not JSON', '{"entries": '], ['other version', JSON.stringify({ ...original, version: 2 })],
      ['entries not a list', JSON.stringify({ ...original, entries: {} })],
      ['a file of the wrong type', withFile('corrupt')],
      ['a blob that is no id', withFile({ blob: 'x', values: [], lines: [] })],
      ['a line pointing past its values', withFile({ blob: '0'.repeat(40), values: ['a\nb'], lines: [5, 3] })],
      ['an odd line list', withFile({ blob: '0'.repeat(40), values: ['a\nb'], lines: [5] })],
    ];
    for (const [what, content] of variants) {
      writeFileSync(file, content);
      const run = await analyse(r.dir, 'main', 'feature');
      assert.deepEqual(historyOf(run.cs), historyOf(clean.cs), what);
      assert.equal(run.logger.warnings.length, 1, `${what}: ${run.logger.warnings.join('\n')}`);
      assert.match(run.logger.warnings[0], /line-authors-v1\.json is damaged .*: rebuilt$/, what);
      assert.equal(blames(run.logger).length, 1, `${what}: blamed again`);
    }
    // What was rebuilt is valid: the next run is clean and blames nothing.
    const next = await analyse(r.dir, 'main', 'feature');
    assert.deepEqual(next.logger.warnings, []);
    assert.deepEqual(blames(next.logger), []);
  });
});
