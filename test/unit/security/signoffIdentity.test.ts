// The approved diff's identity covers whitespace: a space slipped into a shell command or a Python
// line moved out of an `if` after approval makes the sign-off stale, while a rebase that leaves the
// changed lines alone keeps it valid. Sign-offs with the old whitespace-blind identity fail clearly.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { patchIdentity } from '../../../src/core/signoff/patchIdentity';
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

  const EDITS: Array<[string, string, 'amend' | 'commit']> = [
    ['a space slipped into a shell command', FEATURE_PY.replace('rm -rf build/cache', 'rm -rf build /cache'), 'amend'],
    ['a space slipped into a shell command', FEATURE_PY.replace('rm -rf build/cache', 'rm -rf build /cache'), 'commit'],
    ['a Python line moved out of its `if` by re-indentation', FEATURE_PY.replace('        os.system', '    os.system'), 'commit'],
  ];
  for (const [what, edited, mode] of EDITS) {
    it(`${mode}: ${what} after approval makes the sign-off stale`, async () => {
      const r = await pythonRepo();
      await approveAndVerify(r, mode);
      await r.commit({ message: 'tidy', author: AUTHOR, files: { 'tools/build.py': edited } });
      // git's own stable patch id cannot tell the two diffs apart: that is the attack.
      const stable = (rev: string) => execFileSync('git', ['patch-id', '--stable'], { input: execFileSync('git', ['diff', 'main...' + rev], { cwd: r.dir }), cwd: r.dir, encoding: 'utf8' }).split(' ')[0];
      assert.equal(stable('feature'), stable('feature~1'));
      const v = await verifyJson(r);
      assert.equal(v.code, 1);
      assert.equal(v.json.status, 'stale');
      assert.deepEqual(v.json.changedFiles, ['tools/build.py']);
    });
  }

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

  it('agrees with git patch-id --stable where it must, and tells whitespace apart where --stable cannot', async () => {
    const r = await pythonRepo();
    const variants: Record<string, string> = {};
    const branch = async (name: string, from: string, py: string) => {
      await r.git('checkout', '-q', '-b', name, from);
      await r.commit({ message: name, author: AUTHOR, files: { 'tools/build.py': py } });
      variants[name] = name;
    };
    await r.checkout('main');
    await r.commit({ message: 'docstring', author: AUTHOR, files: { 'tools/build.py': `"""Build helpers."""\n${BASE_PY}` } });
    const moved = (await r.git('rev-parse', 'HEAD')).trim();
    const old = (await r.git('rev-parse', 'HEAD~1')).trim();
    await branch('same', old, FEATURE_PY);
    await branch('rebased', moved, `"""Build helpers."""\n${FEATURE_PY}`);
    await branch('space', old, FEATURE_PY.replace('build/cache', 'build /cache'));
    await branch('dedent', old, FEATURE_PY.replace('        os.system', '    os.system'));
    await branch('tabs', old, FEATURE_PY.replace('        print("removing', '\t\tprint("removing'));
    await branch('other', old, FEATURE_PY.replace('cache', 'tmp'));
    const ours: Record<string, string> = {};
    const stable: Record<string, string> = {};
    for (const name of ['feature', ...Object.keys(variants)]) {
      const mb = (await r.git('merge-base', 'main', name)).trim();
      ours[name] = (await patchIdentity(mb, name, { cwd: r.dir })).patchId;
      stable[name] = execFileSync('git', ['patch-id', '--stable'], { cwd: r.dir, input: execFileSync('git', ['diff', mb, name], { cwd: r.dir }), encoding: 'utf8' }).split(' ')[0];
    }
    // Ours refines git's: equal identities always mean equal stable patch ids.
    for (const a of Object.keys(ours)) for (const b of Object.keys(ours)) if (ours[a] === ours[b]) assert.equal(stable[a], stable[b], `${a} ${b}`);
    assert.equal(ours.same, ours.feature, 'the same diff');
    assert.equal(ours.rebased, ours.feature, 'the same lines on a moved base');
    for (const ws of ['space', 'dedent', 'tabs']) {
      assert.equal(stable[ws], stable.feature, `${ws}: git's stable id is blind to it`);
      assert.notEqual(ours[ws], ours.feature, `${ws}: ours is not`);
    }
    assert.notEqual(ours.other, ours.feature);
    assert.notEqual(stable.other, stable.feature);
  });

  it('does not depend on the diff configuration or the attributes of the checkout', async () => {
    const r = await pythonRepo();
    await r.commit({ message: 'more', author: AUTHOR, files: { 'tools/run.sh': 'echo a\n\necho b\n', 'tools/old.txt': null } });
    const mb = (await r.git('merge-base', 'main', 'feature')).trim();
    const plain = await patchIdentity(mb, 'feature', { cwd: r.dir });
    for (const [k, v] of [['diff.algorithm', 'histogram'], ['diff.context', '10'], ['diff.interHunkContext', '5'], ['diff.noprefix', 'true'], ['diff.suppressBlankEmpty', 'true'], ['diff.renames', 'false'], ['diff.renameLimit', '1'], ['diff.indentHeuristic', 'false'], ['core.quotePath', 'true']]) {
      await r.git('config', k, v);
    }
    writeFileSync(`${r.dir}/.gitattributes`, '*.py binary\n*.sh -diff\n');
    const configured = await patchIdentity(mb, 'feature', { cwd: r.dir });
    assert.equal(configured.patchId, plain.patchId);
    assert.deepEqual([...configured.files], [...plain.files]);
  });

  it('keys per-file identities on the raw path bytes: two names differing in one non-UTF-8 byte stay two files', async () => {
    const r = await tempRepo('2025-01-01T00:00:00Z');
    await r.commit({ message: 'base', author: AUTHOR, files: { 'README.md': 'x\n' } });
    await r.branch('feature');
    await r.checkout('feature');
    const name = (b: number) => Buffer.concat([Buffer.from(`${r.dir}/x`), Buffer.from([b]), Buffer.from('.ts')]);
    writeFileSync(name(0xff), 'one\n');
    writeFileSync(name(0xfe), 'two\n');
    await r.commit({ message: 'two odd names', author: AUTHOR });
    const mb = (await r.git('merge-base', 'main', 'feature')).trim();
    const before = await patchIdentity(mb, 'feature', { cwd: r.dir });
    assert.equal(before.files.size, 2);
    writeFileSync(name(0xfe), 'two, changed\n');
    await r.commit({ message: 'change one', author: AUTHOR });
    const after = await patchIdentity(mb, 'feature', { cwd: r.dir });
    assert.notEqual(after.patchId, before.patchId);
    const changed = [...after.files].filter(([k, f]) => before.files.get(k)?.id !== f.id);
    assert.equal(changed.length, 1);
    assert.equal(changed[0][1].path, 'x\ufffd.ts');
  });
});
