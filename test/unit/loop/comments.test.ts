// Review comments in git, through the CLI and the core: threads on both sides, replies, edits,
// resolve, blocking; lines that move and lines that go; two processes writing at once (nothing lost);
// a writer killed at every step (kill -9) leaves a consistent repository and a retry succeeds.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { git } from '../../../src/core/git/runGit';
import { listThreads, unresolvedBlockingThreads } from '../../../src/core/loop/commentThreads';
import { COMMENT_STEPS, commentsRef, readThreads, reviewKey } from '../../../src/core/loop/commentStore';
import { requestChangesThreadsMarkdown } from '../../../src/core/loop/commentRender';
import { resolveRange } from '../../../src/core/review/resolveRange';
import { cli, cleanupRepos } from '../../helpers/repos';
import { builtCli } from '../../helpers/builtCli';
import { AUTHOR, runBuiltCli } from '../../helpers/signoffRepo';
import { loopRepo, numbered } from '../../helpers/loopRepo';

const range = ['--base', 'main', '--head', 'feature'];

async function json(dir: string): Promise<any[]> {
  const out = await cli(['comments', '--repo', dir, ...range, '--format', 'json']);
  assert.equal(out.code, 0, out.stderr);
  return JSON.parse(out.stdout);
}

async function unreachableCommits(dir: string): Promise<string[]> {
  const out = await git(['fsck', '--unreachable', '--no-reflogs', '--no-progress'], { cwd: dir });
  return out.split('\n').filter((l) => l.startsWith('unreachable commit'));
}

