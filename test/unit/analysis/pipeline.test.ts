// The progressive pipeline on a real repository with the real language server: the tree's data
// first, then history with final levels (the required hunks never move after), then impact riskiest
// first with the numbers it changes marked pending until it arrives; a cancelled run resumes.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { runAnalysis } from '../../../src/core/analysis/pipeline';
import { AnalysisProgress, AnalysisStatus } from '../../../src/core/analysis/analysisStatus';
import { ChangeSet, ChangedFile, Hunk } from '../../../src/core/review/changeSetTypes';
import { Risk } from '../../../src/core/risk/scoreRisk';
import { mustVisitHunks } from '../../../src/core/checklist/evaluate';
import { computesCallers } from '../../../src/core/impact/servers';
import { RepoBuilder } from '../../../src/demo/repoBuilder';
import { cleanupRepos } from '../../helpers/repos';
import { fixtureProject } from './fixtureProject';
import { hoverMarkdown, lensText, scoreText } from '../../../src/vscode/review/viewModel';

const risk = (x: ChangeSet | ChangedFile | Hunk) => x.risk as Risk | undefined;
const hunks = (cs: ChangeSet) => cs.files.flatMap((f) => f.hunks);
/** The hunks callers are computed for: code (documentation and data get none, so never wait for them). */
const codeHunks = (cs: ChangeSet) => cs.files.filter((f) => computesCallers(f.path, [])).flatMap((f) => f.hunks);
const levels = (cs: ChangeSet) => JSON.stringify(cs.files.map((f) => [risk(f)?.level, risk(f)?.percentile, f.hunks.map((h) => [risk(h)?.level, risk(h)?.comparableScore])]));

