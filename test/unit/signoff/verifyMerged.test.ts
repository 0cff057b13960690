// verify --commit after the host merged the pull request: the exact squash messages GitHub and GitLab
// write by default (GitHub: "Title (#N)", then "* " + every commit's message, oldest first, then the
// co-authors after a "---------" line; GitLab: the template %{title} by default, %{all_commits} newest
// first), git's own indented `merge --squash` message, and a rebase merge with --from.
import assert from 'node:assert/strict';
import { RepoBuilder, Person } from '../../../src/demo/repoBuilder';
import { signoffBlocks } from '../../../src/core/signoff/mergedMessage';
import { cli, cleanupRepos } from '../../helpers/repos';
import { ALL_CHECKS, AUTHOR, REVIEWER, featureRepo, userGit } from '../../helpers/signoffRepo';

const GITHUB: Person = { name: 'GitHub', email: 'noreply@github.com' };
const MAINTAINER: Person = { name: 'Mia Maintainer', email: 'mia@example.com' };
const RITA = `${REVIEWER.name} <${REVIEWER.email}>`;

/** The feature branch's commit messages, oldest first, as the hosts read them (git's %B). */
async function messages(r: RepoBuilder): Promise<string[]> {
  const shas = (await r.git('rev-list', '--reverse', 'main..feature')).trim().split('\n');
  return Promise.all(shas.map(async (s) => r.git('log', '-1', '--format=%B', s)));
}

/** GitHub's default squash message of a pull request with several commits. */
function githubSquash(title: string, n: number, msgs: string[], coAuthors: string[]): string {
  const body = msgs.map((m) => `* ${m.trim()}`).join('\n\n');
  return `${title} (#${n})\n\n${body}${coAuthors.length ? `\n\n---------\n\n${coAuthors.map((c) => `Co-authored-by: ${c}`).join('\n')}` : ''}\n`;
}

/** GitLab's %{all_commits}: "* " + each stripped message, newest first, joined by a blank line. */
function gitlabAllCommits(msgs: string[]): string {
  return [...msgs].reverse().map((m) => `* ${m.trim()}`).join('\n\n');
}

/** The host squashes feature onto main: one commit with feature's tree, main as its parent. */
async function squash(r: RepoBuilder, message: string, opts: { committer: Person; author?: Person; tree?: string }): Promise<string> {
  const tree = opts.tree ?? (await r.git('rev-parse', 'feature^{tree}')).trim();
  const sha = userGit(r.dir, ['commit-tree', tree, '-p', 'main', '-F', '-'], { input: message, committer: opts.committer, author: opts.author ?? AUTHOR }).trim();
  await r.git('update-ref', 'refs/heads/main', sha);
  return sha;
}

/** The reviewed feature: a sign-off commit (the head was on a remote) unless `mode` says amend. */
async function approved(mode: 'commit' | 'amend' = 'commit'): Promise<RepoBuilder> {
  const r = await featureRepo();
  await r.git('update-ref', 'refs/remotes/origin/feature', 'feature');
  const a = await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--mode', mode, '--yes']);
  assert.equal(a.code, 0, a.stderr);
  return r;
}

