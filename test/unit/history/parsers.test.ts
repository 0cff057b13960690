// Pure pieces of the history index: the log stream parser across chunk boundaries, complexity,
// enclosing blocks, AI-assistance and fix detection.
import assert from 'node:assert/strict';
import { LogCommit, LogStreamParser, LOG_FORMAT } from '../../../src/core/history/logStreamParser';
import { complexityOf, enclosingBlock } from '../../../src/core/history/complexity';
import { detectAiAssistance } from '../../../src/core/history/aiAssistance';
import { fixMatcher } from '../../../src/core/history/fixCommits';
import { DEFAULT_FIX_PATTERNS, pathMatcher } from '../../../src/core/history/historyOptions';
import { runGit } from '../../../src/core/git/runGit';
import { walkLog } from '../../../src/core/history/historyIndex';
import { tempRepo, cleanupRepos } from '../../helpers/repos';

describe('history parsers', () => {
  after(cleanupRepos);

  it('parses git log -z --numstat and --raw the same whatever the chunking', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'one\n\nbody\x1f with separators', files: { 'a b.txt': 'a\n', 'c.bin': Buffer.from([0, 1]) } });
    await r.commit({ message: 'two', renames: { 'a b.txt': 'dir/ä\tb.txt' }, files: { 'c.bin': Buffer.from([0, 2]) } });
    await r.git('checkout', '-q', '-b', 'side', 'HEAD~1');
    await r.commit({ message: 'side', files: { 'side.txt': 's\n' } });
    await r.git('checkout', '-q', 'main');
    await r.git('merge', '-q', '--no-ff', '-m', 'merge side', 'side');
    const out = (await runGit(['log', '-z', '--numstat', '-M', `--format=${LOG_FORMAT}`], { cwd: r.dir })).stdout;
    const parse = (size: number, out: Buffer) => {
      const got: LogCommit[] = [];
      const p = new LogStreamParser((c) => got.push(c));
      for (let i = 0; i < out.length; i += size) p.push(out.subarray(i, i + size));
      p.end();
      return got;
    };
    const whole = parse(out.length, out);
    assert.equal(whole.length, 4);
    assert.equal(whole[0].parents.length, 2);
    assert.deepEqual(whole[0].files, []);
    const two = whole.find((c) => c.message.startsWith('two'))!;
    assert.deepEqual(two.files.find((f) => f.oldPath)!, { path: 'dir/ä\tb.txt', oldPath: 'a b.txt', added: 0, deleted: 0, counted: true });
    assert.deepEqual(two.files.find((f) => f.path === 'c.bin'), { path: 'c.bin', oldPath: null, added: null, deleted: null, counted: true });
    assert.match(whole[3].message, /body\x1f with separators/);
    for (const size of [1, 3, 17, 64]) assert.deepEqual(parse(size, out), whole, `chunk ${size}`);
    // The raw walk gives the same commits and paths, renames included, without line counts.
    const raw = (await runGit(['log', '-z', '--raw', '-M', `--format=${LOG_FORMAT}`], { cwd: r.dir })).stdout;
    const rawWhole = parse(raw.length, raw);
    assert.deepEqual(rawWhole.map((c) => [c.sha, c.files.map((f) => [f.path, f.oldPath])]), whole.map((c) => [c.sha, c.files.map((f) => [f.path, f.oldPath])]));
    assert.deepEqual(rawWhole.find((c) => c.message.startsWith('two'))!.files.find((f) => f.oldPath), { path: 'dir/ä\tb.txt', oldPath: 'a b.txt', added: null, deleted: null, counted: false });
    for (const size of [1, 5, 29]) assert.deepEqual(parse(size, raw), rawWhole, `raw chunk ${size}`);
  });

  it('measures indentation complexity and finds the enclosing block', () => {
    const text = ['function a() {', '  if (x) {', '    y();', '  }', '}', '', 'function b() {', '  return 1;', '}'].join('\n');
    assert.deepEqual(complexityOf(text), { total: 5, max: 2, lines: 8 });
    const block = enclosingBlock(text, 3, 3)!;
    assert.equal(block.name, 'function a() {');
    assert.deepEqual([block.startLine, block.endLine, block.total, block.max], [1, 5, 4, 2]);
    assert.equal(enclosingBlock(text, 8, 8)!.name, 'function b() {');
    assert.deepEqual(complexityOf('\tif (a)\n\t\tb\n'), { total: 3, max: 2, lines: 2 });
  });

  it('recognises AI-assisted commits and fixes', () => {
    assert.deepEqual(detectAiAssistance('Add x\n\nAssisted-by: Claude <noreply@anthropic.com>\n').markers, ['Assisted-by: Claude <noreply@anthropic.com>']);
    assert.equal(detectAiAssistance('Add x\n\nCo-authored-by: Cursor Agent <cursoragent@cursor.com>').assisted, true);
    assert.equal(detectAiAssistance('Add x\n\nCo-authored-by: Jane Doe <jane@example.com>').assisted, false);
    // Keys in any case, with space before the colon, are trailers too; a bot author needs no trailer.
    assert.deepEqual(detectAiAssistance('Add x\n\nASSISTED-BY : Copilot').markers, ['ASSISTED-BY: Copilot']);
    assert.deepEqual(detectAiAssistance('Bump y', 'renovate[bot]', 'bot@renovateapp.com').markers, ['bot author renovate[bot]']);
    assert.deepEqual(detectAiAssistance('Add x\n\nReviewed-by: Ann <a@example.com>\nMade-with: Cursor', '', '', ['made-with: cursor']).markers, ['Made-with: Cursor']);
    assert.equal(detectAiAssistance('Mention Assisted-by: Claude in the body\n\nmore text').assisted, false, 'only the trailer block counts');
    assert.equal(detectAiAssistance('Bump x', 'dependabot[bot]', '49699333+dependabot[bot]@users.noreply.github.com').assisted, true);
    assert.equal(detectAiAssistance('Add x\n\nReviewed-by: A <a@x>', 'Ann', 'ann@x', ['^Reviewed-by: A ']).assisted, true);
    const isFix = fixMatcher(DEFAULT_FIX_PATTERNS);
    for (const m of ['fix: crash', 'fix(api)!: crash', 'Fixes #12', 'Hotfix for prod', 'Revert "x"', 'regression in y']) assert.ok(isFix(m), m);
    for (const m of ['Add prefix option', 'Refactor suffixes', 'debugger support']) assert.ok(!isFix(m), m);
    assert.ok(pathMatcher(['**/package-lock.json'])('package-lock.json'));
    assert.ok(pathMatcher(['**/dist/**'])('a/dist/x/y.js'));
    assert.ok(!pathMatcher(['*.js'])('a/b.js'));
  });
});