describe('analysis pipeline', function () {
  this.timeout(240_000);
  let r: RepoBuilder;
  before(async () => {
    r = await fixtureProject();
  });
  after(cleanupRepos);

  it('announces the change set, then history with final levels, then impact riskiest first, then done', async () => {
    const seen: string[] = [];
    const progress: AnalysisProgress[] = [];
    let atHistory = '';
    let required: string[] = [];
    const impactOrder: Hunk[] = [];
    let live: ChangeSet | null = null;
    const cs = await runAnalysis({ repo: r.dir, base: 'main', head: 'feature', impact: {}, cache: false }, {
      changes: (c) => {
        live = c;
        seen.push('changes');
        assert.ok(c.files.length > 0 && hunks(c).every((h) => h.lines.length > 0 && h.risk === undefined && h.history === undefined));
        assert.deepEqual(c.status, { history: 'pending', impact: { state: 'pending', analysed: 0, total: codeHunks(c).length, truncated: 0 } });
        assert.ok(codeHunks(c).length < hunks(c).length, 'the fixture has hunks that are not code');
      },
      history: (c) => {
        seen.push('history');
        assert.equal((c.status as AnalysisStatus).history, 'done');
        // Levels are there, and the numbers impact will change say that they wait for it.
        assert.ok(codeHunks(c).every((h) => risk(h)?.level && risk(h)!.pending.join() === 'impact'));
        assert.ok(hunks(c).filter((h) => !codeHunks(c).includes(h)).every((h) => risk(h)?.level && risk(h)!.pending.length === 0), 'hunks without callers to wait for are final');
        assert.deepEqual(risk(c)!.pending, ['impact']);
        atHistory = levels(c);
        // What the views show meanwhile: the score as pending, the level as final, the callers' count to come.
        const [f] = c.files.filter((x) => x.path.endsWith('.ts'));
        const hover = hoverMarkdown(f, f.hunks[0], () => '', 12, c.status as AnalysisStatus);
        assert.equal(scoreText(risk(f.hunks[0])!), '…');
        assert.match(hover, new RegExp(`^\\*\\*Risk … — ${risk(f.hunks[0])!.level}\\*\\*`));
        assert.match(hover, new RegExp(`\\*\\*Callers\\*\\*: pending \\(callers: 0 of ${codeHunks(c).length} hunks analysed\\)`));
        assert.match(lensText(f, f.hunks[0]), /^risk … \(\w+\)/);
        required = mustVisitHunks(c, 'medium').map((h) => h.id);
      },
      impactHunk: (f, h) => {
        seen.push('impact');
        impactOrder.push(h);
        assert.ok(h.impact, 'the hunk has its impact');
        assert.deepEqual(risk(h)!.pending, [], 'its own score is final');
        if (f.hunks.every((x) => x.impact)) assert.deepEqual(risk(f)!.pending, [], "the file's score is final with its last hunk");
        assert.deepEqual(risk(live!)!.pending, ['impact'], "the PR's score waits for every hunk");
      },
      done: () => seen.push('done'),
      progress: (p) => progress.push(p),
    });
    assert.deepEqual([...new Set(seen)], ['changes', 'history', 'impact', 'done']);
    assert.equal(seen.filter((s) => s === 'impact').length, codeHunks(cs).length);
    // Riskiest first, by the score that is final after history.
    const scores = impactOrder.map((h) => risk(h)!.comparableScore);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    // Nothing the reviewer may have started on moved: levels, percentiles, compared scores, required hunks.
    assert.equal(levels(cs), atHistory);
    assert.deepEqual(mustVisitHunks(cs, 'medium').map((h) => h.id), required);
    assert.ok(hunks(cs).every((h) => risk(h)!.pending.length === 0) && risk(cs)!.pending.length === 0);
    const [f] = cs.files.filter((x) => x.path.endsWith('.ts'));
    assert.equal(scoreText(risk(f.hunks[0])!), String(risk(f.hunks[0])!.score));
    assert.doesNotMatch(hoverMarkdown(f, f.hunks[0], () => '', 12, cs.status as AnalysisStatus), /pending|…/);
    assert.deepEqual((cs.status as AnalysisStatus).impact, { state: 'done', analysed: codeHunks(cs).length, total: codeHunks(cs).length, truncated: 0 });
    const last = (phase: string) => progress.filter((p) => p.phase === phase).pop();
    assert.deepEqual(last('history'), { phase: 'history', done: cs.files.length, total: cs.files.length, detail: 'files' });
    assert.deepEqual(last('impact'), { phase: 'impact', done: codeHunks(cs).length, total: codeHunks(cs).length, detail: 'hunks' });
  });

  it('keeps what was announced when cancelled during impact, caches it as partial and resumes from it', async () => {
    const abort = new AbortController();
    let partial: ChangeSet | null = null;
    await assert.rejects(
      runAnalysis({ repo: r.dir, base: 'main', head: 'feature', impact: {}, signal: abort.signal }, {
        impactHunk: () => abort.abort(),
        history: (c) => { partial = c; },
      }),
    );
    assert.equal((partial!.status as AnalysisStatus).impact.state, 'pending', 'still marked pending');
    assert.deepEqual(risk(partial!)!.pending, ['impact']);
    const dir = join(r.dir, '.git', 'senior-review', 'analysis');
    const [file] = readdirSync(dir);
    assert.equal((JSON.parse(readFileSync(join(dir, file), 'utf8')) as { state: string }).state, 'partial');

    const resumed = await runAnalysis({ repo: r.dir, base: 'main', head: 'feature', impact: {} });
    assert.equal((resumed.timings as { analysis: string }).analysis, 'resumed');
    const fresh = await runAnalysis({ repo: r.dir, base: 'main', head: 'feature', impact: {}, analysisCache: false });
    const strip = (c: ChangeSet) => JSON.stringify({ ...c, timings: null });
    assert.equal(strip(resumed), strip(fresh));
    const warm = await runAnalysis({ repo: r.dir, base: 'main', head: 'feature', impact: {} });
    assert.equal((warm.timings as { analysis: string }).analysis, 'warm');
    assert.equal(strip(warm), strip(fresh));
  });
});