describe('verify --commit (after a squash or rebase merge)', function () {
  this.timeout(120_000);
  after(cleanupRepos);

  it("accepts GitHub's default squash message: title (#N), the commits as a bulleted list, the co-authors", async () => {
    const r = await approved();
    const msgs = await messages(r);
    assert.equal(msgs.length, 3);
    const message = githubSquash('Feature work', 12, msgs, [RITA]);
    assert.match(message, /^Feature work \(#12\)\n\n\* Change a\n\n\* Change b\n\n\* Senior review sign-off for feature\n\nApproved [0-9a-f]{12}: .*\n\nReviewed-by: Rita Reviewer <rita@example.com>\n[\s\S]*\nSenior-Review-Files: v2 [^\n]+\n\n---------\n\nCo-authored-by: Rita Reviewer <rita@example.com>\n$/);
    const sha = await squash(r, message, { committer: GITHUB });
    const v = await cli(['verify', '--repo', r.dir, '--commit', sha]);
    assert.equal(v.code, 0, v.stderr);
    const [valid, notChecked] = v.stdout.split('\n');
    assert.match(valid, new RegExp(`^valid: approved by Rita Reviewer <rita@example.com> in ${sha.slice(0, 12)} for patch [0-9a-f]{12}; committed by GitHub <noreply@github.com>$`));
    assert.equal(notChecked, 'not checked on a merged commit: committer (GitHub <noreply@github.com> made the commit when merging, not the reviewer); signature (a commit the host made carries the host\'s signature, if any, never the reviewer\'s: check --require-signature on the pull request before merging); blocking-threads (threads belong to the pull request\'s branch: verify checks them on the pull request before merging)');
    const json = JSON.parse((await cli(['verify', '--repo', r.dir, '--commit', sha, '--format', 'json'])).stdout);
    assert.equal(json.status, 'valid');
    assert.equal(json.from, (await r.git('rev-parse', `${sha}^1`)).trim());
    assert.deepEqual(json.notChecked.map((n: { rule: string }) => n.rule), ['committer', 'signature', 'blocking-threads']);
  });

  it('reads trailers from a squash message written with CRLF line ends (messages edited in a browser)', async () => {
    const r = await approved();
    const sha = await squash(r, githubSquash('Feature work', 12, await messages(r), [RITA]).replace(/\n/g, '\r\n'), { committer: GITHUB });
    const v = await cli(['verify', '--repo', r.dir, '--commit', sha]);
    assert.equal(v.code, 0, v.stderr);
  });

  it('finds trailers amended into the last commit, interleaved after its subject in the list', async () => {
    const r = await approved('amend');
    const msgs = await messages(r);
    assert.equal(msgs.length, 2);
    const message = githubSquash('Feature work', 7, msgs, []);
    assert.match(message, /^Feature work \(#7\)\n\n\* Change a\n\n\* Change b\n\nReviewed-by: Rita Reviewer <rita@example.com>\n/);
    const v = await cli(['verify', '--repo', r.dir, '--commit', await squash(r, message, { committer: GITHUB })]);
    assert.equal(v.code, 0, v.stderr);
  });

  it("says what to configure when GitLab's default squash template (%{title}) dropped the trailers", async () => {
    const r = await approved();
    const sha = await squash(r, 'Feature work\n', { committer: MAINTAINER });
    const v = await cli(['verify', '--repo', r.dir, '--commit', sha]);
    assert.equal(v.code, 1);
    assert.equal(v.stderr, `senior-review verify: missing: no sign-off in the message of ${sha.slice(0, 12)} (GitHub's default squash message keeps every commit's message, its "pull request title" default drops them; GitLab's default squash template %{title} drops them: include %{all_commits})\n`);
  });

  it('accepts a GitLab squash template with %{all_commits} (newest commit first, the sign-off before the others)', async () => {
    const r = await approved();
    const message = `Feature work\n\n${gitlabAllCommits(await messages(r))}\n`;
    assert.match(message, /^Feature work\n\n\* Senior review sign-off for feature\n\nApproved [\s\S]*Senior-Review-Files: v2 [^\n]+\n\n\* Change b\n\n\* Change a\n$/);
    const v = await cli(['verify', '--repo', r.dir, '--commit', await squash(r, message, { committer: MAINTAINER })]);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stdout, /committed by Mia Maintainer <mia@example.com>\nnot checked on a merged commit: committer \(Mia Maintainer/);
  });

  it("accepts git's own merge --squash message (every message indented by four spaces)", async () => {
    const r = await approved();
    await r.checkout('main');
    await r.git('merge', '-q', '--squash', 'feature');
    userGit(r.dir, ['commit', '-q', '--no-edit'], { committer: MAINTAINER, author: MAINTAINER });
    assert.match(await r.git('log', '-1', '--format=%B'), /^Squashed commit of the following:\n[\s\S]*\n {4}Reviewed-by: Rita Reviewer <rita@example.com>\n {4}Senior-Review-Outcome: approved\n/m);
    const v = await cli(['verify', '--repo', r.dir, '--commit', 'main']);
    assert.equal(v.code, 0, v.stderr);
  });

  it('still accepts the squash when the target moved on elsewhere, and names the file when the squash is not the approved diff', async () => {
    const r = await approved();
    const msgs = await messages(r);
    await r.checkout('main');
    await r.commit({ message: 'Unrelated', author: AUTHOR, files: { 'docs/readme.md': 'docs\n' } });
    await r.git('merge', '-q', '--no-commit', '--squash', 'feature');
    const sha = await squash(r, githubSquash('Feature work', 12, msgs, [RITA]), { committer: GITHUB, tree: (await r.git('write-tree')).trim() });
    assert.equal((await cli(['verify', '--repo', r.dir, '--commit', sha])).code, 0);

    // The merger edits a line in the squash: the diff is no longer the one approved.
    await r.git('reset', '-q', '--hard', `${sha}^`);
    await r.git('merge', '-q', '--no-commit', '--squash', 'feature');
    r.writeFile('src/b.ts', 'export const b = 99;\n');
    await r.git('add', 'src/b.ts');
    const edited = await squash(r, githubSquash('Feature work', 12, msgs, [RITA]), { committer: GITHUB, tree: (await r.git('write-tree')).trim() });
    const stale = await cli(['verify', '--repo', r.dir, '--commit', edited]);
    assert.equal(stale.code, 1);
    assert.match(stale.stderr, /^senior-review verify: stale: the diff changed since it was approved by Rita Reviewer <rita@example.com>: src\/b\.ts\n$/);
  });

  it('judges self-approval by the squash commit\'s author (the pull request\'s author on both hosts)', async () => {
    const r = await approved();
    const sha = await squash(r, githubSquash('Feature work', 12, await messages(r), []), { committer: GITHUB, author: REVIEWER });
    const v = await cli(['verify', '--repo', r.dir, '--commit', sha]);
    assert.equal(v.code, 1);
    assert.match(v.stderr, new RegExp(`^senior-review verify: self-approval: Rita Reviewer <rita@example.com> authored ${sha.slice(0, 12)} \\(Feature work \\(#12\\)\\) in the range they approved\\n$`));
  });

  it('refuses --require-signature on a commit the host made, saying why', async () => {
    const r = await approved();
    const sha = await squash(r, githubSquash('Feature work', 12, await messages(r), [RITA]), { committer: GITHUB });
    const v = await cli(['verify', '--repo', r.dir, '--commit', sha, '--require-signature']);
    assert.equal(v.code, 1);
    assert.equal(v.stderr, `senior-review verify: unsigned: ${sha.slice(0, 12)} was made by GitHub <noreply@github.com> when merging: the reviewer's signature cannot be on it (check --require-signature on the pull request before merging)\n`);
  });

  it('checks a rebase merge with --from (the commits re-made by the host), and says stale without it', async () => {
    const r = await approved();
    await r.checkout('main');
    await r.commit({ message: 'Unrelated', author: AUTHOR, files: { 'docs/readme.md': 'docs\n' } });
    const before = (await r.git('rev-parse', 'main')).trim();
    await r.git('checkout', '-q', '-b', 'landed', 'feature');
    userGit(r.dir, ['rebase', '-q', 'main'], { committer: GITHUB });
    assert.equal((await r.git('log', '-1', '--format=%s|%cn', 'landed')).trim(), `Senior review sign-off for feature|${GITHUB.name}`);
    const v = await cli(['verify', '--repo', r.dir, '--commit', 'landed', '--from', before]);
    assert.equal(v.code, 0, v.stderr);
    const alone = await cli(['verify', '--repo', r.dir, '--commit', 'landed']);
    assert.equal(alone.code, 1);
    assert.match(alone.stderr, /^senior-review verify: stale: the diff changed since it was approved by Rita Reviewer <rita@example.com> \(2 approved files no longer changed\)\n$/);
  });

  it('says in one line what --commit cannot judge: a merge commit, --from not below it, --commit with --base', async () => {
    const r = await approved();
    await r.checkout('main');
    await r.git('merge', '-q', '--no-ff', '-m', 'Merge feature', 'feature');
    const merge = await cli(['verify', '--repo', r.dir, '--commit', 'main']);
    assert.equal(merge.code, 2);
    assert.match(merge.stderr, /^senior-review verify: [0-9a-f]{12} is a merge commit: verify the merged branch with --base [0-9a-f]{12}\^1 --head [0-9a-f]{12}\^2\n$/);
    const notBelow = await cli(['verify', '--repo', r.dir, '--commit', 'main^1', '--from', 'feature']);
    assert.equal(notBelow.code, 2);
    assert.match(notBelow.stderr, /--from feature is not an ancestor of [0-9a-f]{12}\n$/);
    assert.equal((await cli(['verify', '--repo', r.dir, '--commit', 'main', '--base', 'main'])).code, 2);
    assert.equal((await cli(['verify', '--repo', r.dir, '--from', 'main'])).code, 2);
  });

  it('reads sign-off blocks out of any message shape, never joining two commits\' trailers', () => {
    const block = 'Reviewed-by: A <a@x.y>\nSenior-Review-Patch-Id: v2 ' + 'a'.repeat(64);
    assert.deepEqual(signoffBlocks(`T\n\n* ${block.replace(/\n/g, '\n')}`).length, 1);
    assert.deepEqual(signoffBlocks(`T\n\n    x\n    \n    ${block.replace(/\n/g, '\n    ')}\n`)[0], [['Reviewed-by', 'A <a@x.y>'], ['Senior-Review-Patch-Id', `v2 ${'a'.repeat(64)}`]]);
    // Another commit's trailers right after a blank line are a block of their own.
    const two = signoffBlocks(`* one\n\n${block}\n\n* two\n\nSigned-off-by: B <b@x.y>\n`);
    assert.equal(two.length, 1);
    assert.equal(two[0].length, 2);
    assert.deepEqual(signoffBlocks('Reviewed-by: A <a@x.y>\nnot a trailer line\nSenior-Review-Patch-Id: v2 x\n').map((b) => b.length), [1]);
    assert.deepEqual(signoffBlocks('no trailers here\n'), []);
  });
});
