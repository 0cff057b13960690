// Reasons that say exactly what they count, on repositories that reproduce each defect seen on real
// ones: a fix share over another window than its count, one author's facts on a range by several,
// one person under two emails called inactive, and a package.json template labelled a hotspot.
import assert from 'node:assert/strict';
import { analyzeChangeSet } from '../../../src/core/analysis/analyze';
import { ChangeSet, ChangedFile } from '../../../src/core/review/changeSetTypes';
import { FileHistory, HunkHistory } from '../../../src/core/history/historyTypes';
import { hoverMarkdown } from '../../../src/vscode/review/viewModel';
import { hotspotReport } from '../../../src/core/history/hotspotReport';
import { Person } from '../../../src/demo/repoBuilder';
import { tempRepo, cleanupRepos } from '../../helpers/repos';

const OLGA: Person = { name: 'Olga Old', email: 'olga@example.com' };
const NINA: Person = { name: 'Nina New', email: 'nina@example.com' };
const PAT: Person = { name: 'Pat Newcomer', email: 'pat@example.com' };

type Reasons = { reasons: Array<{ code: string; text: string }> };
const reason = (x: object, code: string) => ((x as { risk?: unknown }).risk as Reasons).reasons.find((r) => r.code === code)?.text;
const file = (cs: ChangeSet, path: string) => cs.files.find((f) => f.path === path)!;
const fh = (f: ChangedFile) => f.history as FileHistory;

const body = (tag: string, n = 12) => 'export function f() {\n' + Array.from({ length: n }, (_, i) => `  const v${i} = ${i}; // ${i === 5 ? tag : ''}`).join('\n') + '\n}\n';

