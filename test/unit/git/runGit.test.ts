// The git runner: typed errors from stderr, cancellation and timeouts that kill the child, and
// validation that keeps user-supplied refs from ever becoming options.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { git, runGit } from '../../../src/core/git/runGit';
import { GitError } from '../../../src/core/git/gitError';
import { validateRevision } from '../../../src/core/git/refs';
import { resolveCommit } from '../../../src/core/git/repository';
import { Logger } from '../../../src/core/logger';
import { tempRepo, cleanupRepos } from '../../helpers/repos';

describe('git runner', () => {
  after(cleanupRepos);

  it('classifies failures and logs every call with its duration', async () => {
    const r = await tempRepo();
    await r.commit({ message: 'one', files: { 'a.txt': 'a\n' } });
    const lines: string[] = [];
    const logger: Logger = { trace: (m) => lines.push(m), info: () => {}, warn: () => {}, error: () => {} };
    await git(['rev-parse', 'HEAD'], { cwd: r.dir, logger });
    assert.match(lines[0], /^git rev-parse HEAD \(\d+\.\d ms, exit 0\)$/);
    await assert.rejects(git(['rev-parse', '--verify', 'nope^{commit}'], { cwd: r.dir }), (e: GitError) => e instanceof GitError && e.code !== 'Unknown' && e.exitCode === 128);
    await assert.rejects(git(['status'], { cwd: '/' }), (e: GitError) => e.code === 'NotARepository');
  });

  it('kills the child on abort and on timeout', async () => {
    const r = await tempRepo();
    const ac = new AbortController();
    const t0 = Date.now();
    const p = runGit(['-c', 'alias.slow=!sleep 5', 'slow'], { cwd: r.dir, signal: ac.signal, timeoutMs: 0 });
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(p, (e: GitError) => e.code === 'Cancelled');
    assert.ok(Date.now() - t0 < 3000, 'abort killed the child promptly');
    const started = Date.now();
    await assert.rejects(
      runGit(['-c', 'alias.slow=!sleep 5', 'slow'], { cwd: r.dir, timeoutMs: 200 }),
      (e: GitError) => e.code === 'Timeout',
    );
    assert.ok(Date.now() - started < 3000, 'timeout killed the child promptly');
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(git(['status'], { cwd: r.dir, signal: aborted.signal }), (e: GitError) => e.code === 'Cancelled');
  });

  it('rejects refs that could become options or use exotic syntax', async () => {
    for (const bad of ['--output=/tmp/x', '-x', 'a..b', 'HEAD@{1}', ':/fix', 'a b', 'x\ny', '', 'ref.lock', 'a//b']) {
      assert.throws(() => validateRevision(bad), (e: GitError) => e.code === 'InvalidRef', bad);
    }
    for (const good of ['main', 'origin/main', 'HEAD~2', 'HEAD^', 'v1.2.3', 'feature/x-y_z', 'a'.repeat(40)]) {
      assert.equal(validateRevision(good), good);
    }
    const r = await tempRepo();
    await r.commit({ message: 'one', files: { 'a.txt': 'a\n' } });
    const out = join(r.dir, 'x');
    await assert.rejects(resolveCommit(`--output=${out}`, { cwd: r.dir }));
    assert.equal(existsSync(out), false);
  });
});
