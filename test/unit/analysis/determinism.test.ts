// The same commits and options give the same JSON, whoever asks and whatever is checked out: two cold
// CLI runs (the head checked out in one, not in the other, with an untracked file calling the changed
// code beside it), a warm one and one from the passes' own caches differ only in `timings`; the
// editor's impact options are the CLI's.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, cleanupRepos } from '../../helpers/repos';
import { RepoBuilder } from '../../../src/demo/repoBuilder';
import { analyzeChangeSet } from '../../../src/core/analysis/analyze';
import { AnalyzeOptions, impactOptionsFromSettings, numbersKey } from '../../../src/core/analysis/analysisOptions';
import { impactOptionsFromFlags } from '../../../src/cli/impactFlags';
import { historyOptionsFromFlags } from '../../../src/cli/historyFlags';
import { fixtureProject } from './fixtureProject';

const withoutTimings = (json: string): string => {
  const v = JSON.parse(json) as { timings?: unknown };
  delete v.timings;
  return JSON.stringify(v, null, 1);
};

/** The package.json default of a `seniorReview.*` setting, as VS Code would read it. */
function settingDefault(name: string): unknown {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, { default: unknown }> } } };
  return pkg.contributes.configuration.properties[`seniorReview.${name}`].default;
}

describe('analysis determinism', function () {
  this.timeout(240_000);
  let r: RepoBuilder;
  before(async () => {
    r = await fixtureProject();
  });
  after(cleanupRepos);

  it('prints the same JSON cold, cold with the head checked out, and warm, apart from timings', async () => {
    const cache = join(r.dir, '.git', 'senior-review');
    const args = ['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature'];
    rmSync(cache, { recursive: true, force: true });
    const cold = await cli(args);
    assert.equal(cold.code, 0, cold.stderr);
    await r.checkout('feature');
    // In the checkout, not in the commit: a caller the reviewer's working tree has and the head does not.
    writeFileSync(join(r.dir, 'src', 'scratch.ts'), "import { total } from './lib';\nexport const t = () => total([1]);\n");
    rmSync(cache, { recursive: true, force: true });
    const checkedOut = await cli(args);
    assert.equal(checkedOut.code, 0, checkedOut.stderr);
    const warm = await cli(args);
    assert.equal(warm.code, 0, warm.stderr);
    // The whole analysis again, every hunk's impact and the history from their own caches (no server runs).
    rmSync(join(cache, 'analysis'), { recursive: true, force: true });
    const passCaches = await cli(args);
    assert.equal(passCaches.code, 0, passCaches.stderr);
    rmSync(join(r.dir, 'src', 'scratch.ts'));
    await r.checkout('main');

    const timings = [cold, checkedOut, warm, passCaches].map((x) => (JSON.parse(x.stdout) as { timings: { analysis: string } }).timings.analysis);
    assert.deepEqual(timings, ['cold', 'cold', 'warm', 'cold']);
    const parsed = JSON.parse(cold.stdout) as { files: Array<{ path: string; hunks: Array<{ impact: { source: string; transitiveCallers: number } }> }> };
    const code = parsed.files.filter((f) => f.path.endsWith('.ts')).flatMap((f) => f.hunks);
    assert.ok(code.length > 0 && code.every((h) => h.impact.source === 'lsp') && code.some((h) => h.impact.transitiveCallers > 0), 'the language server found callers');
    assert.equal(withoutTimings(checkedOut.stdout), withoutTimings(cold.stdout));
    assert.equal(withoutTimings(warm.stdout), withoutTimings(cold.stdout));
    assert.equal(withoutTimings(passCaches.stdout), withoutTimings(cold.stdout));
  });

  it('writes nothing under the git directory with --no-cache', async () => {
    rmSync(join(r.dir, '.git', 'senior-review'), { recursive: true, force: true });
    const run = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--no-impact', '--no-cache']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(existsSync(join(r.dir, '.git', 'senior-review', 'analysis')), false);
  });

  it("gives the editor's settings the CLI's impact options, whatever the workspace trust", () => {
    // The editor maps its settings (their package.json defaults here) through impactOptionsFromSettings.
    const editor: AnalyzeOptions = {
      repo: r.dir,
      history: { windowMonths: settingDefault('history.windowMonths') as number, inactiveMonths: settingDefault('history.inactiveMonths') as number, hotspotTopPercent: settingDefault('history.hotspotTopPercent') as number },
      impact: impactOptionsFromSettings({ maxDepth: settingDefault('impact.maxDepth') as number, servers: settingDefault('impact.languageServers') as [], serverTimeoutMs: (settingDefault('impact.serverTimeoutSeconds') as number) * 1000 }),
    };
    const cliOpts: AnalyzeOptions = { repo: r.dir, history: historyOptionsFromFlags({}), impact: impactOptionsFromFlags({}) };
    assert.equal(numbersKey(editor), numbersKey(cliOpts));
    assert.equal((editor.impact as { trusted: boolean }).trusted, false);
  });

  it("counts the callers of the commit, not of the reviewer's checkout, with the editor's options", async () => {
    await r.checkout('feature');
    writeFileSync(join(r.dir, 'src', 'scratch.ts'), "import { total } from './lib';\nexport const t = () => total([1]);\n");
    try {
      const impact = impactOptionsFromSettings({ maxDepth: 5, servers: [], serverTimeoutMs: 60_000 });
      const editor = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, cache: false, impact: { ...impact, useCache: false } });
      await r.checkout('main');
      const cliRun = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, cache: false, impact: { ...impactOptionsFromFlags({}), useCache: false } });
      const callers = (cs: typeof editor) => cs.files.flatMap((f) => f.hunks.map((h) => JSON.stringify((h.impact as { callers: unknown[] } | undefined)?.callers ?? null)));
      assert.deepEqual(callers(editor), callers(cliRun));
      assert.ok(!JSON.stringify(editor.impact).includes('scratch.ts'), 'an untracked file of the checkout is no caller of the commit');
    } finally {
      rmSync(join(r.dir, 'src', 'scratch.ts'), { force: true });
      await r.checkout('main');
    }
  });
});
