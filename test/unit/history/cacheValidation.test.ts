// Every cache under .git/senior-review is checked before use: a file of the wrong shape, or a
// folder in its place, is rebuilt with one warning and the analysis is the same as from a clean
// cache; a damaged review session is set aside, never overwritten. `--no-cache` writes nothing.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { RepoBuilder } from '../../../src/demo/repoBuilder';
import { cli, cleanupRepos, tempRepo } from '../../helpers/repos';
import { ALL_CHECKS, featureRepo } from '../../helpers/signoffRepo';

/**
 * A repository checked out clean at the head, so impact analyses the checkout itself (no private
 * worktree); its change includes code (a constant: no server to start), as documentation and text
 * get no callers and so would write no impact cache.
 */
async function reviewRepo(): Promise<RepoBuilder> {
  const r = await tempRepo();
  await r.commit({ message: 'base', files: { 'tsconfig.json': '{}\n', 'docs/a.md': 'alpha\nbeta\n', 'notes.txt': 'one\n', 'src/app.ts': 'export const a = 1;\n' } });
  await r.commit({ message: 'fix: typo', files: { 'docs/a.md': 'alpha\nbeta gamma\n' } });
  await r.branch('feature');
  await r.checkout('feature');
  // A source change: its line authorship is cached too (line-authors-v1.json).
  await r.commit({ message: 'feature', files: { 'docs/a.md': 'alpha\nbeta delta\n', 'notes.txt': 'one\ntwo\n', 'src/app.ts': 'export const a = 2;\n' } });
  return r;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/** The binary history index's JSON header (indexFormat.ts: 8 bytes of magic, its length, 4 bytes, the header) and where its numbers start. */
function indexHeader(bytes: Buffer): { header: Record<string, unknown>; bodyStart: number } {
  const length = bytes.readUInt32LE(8);
  return { header: JSON.parse(bytes.toString('utf8', 16, 16 + length)) as Record<string, unknown>, bodyStart: 16 + length };
}

/** The index with another header text in the same place (padded to the same length when shorter). */
function withHeaderText(bytes: Buffer, text: string): Buffer {
  const length = bytes.readUInt32LE(8);
  const header = Buffer.alloc(Math.max(length, Math.ceil(Buffer.byteLength(text) / 8) * 8), 0x20);
  header.write(text);
  const prefix = Buffer.from(bytes.subarray(0, 16));
  prefix.writeUInt32LE(header.length, 8);
  return Buffer.concat([prefix, header, bytes.subarray(16 + length)]);
}

function withHeader(bytes: Buffer, header: Record<string, unknown>): Buffer {
  return withHeaderText(bytes, JSON.stringify(header));
}

/** The analysis without the fields that describe the run rather than the change (timings, cache outcome). */
function comparable(stdout: string): unknown {
  return JSON.parse(stdout, (k, v) => (k === 'ms' || k === 'cache' || k === 'walked' || k === 'timings' ? undefined : v));
}

describe('cache validation', () => {
  after(cleanupRepos);

  it('rebuilds every cache of the wrong shape or replaced by a folder, with one warning', async function () {
    this.timeout(300_000);
    const r = await reviewRepo();
    const args = ['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature'];
    const clean = await cli(args);
    assert.equal(clean.code, 0, clean.stderr);
    const expected = comparable(clean.stdout);
    const hunkId = (JSON.parse(clean.stdout) as { files: Array<{ hunks: Array<{ id: string }> }> }).files[0].hunks[0].id;
    const root = join(r.dir, '.git', 'senior-review');
    // The private analysis tree (trees/) is not a cache of numbers: its completeness is checked and
    // rebuilt by the analysis-tree tests.
    // The attributes file that spares git diffing excluded files is not JSON: whatever is in its place
    // is replaced on the next run (checked below), so it is left out of the JSON variants.
    const attributes = filesUnder(root).filter((c) => c.endsWith('.gitattributes'));
    const caches = filesUnder(root).filter((c) => !c.startsWith('trees/') && !c.endsWith('.gitattributes'));
    const kind = (c: string) => (c.startsWith('impact-cache/') ? 'impact-cache' : c.startsWith('analysis/') ? 'analysis' : c.split('/').pop()!);
    assert.deepEqual(
      caches.map(kind).sort(),
      ['analysis', 'complexity-v1.json', 'history-index-v3.bin', 'impact-cache', 'levels-v1.json', 'line-authors-v1.json', 'window-facts-v1.json'].sort(),
    );
    assert.equal(attributes.length, 1);
    const attributesFile = join(root, attributes[0]);
    const attributesText = readFileSync(attributesFile, 'utf8');
    for (const content of ['garbage [\n', 'folder']) {
      const file = attributesFile;
      rmSync(file, { recursive: true, force: true });
      if (content === 'folder') mkdirSync(join(file, 'inside'), { recursive: true });
      else writeFileSync(file, content);
      // The whole analysis is cached too: the history pass runs (and rewrites the file) only without it.
      rmSync(join(root, 'analysis'), { recursive: true, force: true });
      const run = await cli(args);
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual(comparable(run.stdout), expected, `attributes file: ${content}`);
      assert.equal(readFileSync(file, 'utf8'), attributesText, `attributes file: ${content}: rewritten`);
    }
    rmSync(attributesFile, { recursive: true, force: true });

    let warned = 0;
    for (const rel of caches) {
      const file = join(root, rel);
      const binary = rel.endsWith('.bin');
      const original = (binary ? indexHeader(readFileSync(file)).header : JSON.parse(readFileSync(file, 'utf8'))) as Record<string, unknown>;
      const variants: Array<[string, string | Buffer | 'folder']> = [
        ['folder', 'folder'], ['array', '[]'], ['string', '"x"'], ['null', 'null'], ['number', '42'], ['empty object', '{}'], ['not JSON', '{"truncated": '],
      ];
      const withField = (k: string, v: unknown) => (binary ? withHeader(readFileSync(file), { ...original, [k]: v }) : JSON.stringify({ ...original, [k]: v }));
      for (const k of Object.keys(original).slice(0, 12)) variants.push([`${k} of the wrong type`, withField(k, 'corrupt')]);
      if (rel.startsWith('impact-cache')) variants.push(['a hunk entry of the wrong type', JSON.stringify({ ...original, hunks: { [hunkId]: 'corrupt' } })]);
      if (binary) {
        const bytes = readFileSync(file);
        const { bodyStart } = indexHeader(bytes);
        const commits = original.commits as number;
        const paths = (original.paths as string[]).length;
        // The first record's commit index sits after the commits (3 Float64 each) and the per-path counts.
        const pastCommits = Buffer.from(bytes);
        pastCommits.writeInt32LE(99, bodyStart + commits * 24 + paths * 4);
        const unknownAuthor = Buffer.from(bytes);
        unknownAuthor.writeDoubleLE(99, bodyStart + 8);
        variants.push(
          ['a record past the commits', pastCommits], ['a commit of an unknown author', unknownAuthor],
          ['truncated', bytes.subarray(0, bytes.length - 1)], ['one byte too many', Buffer.concat([bytes, Buffer.from([0])])],
          ['another format', Buffer.concat([Buffer.from('SRHIDX9'), bytes.subarray(7)])], ['a header that is not JSON', withHeaderText(bytes, '{"truncated": ')],
          ['more records than the file holds', withField('records', (original.records as number) + 3)],
        );
      }
      for (const [what, content] of variants) {
        rmSync(file, { recursive: true, force: true });
        // The window's commit facts are read only when the levels are computed, not when they are cached.
        if (rel.includes('window-facts')) rmSync(join(root, 'history', 'levels-v1.json'), { force: true });
        // The whole analysis is cached too: the passes read their own caches only without it.
        if (!rel.startsWith('analysis/')) rmSync(join(root, 'analysis'), { recursive: true, force: true });
        if (content === 'folder') {
          mkdirSync(join(file, 'inside'), { recursive: true });
        } else writeFileSync(file, content);
        const run = await cli(args);
        const label = `${rel}: ${what}`;
        assert.equal(run.code, 0, `${label}: ${run.stderr}`);
        assert.deepEqual(comparable(run.stdout), expected, label);
        const lines = run.stderr.split('\n').filter(Boolean);
        // Valid, if useless, caches are rebuilt silently: a string key replaced by another string (an index
        // for other settings, levels of another base), an empty complexity map.
        const stringKey = Object.keys(original).some((k) => typeof original[k] === 'string' && what === `${k} of the wrong type`);
        const valid = stringKey || (rel.includes('complexity') && what === 'empty object');
        if (!valid) {
          assert.equal(lines.length, 1, `${label}: ${run.stderr}`);
          assert.match(lines[0], new RegExp(`^\\[warn\\] .*${rel.split('/').pop()!.replace(/[.]/g, '\\.')}.*: rebuilt`), label);
          warned++;
        }
        assert.ok(statSync(file).isFile(), `${label}: the cache is a file again`);
      }
      // What was rebuilt is valid (every variant rebuilds the same way): the next run is clean.
      const next = await cli(args);
      assert.equal(next.stderr, '', `${rel}: ${next.stderr}`);
    }
    assert.ok(warned >= 30, `${warned} damaged caches reported`);
  });

  it('sets a damaged review session aside and starts a new one', async () => {
    const r = await featureRepo();
    const first = await cli(['approve', '--repo', r.dir, ...ALL_CHECKS]);
    assert.equal(first.code, 0, first.stderr);
    const dir = join(r.dir, '.git', 'senior-review', 'sessions');
    const [name] = readdirSync(dir);
    const original = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
    const variants: Array<[string, unknown]> = [
      ['array', []], ['checked', { ...original, checked: 'corrupt' }], ['notes', { ...original, notes: { security: 5 } }],
      ['visited', { ...original, visited: 'corrupt' }], ['viewedFiles', { ...original, viewedFiles: [1] }], ['headCommit', { ...original, headCommit: 7 }],
    ];
    for (const [what, value] of variants) {
      for (const n of readdirSync(dir)) rmSync(join(dir, n));
      writeFileSync(join(dir, name), JSON.stringify(value));
      const c = await cli(['checklist', '--repo', r.dir, '--format', 'json']);
      assert.equal(c.code, 0, `${what}: ${c.stderr}`);
      assert.match(c.stderr, /^\[warn\] review session .* is damaged \([^)]*\): started a new one \(the damaged file is kept as .*\.damaged-\d+\.json\)\n$/, what);
      const items = (JSON.parse(c.stdout) as { items: Array<{ checked: boolean }> }).items;
      assert.ok(items.every((i) => !i.checked), `${what}: a new session`);
      const kept = readdirSync(dir).filter((n) => n.includes('.damaged-'));
      assert.equal(kept.length, 1, what);
      assert.deepEqual(JSON.parse(readFileSync(join(dir, kept[0]), 'utf8')), value, `${what}: the damaged file is kept as it was`);
    }
  });

  it('analyses without a cache when none can be written', async () => {
    const r = await reviewRepo();
    const args = ['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature'];
    const expected = comparable((await cli([...args, '--no-cache'])).stdout);
    // Something that is not ours where our folder would be (tests run as root: permissions cannot stop a write).
    writeFileSync(join(r.dir, '.git', 'senior-review'), 'not a folder\n');
    const run = await cli(args);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(comparable(run.stdout), expected);
    const lines = run.stderr.split('\n').filter(Boolean);
    assert.deepEqual(lines.map((l) => /^\[warn\] cache .*(history-index-v3\.bin|(complexity-v1|window-facts-v1|levels-v1|line-authors-v1|impact-cache\/[0-9a-f-]+|analysis\/[0-9a-f]{12}-[0-9a-f]{24})\.json) not written \(ENOTDIR\): the next run rebuilds it$/.test(l)), [true, true, true, true, true, true, true], run.stderr);
    assert.equal(readFileSync(join(r.dir, '.git', 'senior-review'), 'utf8'), 'not a folder\n');
  });

  it('writes no cache with --no-cache', async () => {
    const r = await reviewRepo();
    const gitDir = join(r.dir, '.git');
    const before = filesUnder(gitDir);
    const a = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--no-cache']);
    assert.equal(a.code, 0, a.stderr);
    const h = await cli(['hotspots', '--repo', r.dir, '--no-cache']);
    assert.equal(h.code, 0, h.stderr);
    assert.deepEqual(filesUnder(gitDir), before);
    assert.equal(existsSync(join(gitDir, 'senior-review')), false);
  });
});
