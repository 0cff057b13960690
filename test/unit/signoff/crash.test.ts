// Crash safety of approve, unsigned and signed: the CLI process is killed before each step (before
// and after every git call that writes); afterwards git fsck is clean, no commit is left without a
// ref, the old head is kept, the branch points at the old head or the finished sign-off, and a retry
// succeeds (and verifies, with --require-signature when signed). A branch moved by someone else
// during approve is detected and nothing is lost.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { git } from '../../../src/core/git/runGit';
import { SIGNOFF_STEPS, writeSignoff } from '../../../src/core/signoff/writeSignoff';
import { openReview } from '../../../src/core/signoff/reviewContext';
import { planSignoff } from '../../../src/core/signoff/signoffPlan';
import { GitError } from '../../../src/core/git/gitError';
import { cleanupRepos } from '../../helpers/repos';
import { featureRepo, ALL_CHECKS, REVIEWER, runBuiltCli } from '../../helpers/signoffRepo';
import { SshKey, cleanupKeys, signWith, signerLine, sshKey } from '../../helpers/sshKeys';

async function unreachableCommits(dir: string): Promise<string[]> {
  const out = await git(['fsck', '--unreachable', '--no-reflogs', '--no-progress'], { cwd: dir });
  return out.split('\n').filter((l) => l.startsWith('unreachable commit'));
}

describe('approve crash safety', function () {
  this.timeout(120_000);
  let key: SshKey;
  before(() => {
    key = sshKey('reviewer');
  });
  after(() => {
    cleanupRepos();
    cleanupKeys();
  });

  for (const signed of [false, true]) {
    for (const mode of ['amend', 'commit'] as const) {
      for (const step of [...SIGNOFF_STEPS, 'after-last' as const]) {
        it(`${mode}${signed ? ', signed' : ''}: killed before "${step}" leaves a consistent repository and a retry succeeds`, async () => {
          const r = await featureRepo();
          if (signed) {
            await r.checkout('main');
            await r.commit({ message: 'allowed signers', files: { '.senior-review/allowed_signers': signerLine(REVIEWER.email, key) } });
            await r.checkout('feature');
            await signWith(r, key);
          }
          const old = (await r.git('rev-parse', 'feature')).trim();
          const first = runBuiltCli(['approve', '--mode', mode, ...ALL_CHECKS, '--yes'], r.dir, step === 'after-last' ? {} : { SENIOR_REVIEW_CRASH_AT: step });
          if (step !== 'after-last') assert.equal(first.signal, 'SIGKILL', `killed at ${step}: ${first.stderr}`);
          execFileSync('git', ['fsck', '--no-progress', '--strict'], { cwd: r.dir });
          assert.deepEqual(await unreachableCommits(r.dir), []);
          const tip = (await r.git('rev-parse', 'feature')).trim();
          const oldKept = (await r.git('for-each-ref', '--contains', old, '--format=%(refname)')).trim();
          assert.ok(oldKept.length > 0, 'the old head is still reachable from a ref');
          if (tip !== old) assert.match(await r.git('log', '-1', '--format=%B', tip), /Senior-Review-Patch-Id: v2 [0-9a-f]{64}/);
          const retry = runBuiltCli(['approve', '--mode', mode, '--yes'], r.dir);
          assert.equal(retry.code, 0, retry.stderr);
          const v = runBuiltCli(['verify', '--base', 'main', '--head', 'feature', ...(signed ? ['--require-signature'] : [])], r.dir);
          assert.equal(v.code, 0, v.stderr);
          assert.deepEqual(await unreachableCommits(r.dir), []);
          assert.equal(await r.git('status', '--porcelain'), '');
        });
      }
    }
  }

  it('detects a branch moved by someone else during approve and loses nothing', async () => {
    const r = await featureRepo();
    const rv = await openReview({ repo: r.dir, base: 'main', head: 'feature' });
    for (const id of ['architecture', 'side-effects', 'security', 'tests']) rv.session.checked[id] = true;
    const plan = await planSignoff({ cs: rv.cs, config: rv.config, session: rv.session, ctx: rv.ctx });
    let theirs = '';
    await assert.rejects(
      writeSignoff(plan, rv.ctx, (s) => {
        if (s === 'move-branch') {
          // A colleague pushes a commit to the branch at this very moment.
          execFileSync('git', ['commit', '-q', '--allow-empty', '-m', 'their work'], { cwd: r.dir });
          theirs = execFileSync('git', ['rev-parse', 'feature'], { cwd: r.dir, encoding: 'utf8' }).trim();
        }
      }),
      (e: GitError) => e.code === 'RefChanged' && /feature moved during approve/.test(e.message),
    );
    assert.equal((await r.git('rev-parse', 'feature')).trim(), theirs);
    assert.deepEqual(await unreachableCommits(r.dir), []);
  });
});