describe('exact reasons', () => {
  after(cleanupRepos);

  it('counts fixes and their share over the same window, never a window count beside an all-time share', async () => {
    const r = await tempRepo('2020-01-01T00:00:00Z');
    // Six old fixes, long before the window; then four commits in the last 12 months, one a fix.
    for (let k = 0; k < 6; k++) await r.commit({ message: `fix: old bug ${k}`, author: OLGA, files: { 'src/a.ts': body(`old ${k}`) } });
    r.setDate('2024-01-01T00:00:00Z');
    for (let k = 0; k < 4; k++) await r.commit({ message: k === 2 ? 'fix: recent bug' : `work ${k}`, author: OLGA, files: { 'src/a.ts': body(`new ${k}`) } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'change it', author: OLGA, files: { 'src/a.ts': body('feature') } });
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature' });
    const a = file(cs, 'src/a.ts');
    assert.deepEqual(fh(a).fixes.window, 1);
    assert.deepEqual(fh(a).commits.window, 4);
    assert.equal(reason(a, 'fixes'), '1 of 4 commits in the last 12 months was a fix (25%)');
    assert.equal(reason(a.hunks[0], 'fixes'), '1 of 4 commits in the last 12 months was a fix (25%)');
    // The PR names the file its history comes from.
    assert.equal(reason(cs, 'fixes'), 'src/a.ts: 1 of 4 commits in the last 12 months was a fix (25%)');
  });

  it('gives author facts per author on a range by several authors', async () => {
    const r = await tempRepo('2024-01-01T00:00:00Z');
    for (let k = 0; k < 5; k++) await r.commit({ message: `work ${k}`, author: OLGA, files: { 'src/a.ts': body(`olga ${k}`) } });
    await r.commit({ message: 'elsewhere', author: NINA, files: { 'src/b.ts': body('nina') } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'one', author: OLGA, files: { 'src/a.ts': body('one') } });
    await r.commit({ message: 'two', author: NINA, files: { 'src/a.ts': body('two') } });
    await r.commit({ message: 'three', author: PAT, files: { 'src/a.ts': body('three') } });
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature' });
    assert.equal(reason(cs, 'new-to-file'), '2 of 3 authors never changed these files before');
    assert.equal(reason(cs, 'new-to-repo'), '1 of 3 authors never committed to the repository before');
    // One author keeps the singular words.
    await r.checkout('main');
    await r.branch('solo');
    await r.checkout('solo');
    await r.commit({ message: 'solo', author: PAT, files: { 'src/a.ts': body('solo') } });
    const solo = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'solo' });
    assert.equal(reason(solo, 'new-to-file'), 'author never changed these files before');
    assert.equal(reason(solo, 'new-to-repo'), 'first commit of the author to the repository');
  });

  it('merges one person\'s identities by full name when git has no mailmap for them, so an active maintainer is not called inactive', async () => {
    const r = await tempRepo('2023-01-01T00:00:00Z');
    const OLD_MAIL: Person = { name: 'Mark Maintainer', email: 'mark@old.example' };
    const NEW_MAIL: Person = { name: 'mark  maintainer', email: 'mark@new.example' };
    await r.commit({ message: 'core', author: OLD_MAIL, files: { 'src/core.ts': body('mark') } });
    await r.commit({ message: 'more core', author: OLD_MAIL, files: { 'src/core.ts': body('mark 2') } });
    // Three months before the base, under another email and a differently typed name.
    await r.commit({ message: 'other work', author: NEW_MAIL, date: '2024-03-01T00:00:00Z', files: { 'src/other.ts': body('x') } });
    await r.commit({ message: 'base', author: NINA, date: '2024-06-01T00:00:00Z', files: { 'src/nina.ts': body('n') } });
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({ message: 'touch core', author: NINA, files: { 'src/core.ts': body('nina') } });
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature' });
    const core = file(cs, 'src/core.ts');
    const owners = fh(core).ownership.authors;
    assert.deepEqual(owners.map((a) => [a.name, a.commits, a.active]), [['Mark Maintainer', 2, true]]);
    assert.equal(fh(core).ownership.inactiveAuthorShare, 0);
    const k = (core.hunks[0].history as HunkHistory).knowledgeLoss!;
    assert.equal(k.inactiveLines, 0, JSON.stringify(k));
    assert.doesNotMatch(hoverMarkdown(core, core.hunks[0], () => ''), /inactive/);
  });

  it('labels only program source a hotspot, at most the top 5% of source files, with its rank', async () => {
    const r = await tempRepo('2024-01-01T00:00:00Z');
    // Forty source files; a template's package.json and the changelog change in every commit.
    const files: Record<string, string> = {};
    for (let k = 0; k < 40; k++) files[`src/m${k}.ts`] = body(`m${k}`, 6 + (k % 7));
    await r.commit({ message: 'start', author: OLGA, files });
    for (let k = 0; k < 30; k++) {
      await r.commit({
        message: k % 3 ? `work ${k}` : `fix: bug ${k}`,
        author: OLGA,
        files: {
          'packages/create-app/template-react/package.json': `{\n  "name": "template",\n  "dependencies": {\n    "react": "^18.${k}.0"\n  }\n}\n`,
          'CHANGELOG.md': `- change ${k}\n`.repeat(k + 1),
          'src/m0.ts': body(`busy ${k}`, 6 + (k % 4)),
          [`src/m${1 + (k % 4)}.ts`]: body(`busy ${k}`, 6 + (k % 4)),
        },
      });
    }
    await r.branch('feature');
    await r.checkout('feature');
    await r.commit({
      message: 'bump',
      author: OLGA,
      files: { 'packages/create-app/template-react/package.json': '{\n  "name": "template",\n  "dependencies": {\n    "react": "^19.0.0"\n  }\n}\n', 'src/m0.ts': body('feature', 6) },
    });
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature' });
    const template = file(cs, 'packages/create-app/template-react/package.json');
    assert.equal(fh(template).hotspot.isHotspot, false, 'a manifest is no hotspot');
    const m0 = file(cs, 'src/m0.ts');
    assert.equal(fh(m0).hotspot.of, 40, 'ranked among the 40 source files only');
    assert.deepEqual([fh(m0).hotspot.rank, fh(m0).hotspot.isHotspot], [1, true]);
    // 5% of 40 source files: two at most, over the whole base.
    const report = await hotspotReport({ asOf: 'main' }, { cwd: r.dir });
    assert.equal(report.filesRanked, 40);
    const hot = report.files.filter((f) => f.hotspot.isHotspot).map((f) => f.path);
    assert.ok(hot.length >= 1 && hot.length <= 2 && hot[0] === 'src/m0.ts', hot.join(', '));
    assert.match(hoverMarkdown(m0, m0.hunks[0], () => ''), new RegExp(`hotspot #${fh(m0).hotspot.rank} of 40 source files`));
    assert.match(reason(m0, 'hotspot')!, new RegExp(`^hotspot #${fh(m0).hotspot.rank} of 40 source files: changed \\d+ times in the last 12 months$`));
  });
});
