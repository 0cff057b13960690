// Git never runs code chosen by the tree under review: hooks from a work-tree-relative hooksPath,
// smudge/clean/process filters and diff drivers selected by the head's .gitattributes, fsmonitor,
// pager and ssh command from config, and git environment inherited from a caller. Each case builds
// the hostile repository, shows with plain git that the trap is live, and that our commands spring none.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RepoBuilder, FileContent } from '../../../src/demo/repoBuilder';
import { git, runGit } from '../../../src/core/git/runGit';
import { cli, cleanupRepos, tempRepo } from '../../helpers/repos';
import { ALL_CHECKS, AUTHOR, REVIEWER } from '../../helpers/signoffRepo';
import { MarkerBox } from '../../helpers/markers';

const BASE_FILES = {
  'app.py': 'def area(r):\n    return 3 * r\n',
  'use.py': 'from app import area\n\nprint(area(2))\n',
  'notes.txt': 'notes\n',
};
const HEAD_APP = 'def area(r):\n    return 3.14 * r * r\n';

/** main with a base commit, feature with the hostile head; the reviewer's checkout on `on`. */
async function hostileRepo(head: Record<string, FileContent>, on: 'main' | 'feature' = 'main'): Promise<RepoBuilder> {
  const r = await tempRepo('2025-01-01T00:00:00Z');
  await r.commit({ message: 'base', author: AUTHOR, files: BASE_FILES });
  await r.branch('feature');
  await r.checkout('feature');
  await r.commit({ message: 'change area', author: AUTHOR, files: { 'app.py': HEAD_APP, ...head } });
  await r.checkout(on);
  await r.git('config', 'user.name', REVIEWER.name);
  await r.git('config', 'user.email', REVIEWER.email);
  return r;
}

/** Plain git, as a naive tool would call it (the oracle that shows a trap is armed). */
function plainGit(cwd: string, ...args: string[]): { code: number | null; stdout: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout };
}

/** Makes every tracked file look modified to git's stat check, so status re-reads (and cleans) them. */
function touchAll(dir: string, files: string[]): void {
  const later = new Date(Date.now() + 60_000);
  for (const f of files) utimesSync(join(dir, f), later, later);
}

