// The review session's write rules: two writers holding the same revision both keep what they
// recorded (merge, not overwrite), and a lock left by a killed process is taken over.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadSession, saveSession, sessionFile, tick, visit } from '../../../src/core/loop/reviewSession';
import { commonGitDir } from '../../../src/core/git/repository';
import { cleanupRepos } from '../../helpers/repos';
import { RITA, loopRepo } from '../../helpers/loopRepo';

describe('review session storage', () => {
  after(cleanupRepos);

  it('merges two writers of the same revision and takes over a dead writer\'s lock', async () => {
    const r = await loopRepo();
    const gitDir = await commonGitDir({ cwd: r.dir });
    const head = (await r.git('rev-parse', 'feature')).trim();
    const editor = loadSession(gitDir, RITA, 'main', 'feature', head);
    const cliCopy = loadSession(gitDir, RITA, 'main', 'feature', head);
    visit(editor, 'aaaa');
    tick(editor, 'security');
    saveSession(gitDir, editor);
    visit(cliCopy, 'bbbb');
    tick(cliCopy, 'tests');
    // A writer killed while holding the lock: its pid is gone.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const file = sessionFile(gitDir, RITA, 'main', 'feature');
    writeFileSync(`${file}.lock`, dead);
    saveSession(gitDir, cliCopy);
    assert.equal(existsSync(`${file}.lock`), false);
    const stored = loadSession(gitDir, RITA, 'main', 'feature', head);
    assert.deepEqual(stored.visited.sort(), ['aaaa', 'bbbb']);
    assert.deepEqual({ ...stored.checked }, { security: true, tests: true });
    assert.equal(stored.revision, 2);
  });
});
