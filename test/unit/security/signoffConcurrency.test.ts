// Two approves of one branch started together (two real CLI processes): exactly one writes its
// sign-off and says so; the other fails with one line saying another approve won (or, if it
// started after the winner finished, says the branch is already approved). Nothing is left dangling.
import assert from 'node:assert/strict';
import { git } from '../../../src/core/git/runGit';
import { cleanupRepos } from '../../helpers/repos';
import { featureRepo, startBuiltCli, runBuiltCli, ALL_CHECKS } from '../../helpers/signoffRepo';

const ROUNDS = 6;

describe('security: concurrent approves of one branch', function () {
  this.timeout(300_000);
  after(cleanupRepos);

  for (const mode of ['amend', 'commit'] as const) {
    it(`${mode}: exactly one of two simultaneous approves wins, ${ROUNDS} times over`, async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const r = await featureRepo();
        const old = (await r.git('rev-parse', 'feature')).trim();
        const args = ['approve', '--mode', mode, ...ALL_CHECKS, '--yes'];
        const runs = await Promise.all([startBuiltCli(args, r.dir), startBuiltCli(args, r.dir)]);
        const what = `round ${round}: ${JSON.stringify(runs)}`;
        const winners = runs.filter((x) => x.code === 0 && /^(amended|committed) [0-9a-f]{12} on feature/m.test(x.stdout));
        assert.equal(winners.length, 1, what);
        const loser = runs.find((x) => x !== winners[0])!;
        if (loser.code === 0) {
          assert.match(loser.stdout, /^already approved: /m, what);
        } else {
          assert.equal(loser.code, 1, what);
          assert.match(loser.stderr, /^senior-review approve: another approve won: feature is now [0-9a-f]{12}, a sign-off by Rita Reviewer <rita@example.com>; nothing was changed\n$/, what);
        }
        const tip = (await r.git('rev-parse', 'feature')).trim();
        assert.notEqual(tip, old);
        assert.match(await r.git('log', '-1', '--format=%B', tip), /^Reviewed-by: Rita Reviewer <rita@example.com>$/m);
        if (mode === 'commit') assert.equal((await r.git('rev-parse', 'feature~1')).trim(), old, 'one sign-off commit on the old head, not two');
        assert.equal(runBuiltCli(['verify', '--base', 'main', '--head', 'feature'], r.dir).code, 0, what);
        const unreachable = (await git(['fsck', '--unreachable', '--no-reflogs', '--no-progress'], { cwd: r.dir })).split('\n').filter((l) => l.startsWith('unreachable commit'));
        assert.deepEqual(unreachable, [], what);
      }
    });
  }
});
