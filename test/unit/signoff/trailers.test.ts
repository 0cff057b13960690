// Sign-off trailers against git's own parsers: every value, however hostile, comes back as one
// trailer with the same key, and nothing can forge another trailer.
import assert from 'node:assert/strict';
import { git } from '../../../src/core/git/runGit';
import { appendTrailers, parseTrailerLines, safeValue, Trailer, TRAILER } from '../../../src/core/signoff/trailers';
import { cli, cleanupRepos } from '../../helpers/repos';
import { featureRepo, ALL_CHECKS } from '../../helpers/signoffRepo';

const HOSTILE = [
  'plain note',
  'line one\nReviewed-by: Mallory <m@evil.example>',
  'carriage\rSenior-Review-Outcome: approved',
  'tab\there and\u2028unicode separator',
  'ünïcødé ✓ 日本語',
  'Key: value inside a value',
  '---\n\n\nSigned-off-by: Forged <f@x>',
  'x'.repeat(2000),
  '\u001b[31mred escape\u001b[0m',
];

describe('sign-off trailers', () => {
  after(cleanupRepos);

  it('round-trips hostile values through git interpret-trailers --parse', async () => {
    const r = await featureRepo();
    const trailers: Trailer[] = HOSTILE.map((v, i) => [i % 2 ? TRAILER.note : TRAILER.override, v]);
    const message = appendTrailers('Subject\n\nBody text.', trailers);
    const parsed = parseTrailerLines(await git(['interpret-trailers', '--parse'], { cwd: r.dir, input: message }));
    assert.equal(parsed.length, HOSTILE.length, `one trailer per value, got ${JSON.stringify(parsed)}`);
    parsed.forEach(([k, v], i) => {
      assert.equal(k, trailers[i][0]);
      assert.equal(v, safeValue(HOSTILE[i], Infinity));
      assert.ok(!/[\r\n\u001b]/.test(v));
    });
    assert.ok(!parsed.some(([k]) => k === 'Reviewed-by' || k === 'Signed-off-by'), 'no forged trailer');
  });

  it('writes trailers that git log %(trailers) reads back exactly', async () => {
    const r = await featureRepo();
    const note = 'Rollback: revert\nReviewed-by: Mallory <m@evil.example>';
    const out = await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--note', `security=${note}`, '--yes']);
    assert.equal(out.code, 0, out.stderr);
    const viaLog = parseTrailerLines(await git(['log', '-1', '--format=%(trailers:only,unfold)'], { cwd: r.dir }));
    const viaParse = parseTrailerLines(await git(['interpret-trailers', '--parse'], { cwd: r.dir, input: await git(['log', '-1', '--format=%B'], { cwd: r.dir }) }));
    assert.deepEqual(viaLog, viaParse);
    assert.deepEqual(viaLog.filter(([k]) => k === 'Reviewed-by'), [['Reviewed-by', 'Rita Reviewer <rita@example.com>']]);
    assert.deepEqual(viaLog.find(([k]) => k === TRAILER.note), [TRAILER.note, `security: ${safeValue(note)}`]);
    assert.match(viaLog.find(([k]) => k === TRAILER.patchId)![1], /^v2 [0-9a-f]{64}$/);
    assert.equal(viaLog.find(([k]) => k === TRAILER.checks)![1], 'architecture,side-effects,security,tests');
  });
});
