// The approved diff's identity covers whitespace: a space slipped into a shell command or a Python
// line moved out of an `if` after approval makes the sign-off stale, while a rebase that leaves the
// changed lines alone keeps it valid. Sign-offs with the old whitespace-blind identity fail clearly.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cli, cleanupRepos, tempRepo } from '../../helpers/repos';
import { userGit, AUTHOR, REVIEWER, ALL_CHECKS, featureRepo } from '../../helpers/signoffRepo';
import { RepoBuilder } from '../../../src/demo/repoBuilder';

const BASE_PY = 'import os\n\n\ndef clean(force):\n    print("cleaning")\n    return force\n';
const FEATURE_PY = 'import os\n\n\ndef clean(force):\n    print("cleaning")\n    if force:\n        print("removing the cache")\n        os.system("rm -rf build/cache")\n    return force\n';

async function pythonRepo(): Promise<RepoBuilder> {
  const r = await tempRepo('2025-01-01T00:00:00Z');
  await r.commit({ message: 'base', author: AUTHOR, files: { 'tools/build.py': BASE_PY, 'README.md': 'tools\n' } });
  await r.branch('feature');
  await r.checkout('feature');
  await r.commit({ message: 'Clean the cache when forced', author: AUTHOR, files: { 'tools/build.py': FEATURE_PY } });
  await r.git('config', 'user.name', REVIEWER.name);
  await r.git('config', 'user.email', REVIEWER.email);
  return r;
}

async function approveAndVerify(r: RepoBuilder, mode: 'amend' | 'commit'): Promise<void> {
  const a = await cli(['approve', '--repo', r.dir, '--mode', mode, ...ALL_CHECKS, '--yes']);
  assert.equal(a.code, 0, a.stderr);
  const v = await cli(['verify', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
  assert.equal(v.code, 0, v.stderr);
}

async function verifyJson(r: RepoBuilder): Promise<{ code: number; json: { status: string; reason: string; changedFiles: string[] } }> {
  const v = await cli(['verify', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--format', 'json']);
  return { code: v.code, json: JSON.parse(v.stdout) };
}

describe('security: whitespace-exact patch identity', () => {
  after(cleanupRepos);

  for (const mode of ['amend', 'commit'] as const) {
    it(`${mode}: a space slipped into a shell command after approval makes the sign-off stale`, async () => {
      const r = await pythonRepo();
      await approveAndVerify(r, mode);
      await r.commit({ message: 'tidy', author: AUTHOR, files: { 'tools/build.py': FEATURE_PY.replace('rm -rf build/cache', 'rm -rf build /cache') } });
      // git's own stable patch id cannot tell the two diffs apart: that is the attack.
      const stable = (rev: string) => execFileSync('git', ['patch-id', '--stable'], { input: execFileSync('git', ['diff', 'main...' + rev], { cwd: r.dir }), cwd: r.dir, encoding: 'utf8' }).split(' ')[0];
      assert.equal(stable('feature'), stable('feature~1'));
      const v = await verifyJson(r);
      assert.equal(v.code, 1);
      assert.equal(v.json.status, 'stale');
      assert.deepEqual(v.json.changedFiles, ['tools/build.py']);
    });
  }

  it('a Python line moved out of its `if` by re-indentation makes the sign-off stale', async () => {
    const r = await pythonRepo();
    await approveAndVerify(r, 'commit');
    await r.commit({ message: 'indent', author: AUTHOR, files: { 'tools/build.py': FEATURE_PY.replace('        os.system', '    os.system') } });
    const v = await verifyJson(r);
    assert.equal(v.code, 1);
    assert.equal(v.json.status, 'stale');
    assert.deepEqual(v.json.changedFiles, ['tools/build.py']);
  });

  it('a real rebase onto a moved base that leaves the changed lines alone still verifies', async () => {
    const r = await pythonRepo();
    assert.match(userGit(r.dir, ['diff', 'main...feature']), /^@@ -3,4 \+3,7 @@/m);
    await approveAndVerify(r, 'commit');
    await r.checkout('main');
    // Line numbers of the approved hunk move; its lines and context do not.
    await r.commit({ message: 'docstring', author: AUTHOR, files: { 'tools/build.py': `"""Build helpers."""\n${BASE_PY}`, 'README.md': 'tools and docs\n' } });
    await r.checkout('feature');
    // The reviewer rebases (a rebase by anyone else rewrites the committer: see the next test).
    await r.git('rebase', '-q', 'main');
    assert.match(userGit(r.dir, ['diff', 'main...feature']), /^@@ -4,4 \+4,7 @@/m, 'the hunk moved');
    const v = await verifyJson(r);
    assert.equal(v.code, 0, v.json.reason);
    assert.equal(v.json.status, 'valid');

    // The same rebase by the author re-commits the sign-off under their name: no longer the reviewer's.
    userGit(r.dir, ['rebase', '-q', '--force-rebase', 'main'], { committer: AUTHOR });
    const byAuthor = await verifyJson(r);
    assert.equal(byAuthor.json.status, 'committer-mismatch');
  });

  it('refuses a sign-off carrying the old whitespace-blind identity: re-approve', async () => {
    const r = await featureRepo();
    const mb = userGit(r.dir, ['merge-base', 'main', 'feature']).trim();
    // Exactly what earlier versions wrote: git patch-id --stable of the binary diff with renames.
    const diff = execFileSync('git', ['diff', '--binary', '--no-color', '--no-ext-diff', '--no-textconv', '--src-prefix=a/', '--dst-prefix=b/', '--find-renames', '--full-index', mb, 'feature', '--'], { cwd: r.dir });
    const v1 = execFileSync('git', ['patch-id', '--stable'], { cwd: r.dir, input: diff, encoding: 'utf8' }).split(' ')[0];
    assert.match(v1, /^[0-9a-f]{40}$/);
    const trailers = `Reviewed-by: ${REVIEWER.name} <${REVIEWER.email}>\nSenior-Review-Outcome: approved\nSenior-Review-Checks: architecture,side-effects,security,tests\nSenior-Review-Patch-Id: ${v1}\n`;
    userGit(r.dir, ['commit', '-q', '--allow-empty', '--no-verify', '-F', '-'], { input: `Senior review sign-off for feature\n\n${trailers}`, committer: REVIEWER, author: REVIEWER });
    const v = await cli(['verify', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(v.code, 1);
    assert.match(v.stderr, /^senior-review verify: outdated: re-approve: identity format changed \(sign-off [0-9a-f]{12} carries a v1 patch identity; this version checks v2\)\n$/);
  });
});