describe('review comments', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  it('opens, replies, edits, resolves and lists threads, unresolved first, in git', async () => {
    const r = await loopRepo();
    const a = await cli(['comment', '--repo', r.dir, ...range, '--file', 'src/big.ts', '--line', '50', '--text', 'Why fifty?']);
    assert.equal(a.code, 0, a.stderr);
    const t1 = /opened thread ([0-9a-f]{10}) on src\/big\.ts:50 \(head\)/.exec(a.stdout)![1];
    const b = await cli(['comment', '--repo', r.dir, ...range, '--file', 'src/big.ts', '--line', '10', '--side', 'base', '--text', 'The old line ten mattered', '--blocking']);
    const t2 = /opened thread ([0-9a-f]{10}) on src\/big\.ts:10 \(base\), blocking/.exec(b.stdout)![1];
    assert.equal((await cli(['comment', '--repo', r.dir, ...range, '--reply-to', t1, '--text', 'Spec says so', '--author', 'Ada Author <ada@example.com>'])).code, 0);
    const list = await json(r.dir);
    const first = list.find((t) => t.id === t1);
    assert.equal(first.anchor.text, 'feature fifty');
    assert.deepEqual(first.comments.map((c: any) => c.body), ['Why fifty?', 'Spec says so']);
    const replyId = first.comments[1].id;
    const notMine = await cli(['comment', '--repo', r.dir, ...range, '--edit', replyId, '--text', 'hijack']);
    assert.equal(notMine.code, 2);
    assert.match(notMine.stderr, /^senior-review comment: comment [0-9a-f]+ is by Ada Author <ada@example\.com>; only its author edits it\n$/);
    assert.equal((await cli(['comment', '--repo', r.dir, ...range, '--edit', first.comments[0].id, '--text', 'Why fifty, exactly?'])).code, 0);
    assert.equal((await cli(['comment', '--repo', r.dir, ...range, '--resolve', t1, '--text', 'OK'])).code, 0);
    const after = await json(r.dir);
    assert.deepEqual(after.map((t) => [t.id, t.resolved, t.line, t.side]), [[t2, false, 10, 'base'], [t1, true, 50, 'head']], 'unresolved first');
    assert.equal(after[1].comments[0].editedAt !== null, true);
    assert.equal(after[1].comments.length, 3);
    const text = (await cli(['comments', '--repo', r.dir, ...range])).stdout;
    assert.match(text, /^\[open, blocking\] src\/big\.ts:10 \(base\)/);
    const rr = await resolveRange({ base: 'main', head: 'feature' }, { cwd: r.dir });
    assert.deepEqual((await unresolvedBlockingThreads(rr, { cwd: r.dir })).map((t) => t.id), [t2]);
    const md = requestChangesThreadsMarkdown(await listThreads(rr, { cwd: r.dir }));
    assert.match(md, /^### Unresolved comments \(1\)\n\n- \*\*src\/big\.ts:10\*\* \(blocking\) — The old line ten mattered — Rita Reviewer \\<rita@example\.com\\>\n$/);
    // Stored as one JSON file per thread at refs/senior-review/comments/feature; the work tree is untouched.
    assert.equal(commentsRef('feature/x'), 'refs/senior-review/comments/feature_2Fx');
    assert.equal(reviewKey('a_b'), 'a_5Fb');
    assert.deepEqual((await r.git('ls-tree', '--name-only', 'refs/senior-review/comments/feature', 'threads/')).split('\n').filter(Boolean).sort(), [`threads/${t1}.json`, `threads/${t2}.json`].sort());
    assert.equal(await r.git('status', '--porcelain'), '');
    assert.equal((await cli(['comment', '--repo', r.dir, ...range, '--resolve', 'nope'])).code, 2);
    const outside = await cli(['comment', '--repo', r.dir, ...range, '--file', 'src/big.ts', '--line', '61', '--text', 'x']);
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /line 61 is outside src\/big\.ts \(60 lines on the head side\)/);
  });

  it('follows a line the author moved, and marks a thread outdated when its line is gone', async () => {
    const r = await loopRepo();
    await cli(['comment', '--repo', r.dir, ...range, '--file', 'src/big.ts', '--line', '50', '--text', 'on fifty']);
    await cli(['comment', '--repo', r.dir, ...range, '--file', 'src/other.ts', '--line', '5', '--text', 'on five']);
    await cli(['comment', '--repo', r.dir, ...range, '--file', 'src/big.ts', '--line', '20', '--text', 'on a plain line']);
    // The author inserts three lines at the top of big.ts and rewrites other.ts line 5.
    await r.commit({ message: 'push', author: AUTHOR, files: { 'src/big.ts': `new 1\nnew 2\nnew 3\n${numbered(60, { 10: 'feature ten', 50: 'feature fifty' })}`, 'src/other.ts': numbered(10, { 5: 'feature five, rewritten' }) } });
    const list = await json(r.dir);
    const by = (body: string) => list.find((t) => t.comments[0].body === body);
    assert.deepEqual([by('on fifty').line, by('on fifty').outdated], [53, false]);
    assert.deepEqual([by('on a plain line').line, by('on a plain line').outdated], [23, false]);
    assert.deepEqual([by('on five').line, by('on five').outdated, by('on five').comments.length], [5, true, 1]);
    const text = (await cli(['comments', '--repo', r.dir, ...range])).stdout;
    assert.match(text, /\[open, outdated\] src\/other\.ts:5 \(head\) [0-9a-f]+\n  was: feature five\n/);
    // A rename moves the thread with its file.
    await r.commit({ message: 'rename', author: AUTHOR, renames: { 'src/big.ts': 'src/large.ts' } });
    const moved = (await json(r.dir)).find((t) => t.comments[0].body === 'on fifty');
    assert.deepEqual([moved.path, moved.line, moved.outdated], ['src/large.ts', 53, false]);
  });

  it('loses nothing when two processes comment at the same time', async () => {
    const r = await loopRepo();
    const env = { ...process.env };
    const writer = async (who: string) => {
      for (let i = 0; i < 6; i++) {
        const out = await builtCli(['comment', ...range, '--file', 'src/big.ts', '--line', String(i + 1), '--text', `${who} ${i}`, '--author', `${who} <${who}@example.com>`], r.dir, env, 60_000);
        assert.equal(out.code, 0, out.stderr);
      }
    };
    await Promise.all([writer('p'), writer('q')]);
    const bodies = (await json(r.dir)).flatMap((t) => t.comments.map((c: any) => c.body)).sort();
    assert.deepEqual(bodies, ['p 0', 'p 1', 'p 2', 'p 3', 'p 4', 'p 5', 'q 0', 'q 1', 'q 2', 'q 3', 'q 4', 'q 5']);
    // Every write is one commit on the comments ref's first-parent chain.
    assert.equal((await r.git('rev-list', '--count', 'refs/senior-review/comments/feature')).trim(), '12');
  });

  for (const step of [...COMMENT_STEPS, 'after-last' as const]) {
    it(`a comment writer killed before "${step}" leaves a consistent repository and a retry succeeds`, async () => {
      const r = await loopRepo();
      assert.equal((await cli(['comment', '--repo', r.dir, ...range, '--file', 'src/big.ts', '--line', '1', '--text', 'first'])).code, 0);
      const ref = 'refs/senior-review/comments/feature';
      const before = (await r.git('rev-parse', ref)).trim();
      const args = ['comment', ...range, '--file', 'src/big.ts', '--line', '2', '--text', 'second'];
      const killed = runBuiltCli(args, r.dir, step === 'after-last' ? {} : { SENIOR_REVIEW_CRASH_AT: step });
      if (step !== 'after-last') assert.equal(killed.signal, 'SIGKILL', killed.stderr);
      execFileSync('git', ['fsck', '--no-progress', '--strict'], { cwd: r.dir });
      assert.deepEqual(await unreachableCommits(r.dir), []);
      const tip = (await r.git('rev-parse', ref)).trim();
      const published = step === 'drop-pending-ref' || step === 'after-last';
      assert.equal(tip === before, !published, 'the ref moved only by the compare-and-swap');
      const { threads } = await readThreads(ref, { cwd: r.dir });
      assert.deepEqual(threads.map((t) => t.comments[0].body).sort(), published ? ['first', 'second'] : ['first']);
      const retry = runBuiltCli(args, r.dir);
      assert.equal(retry.code, 0, retry.stderr);
      const again = (await readThreads(ref, { cwd: r.dir })).threads.map((t) => t.comments[0].body).sort();
      assert.deepEqual(again, published ? ['first', 'second', 'second'] : ['first', 'second']);
      assert.deepEqual(await unreachableCommits(r.dir), []);
      assert.equal((await r.git('for-each-ref', 'refs/senior-review/comment-pending/')).trim(), '', 'no pending ref stays behind');
    });
  }
});
