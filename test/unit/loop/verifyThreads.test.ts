// verify and comment threads: a valid sign-off does not pass while a thread marked blocking is
// unresolved, passes once it is resolved, and a detached CI checkout finds the review by its branch.
import assert from 'node:assert/strict';
import { cli, cleanupRepos } from '../../helpers/repos';
import { ALL_CHECKS } from '../../helpers/signoffRepo';
import { loopRepo } from '../../helpers/loopRepo';

const range = ['--base', 'main', '--head', 'feature'];

describe('verify with comment threads', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  it('fails while a blocking thread is unresolved, and passes once it is resolved', async () => {
    const r = await loopRepo();
    const opened = await cli(['comment', '--repo', r.dir, ...range, '--file', 'src/big.ts', '--line', '50', '--text', 'This breaks the export', '--blocking']);
    assert.equal(opened.code, 0, opened.stderr);
    const thread = /opened thread ([0-9a-f]{10})/.exec(opened.stdout)![1];
    await cli(['comment', '--repo', r.dir, ...range, '--file', 'src/other.ts', '--line', '5', '--text', 'a remark, not blocking']);
    const approved = await cli(['approve', '--repo', r.dir, ...range, ...ALL_CHECKS, '--visit-all', '--yes']);
    assert.equal(approved.code, 0, approved.stderr);

    const blocked = await cli(['verify', '--repo', r.dir, ...range]);
    assert.equal(blocked.code, 1);
    assert.match(blocked.stderr, /^senior-review verify: blocking-threads: 1 blocking comment thread is unresolved \(src\/big\.ts:50\); approved by Rita Reviewer/);

    // CI checks out the commit, not the branch: the review is found through the branch pointing at it.
    await r.git('checkout', '-q', '--detach', 'feature');
    const detached = await cli(['verify', '--repo', r.dir, '--base', 'main', '--head', 'HEAD']);
    assert.equal(detached.code, 1);
    assert.match(detached.stderr, /blocking-threads: 1 blocking comment thread/);

    assert.equal((await cli(['comment', '--repo', r.dir, ...range, '--resolve', thread, '--text', 'fixed in a follow-up'])).code, 0);
    const valid = await cli(['verify', '--repo', r.dir, ...range]);
    assert.equal(valid.code, 0, valid.stderr);
    assert.match(valid.stdout, /^valid: approved by Rita Reviewer/);
  });
});
