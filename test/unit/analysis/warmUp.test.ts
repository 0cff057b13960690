// The pipeline loads the language server's projects while history runs: the numbers are those of a
// run that waits for history (every field apart from timings), --no-impact starts nothing, and a
// cancelled run leaves no server running.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { runAnalysis } from '../../../src/core/analysis/pipeline';
import { ChangeSet } from '../../../src/core/review/changeSetTypes';
import { silentLogger } from '../../../src/core/logger';
import { RepoBuilder } from '../../../src/demo/repoBuilder';
import { cleanupRepos } from '../../helpers/repos';
import { fixtureProject } from './fixtureProject';

const withoutTimings = (cs: ChangeSet) => JSON.stringify({ ...cs, timings: null });
const passes = (cs: ChangeSet) => (cs.timings as { passes: Record<string, Record<string, unknown>> }).passes;

/** Processes working in a folder under `dir` (a language server runs in its analysis tree). */
function processesUnder(dir: string): number[] {
  const prefix = `${realpathSync(dir)}/`;
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
    try {
      return `${readlinkSync(`/proc/${d}/cwd`)}/`.startsWith(prefix);
    } catch {
      return false;
    }
  }).map(Number);
}

describe('impact warm-up in the pipeline', function () {
  this.timeout(300_000);
  let r: RepoBuilder;
  before(async () => {
    r = await fixtureProject();
  });
  after(cleanupRepos);

  it('gives the numbers of a run that starts the server after history', async () => {
    const opts = { repo: r.dir, base: 'main', head: 'feature', impact: {}, cache: false };
    const warmed = await runAnalysis(opts);
    // How far the warm-up got before history was done depends on the machine; what it loaded is reported.
    assert.equal(typeof passes(warmed).warmUp?.files, 'number');
    const waited = await runAnalysis({ ...opts, impactWarmUp: false });
    assert.equal(passes(waited).warmUp?.files, 0);
    assert.equal(withoutTimings(warmed), withoutTimings(waited));
  });

  it('starts nothing with impact off', async () => {
    const trees = join(r.dir, '.git', 'senior-review', 'trees');
    const cs = await runAnalysis({ repo: r.dir, base: 'main', head: 'feature', impact: false, cache: false });
    assert.equal(passes(cs).warmUp, undefined);
    assert.equal(existsSync(trees), false, 'no analysis tree was made');
  });

  it('ends the server the warm-up started when cancelled during history', async () => {
    const abort = new AbortController();
    let started = false;
    // Cancelled as soon as the warm-up's server is up, while history runs or right after.
    const logger = { ...silentLogger, info: (m: string) => { if (/ready in/.test(m)) { started = true; abort.abort(); } } };
    await assert.rejects(runAnalysis({ repo: r.dir, base: 'main', head: 'feature', impact: { useCache: false }, analysisCache: false, logger, signal: abort.signal }));
    assert.ok(started, 'the server had started');
    assert.ok(existsSync(join(r.dir, '.git', 'senior-review', 'trees')), 'its analysis tree is under the git directory');
    assert.deepEqual(processesUnder(r.dir), []);
  });
});