describe('segmented log walk', () => {
  after(cleanupRepos);

  it('hands over exactly the commits of a single walk, in the same order', async () => {
    const r = await tempRepo();
    for (let i = 0; i < 40; i++) {
      if (i === 20) {
        await r.git('checkout', '-q', '-b', 'side', 'HEAD~3');
        await r.commit({ message: 'side work', files: { 'side.txt': `${i}\n` } });
        await r.git('checkout', '-q', 'main');
        await r.git('merge', '-q', '--no-ff', '-m', 'merge', 'side');
      }
      await r.commit({ message: `c${i}`, files: { [`f${i % 4}.txt`]: `${i}\n` } });
    }
    const single: string[] = [];
    const segmented: string[] = [];
    await walkLog(['HEAD'], [], { cwd: r.dir }, (c) => single.push(`${c.sha} ${c.files.map((f) => f.path).join(',')}`), '--raw', 1_000_000);
    await walkLog(['HEAD'], [], { cwd: r.dir }, (c) => segmented.push(`${c.sha} ${c.files.map((f) => f.path).join(',')}`), '--raw', 3);
    assert.equal(single.length, 42);
    assert.deepEqual(segmented, single);
    // An update expecting few commits lists the range only when the first segment is full: the same walk either way.
    for (const segmentMin of [3, 42, 100]) {
      const few: string[] = [];
      await walkLog(['HEAD'], [], { cwd: r.dir }, (c) => few.push(`${c.sha} ${c.files.map((f) => f.path).join(',')}`), '--raw', segmentMin, true);
      assert.deepEqual(few, single, `segments of ${segmentMin}`);
    }
  });
});
