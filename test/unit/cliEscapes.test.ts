// Terminal escape sequences and other control characters that a pull request puts in file names,
// commit subjects, file content or configuration reach the reviewer's terminal escaped (`\x1b`),
// never raw, in every text output of the CLI and in its error lines.
import assert from 'node:assert/strict';
import { RepoBuilder } from '../../src/demo/repoBuilder';
import { cli, cleanupRepos, tempRepo } from '../helpers/repos';

// Code (Python: a text search, no server), since documentation and text files get no impact line.
const ESC_NAME = 'evil\x1b]0;pwned\x07\x1b[31m\nred.py';
const SOURCE_NAME = 'src/evil\x1b]0;pwned\x07.js';
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

async function hostileRepo(): Promise<RepoBuilder> {
  const r = await tempRepo('2025-01-01T00:00:00Z');
  const config = { mustVisitRiskAtLeast: 'low', items: [{ id: 'legal', title: 'Licence \x1b[2J checked' }] };
  // Program source with a hostile name and a history, so the hotspot table (source files only) lists it.
  await r.commit({ message: 'base', files: { 'notes.txt': 'one\n', '.senior-review.json': JSON.stringify(config), [SOURCE_NAME]: 'export function f(a) {\n  if (a) return 1;\n  return 2;\n}\n' } });
  await r.commit({ message: 'fix: base history', files: { 'notes.txt': 'one\ntwo\n', [SOURCE_NAME]: 'export function f(a) {\n  if (a) return 1;\n  if (!a) return 3;\n  return 2;\n}\n' } });
  await r.branch('feature');
  await r.checkout('feature');
  await r.commit({ message: 'subject \x1b[41mred\x1b[0m \u202eevil', author: { name: 'Mal \x1b[5mlory', email: 'mal@example.com' }, files: {
    [ESC_NAME]: 'function \x1b[2Jclear() {\n  return 1;\n}\n',
    'notes.txt': 'one\ntwo\nthree\n',
  } });
  await r.git('config', 'user.name', 'Rita Reviewer');
  await r.git('config', 'user.email', 'rita@example.com');
  return r;
}

function assertInert(label: string, text: string): void {
  const m = CONTROL.exec(text);
  assert.equal(m, null, `${label}: raw control character U+${m?.[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m?.index} in ${JSON.stringify(text.slice(Math.max(0, (m?.index ?? 0) - 40), (m?.index ?? 0) + 20))}`);
}

describe('cli output with hostile text', () => {
  after(cleanupRepos);

  it('escapes control characters in every text output', async function () {
    this.timeout(120_000);
    const r = await hostileRepo();
    const range = ['--repo', r.dir, '--base', 'main', '--head', 'feature'];
    const runs: Array<[string, string[], RegExp]> = [
      ['impact text', ['impact', ...range, '--format', 'text'], /evil\\x1b\]0;pwned\\x07\\x1b\[31m\\x0ared\.py/],
      ['analyze markdown', ['analyze', ...range, '--format', 'markdown', '--no-impact'], /evil\\\\x1b/],
      ['hotspots table', ['hotspots', '--repo', r.dir, '--as-of', 'feature'], /evil\\x1b\]0;pwned\\x07/],
      ['checklist text', ['checklist', ...range], /Licence \\x1b\[2J checked[^]*evil\\x1b/],
      ['approve refusal', ['approve', ...range, '--yes'], /evil\\x1b/],
      ['approve dry run', ['approve', ...range, '--check', 'legal', '--check', 'architecture', '--check', 'side-effects', '--check', 'security', '--check', 'tests', '--visit-all'], /Sign-off for feature/],
      ['backtest table', ['backtest', '--repo', r.dir, '--format', 'table'], /subject \\x1b\[41mred\\x1b\[0m \\u\{202e\}evil/],
      ['unknown item', ['approve', ...range, '--check', 'x\x1b[2Jy'], /--check x\\x1b\[2Jy: no such checklist item/],
      ['unknown command', ['\x1b[2Jnope'], /unknown command '\\x1b\[2Jnope'/],
      ['bad format', ['analyze', ...range, '--format', '\x1b[2J'], /--format must be one of json, markdown \(got '\\x1b\[2J'\)/],
    ];
    for (const [label, args, shown] of runs) {
      const out = await cli(args);
      assertInert(`${label} stdout`, out.stdout);
      assertInert(`${label} stderr`, out.stderr);
      assert.match(out.stdout + out.stderr, shown, `${label}: ${out.stdout}${out.stderr}`);
    }
  });

  it('escapes a forged reviewer in the reason verify prints', async () => {
    const r = await hostileRepo();
    // The author writes a sign-off of their own whose reviewer carries escape sequences.
    await r.commit({ message: `more\n\nReviewed-by: Boss \x1b[2J\x1b]0;owned\x07 <boss@example.com>\nSenior-Review-Outcome: approved\nSenior-Review-Patch-Id: v2 ${'0'.repeat(64)}\n`, author: { name: 'Mal', email: 'mal@example.com' }, files: { 'notes.txt': 'four\n' } });
    const v = await cli(['verify', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(v.code, 1);
    assertInert('verify', v.stdout + v.stderr);
    assert.match(v.stderr, /^senior-review verify: stale: the diff changed since it was approved by Boss \\x1b\[2J\\x1b\]0;owned\\x07 <boss@example\.com>/);
  });
});