describe('security: git runs nothing from the reviewed tree', function () {
  this.timeout(120_000);
  const boxes: MarkerBox[] = [];
  const box = () => {
    const b = new MarkerBox();
    boxes.push(b);
    return b;
  };
  after(() => {
    cleanupRepos();
    boxes.forEach((b) => b.cleanup());
  });

  it('runs no hook from a work-tree-relative core.hooksPath (husky) during analyze and approve', async () => {
    const m = box();
    const hook = (name: string): FileContent => ({ content: m.script(name, false), executable: true });
    const r = await hostileRepo({
      '.husky/reference-transaction': hook('reference-transaction'),
      '.husky/post-checkout': hook('post-checkout'),
      '.husky/pre-commit': hook('pre-commit'),
      '.husky/post-commit': hook('post-commit'),
      '.husky/post-rewrite': hook('post-rewrite'),
    });
    await r.git('config', 'core.hooksPath', '.husky');

    const a = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(m.ran(), '', 'analyze ran a hook of the head');

    // The reviewer checks the head out (hooks off for this one step of the test itself) and approves.
    execFileSync('git', ['-c', 'core.hooksPath=/dev/null', 'checkout', '-q', 'feature'], { cwd: r.dir });
    const before = (await r.git('rev-parse', 'HEAD')).trim();
    const ok = await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--yes']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.notEqual((await r.git('rev-parse', 'HEAD')).trim(), before, 'the sign-off was written');
    assert.equal(m.ran(), '', 'approve ran a hook of the head');

    // The trap was armed: plain git moving a ref runs the head's reference-transaction hook.
    plainGit(r.dir, 'update-ref', 'refs/probe', 'HEAD');
    assert.match(m.ran(), /reference-transaction/);
  });

  it('runs no smudge, clean or process filter selected by the head\'s .gitattributes', async () => {
    const m = box();
    const r = await hostileRepo({ '.gitattributes': '*.py filter=evil\n*.txt filter=evilp\n', 'notes.txt': 'more notes\n' });
    await r.git('config', 'filter.evil.smudge', `${m.program('smudge')} %f`);
    await r.git('config', 'filter.evil.clean', `${m.program('clean')} %f`);
    await r.git('config', 'filter.evil.required', 'true');
    await r.git('config', 'filter.evilp.process', m.program('process', false));

    const a = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(m.ran(), '', 'analyze ran a filter (reviewer on the base)');

    // The head checked out (filters off for the test's own checkout), files racy-clean: status would clean them.
    execFileSync('git', ['-c', 'filter.evil.smudge=', '-c', 'filter.evil.clean=', '-c', 'filter.evil.required=false', '-c', 'filter.evilp.process=', 'checkout', '-q', 'feature'], { cwd: r.dir });
    touchAll(r.dir, ['app.py', 'use.py', 'notes.txt']);
    const t = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--trust-workspace']);
    assert.equal(t.code, 0, t.stderr);
    assert.equal(m.ran(), '', 'analyze ran a filter (head checked out)');

    plainGit(r.dir, 'status', '--porcelain');
    assert.match(m.ran(), /clean|process/, 'the trap was armed: plain git status runs the filter');
  });

  it('never starts core.fsmonitor', async () => {
    const m = box();
    const r = await hostileRepo({});
    await r.git('config', 'core.fsmonitor', m.program('fsmonitor', false));
    assert.equal((await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature'])).code, 0);
    execFileSync('git', ['-c', 'core.fsmonitor=false', 'checkout', '-q', 'feature'], { cwd: r.dir });
    const t = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--trust-workspace']);
    assert.equal(t.code, 0, t.stderr);
    assert.equal(m.ran(), '');
    plainGit(r.dir, 'status', '--porcelain');
    assert.match(m.ran(), /fsmonitor/, 'the trap was armed: plain git status starts it');
  });

  it('runs no textconv or external diff driver selected by the head, in diff, log, blame and show', async () => {
    const m = box();
    const r = await hostileRepo({ '.gitattributes': '*.py diff=evil\n' }, 'feature');
    await r.git('config', 'diff.evil.textconv', m.program('textconv'));
    await r.git('config', 'diff.evil.command', m.program('extdiff', false));

    const a = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(m.ran(), '');
    const cs = JSON.parse(a.stdout) as { files: Array<{ path: string; hunks: Array<{ lines: string[] }> }>; history: unknown };
    assert.ok(cs.history, 'history (blame, log) ran');
    const app = cs.files.find((f) => f.path === 'app.py');
    assert.ok(app?.hunks[0].lines.includes('+    return 3.14 * r * r'), 'the hunks are the real lines, not a driver\'s output');
    // Every porcelain command the core uses, directly.
    for (const args of [['log', '-p', '-1', 'feature'], ['show', 'feature'], ['diff', 'main', 'feature'], ['blame', 'feature', '--', 'app.py'], ['log', '--numstat', '-G', 'area', 'feature']]) {
      await runGit(args, { cwd: r.dir });
    }
    assert.equal(m.ran(), '');

    plainGit(r.dir, 'diff', 'main', 'feature');
    assert.match(m.ran(), /extdiff/, 'the trap was armed: plain git diff runs the driver');
  });

  it('keeps the pager and the ssh command away from local calls; fetch keeps the reviewer\'s ssh transport', async () => {
    const m = box();
    // A partial (blob-less) clone over "ssh": missing blobs would be fetched lazily by any local call.
    const origin = await tempRepo();
    await origin.commit({ message: 'one', files: { 'a.txt': 'a\n' } });
    await origin.git('config', 'uploadpack.allowFilter', 'true');
    const work = mkdtempSync(join(tmpdir(), 'sr-partial-'));
    try {
      // A fake ssh: records that it ran, then runs the remote command locally.
      const ssh = join(m.dir, 'ssh');
      writeFileSync(ssh, `#!/bin/sh\necho "ssh $*" >> '${m.file}'\nshift\nexec sh -c "$*"\n`, { mode: 0o755 });
      execFileSync('git', ['-c', `core.sshCommand=${ssh}`, '-c', 'ssh.variant=simple', 'clone', '-q', '--filter=blob:none', '--no-checkout', `ssh://fakehost${origin.dir}`, join(work, 'c')]);
      const c = join(work, 'c');
      execFileSync('git', ['config', 'core.sshCommand', ssh], { cwd: c });
      execFileSync('git', ['config', 'ssh.variant', 'simple'], { cwd: c });
      execFileSync('git', ['config', 'core.pager', m.program('pager', false)], { cwd: c });
      const start = m.ran().length;
      const blob = (await git(['rev-parse', 'HEAD:a.txt'], { cwd: c })).trim();
      await assert.rejects(runGit(['cat-file', '-p', blob], { cwd: c }));
      await git(['log', '-1'], { cwd: c });
      assert.equal(m.ran().slice(start), '', 'a local call ran the ssh command or the pager');
      await git(['fetch', '-q', 'origin'], { cwd: c });
      assert.match(m.ran().slice(start), /^ssh /, 'fetch uses the reviewer\'s ssh command');
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('is not redirected by GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE or GIT_EXTERNAL_DIFF inherited from a caller', async () => {
    const m = box();
    const r = await hostileRepo({});
    const other = await tempRepo();
    await other.commit({ message: 'other', files: { 'other.txt': 'x\n' } });
    const saved = { ...process.env };
    const index = join(m.dir, 'index');
    Object.assign(process.env, {
      GIT_DIR: join(other.dir, '.git'), GIT_WORK_TREE: other.dir, GIT_INDEX_FILE: index,
      GIT_EXTERNAL_DIFF: m.program('external-diff', false), GIT_OBJECT_DIRECTORY: join(other.dir, '.git', 'objects'),
    });
    try {
      const a = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--no-impact']);
      assert.equal(a.code, 0, a.stderr);
      assert.deepEqual((JSON.parse(a.stdout) as { files: Array<{ path: string }> }).files.map((f) => f.path), ['app.py']);
      assert.equal((await git(['diff', 'main', 'feature', '--stat'], { cwd: r.dir })).includes('app.py'), true);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
    assert.equal(existsSync(index), false, 'no index written where GIT_INDEX_FILE pointed');
    assert.equal(m.ran(), '');
  });

  it('reads the filter drivers only for calls that may convert work-tree contents', async () => {
    const r = await tempRepo();
    const a = await r.commit({ message: 'one', files: { 'a.txt': 'a\n' } });
    const b = await r.commit({ message: 'two', files: { 'a.txt': 'b\n' } });
    const calls: string[] = [];
    const logger = { trace: (m: string) => calls.push(m.split(' (')[0]), info: () => {}, warn: () => {}, error: () => {} };
    const count = async (args: string[]) => {
      calls.length = 0;
      await runGit(args, { cwd: r.dir, logger });
      return calls.length;
    };
    // Two commits by id, or a commit's blame by id: objects only, no config read.
    assert.equal(await count(['diff', '--stat', a, b, '--']), 1);
    assert.equal(await count(['diff', '--stat', `${a}...${b}`, '--']), 1);
    assert.equal(await count(['blame', '--porcelain', b, '--', 'a.txt']), 1);
    assert.equal(await count(['log', '-1', 'main']), 1);
    // The work tree or index is involved (or may be): the drivers are read first.
    assert.equal(await count(['diff', '--stat', a]), 2);
    assert.equal(await count(['diff', '--stat', 'main~1', 'main']), 2);
    assert.equal(await count(['blame', '--porcelain', '--', 'a.txt']), 2);
    assert.equal(await count(['status', '--porcelain']), 2);
    assert.equal(calls[0], 'git config -z --name-only --get-regexp ^filter\\.');
  });

  it('turns every filter driver of the effective config into a no-op, required or not, without failing', async () => {
    const m = box();
    const r = await tempRepo();
    await r.commit({ message: 'one', files: { '.gitattributes': '* filter=evil\n*.txt filter=other\n', 'a.bin': 'x\n', 'b.txt': 'y\n' } });
    await r.git('config', 'filter.evil.clean', m.program('clean'));
    await r.git('config', 'filter.evil.required', 'true');
    await r.git('config', 'filter.other.process', m.program('process', false));
    touchAll(r.dir, ['a.bin', 'b.txt']);
    assert.equal(await git(['status', '--porcelain'], { cwd: r.dir }), '');
    await git(['hash-object', 'a.bin'], { cwd: r.dir });
    assert.equal(m.ran(), '');
    // A driver added while a long-lived process runs is neutralised too (the config is not cached stale).
    await r.git('config', 'filter.late.clean', m.program('late'));
    r.writeFile('.gitattributes', '* filter=late\n');
    touchAll(r.dir, ['a.bin', 'b.txt']);
    await git(['status', '--porcelain'], { cwd: r.dir });
    assert.equal(m.ran(), '');
  });
});
