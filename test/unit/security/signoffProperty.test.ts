// approve ⇒ verify, as a property: generated reviewers (long, unicode, odd characters), notes and
// head messages (empty, no subject, trailer-like lines, CRLF, `---`, existing trailers). Whenever
// approve exits 0, verify says valid and git's own `interpret-trailers --parse` reads our trailers
// back; whenever it refuses, it says so in one line and the branch has not moved.
// SR_PROPERTY_SEED and SR_PROPERTY_RUNS replay or widen a run.
import assert from 'node:assert/strict';
import { cli, cleanupRepos, tempRepo } from '../../helpers/repos';
import { AUTHOR, REVIEWER } from '../../helpers/signoffRepo';
import { RepoBuilder } from '../../../src/demo/repoBuilder';
import { parseTrailerLines } from '../../../src/core/signoff/trailers';
import { seededRandom } from '../../../src/core/seededRandom';

const NAMES = [
  REVIEWER.name, 'Ünïcødé Rëviewer 日本語 ✓', `${'Long'.repeat(120)} Name`, 'Dr. Who, Jr.', "O'Brien", 'Rita.', '  spaced   out  ',
  'Reviewed-by: Mallory', 'a<b>c', '"quoted"', 'tab\there', 'Senior-Review-Outcome: approved', '…', 'x',
];
const EMAILS = [
  REVIEWER.email, 'RITA@Example.COM', 'r.ita+tag@example.co.uk', 'ünï@example.com', `${'a'.repeat(300)}@example.com`, "o'neil@example.com",
  'rita@example.com.', '.rita@example.com', AUTHOR.email, 'x@y', 'no-at-sign', 'two@@at.example',
];
const NOTES = [
  'plain note', 'line one\nReviewed-by: Mallory <m@evil.example>', 'carriage\rSenior-Review-Outcome: rejected', '---\n\nSigned-off-by: F <f@x>',
  'x'.repeat(900), 'ünïcødé ✓', '', '   ', 'Senior-Review-Patch-Id: v2 ' + '0'.repeat(64),
];
const MESSAGE_PARTS = [
  '', '\n', 'Subject line', '\n\nbody without a subject', 'Key: value', 'Subject\nKey: value', 'Subject\r\n\r\nCRLF body\r\n', 'Subject\n\n---\nbelow the line',
  'Subject\n\nSigned-off-by: Ada Author <ada@example.com>', 'Subject\n\nReviewed-by: Mallory <m@evil.example>\nSenior-Review-Outcome: rejected',
  `Subject\n\nSenior-Review-Patch-Id: v2 ${'f'.repeat(64)}`, 'trailing: trailer-like\nlines: here', '# not a comment in a commit', 'Subject\n\n\n\n',
  `${'S'.repeat(300)}\n\nlong subject`, '(cherry picked from commit 0123456789abcdef0123456789abcdef01234567)',
];

interface Case {
  name: string;
  email: string;
  note: string | null;
  message: string;
  mode: 'amend' | 'commit' | null;
}

function makeCase(rnd: () => number): Case {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const parts = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(MESSAGE_PARTS));
  return {
    name: pick(NAMES),
    email: pick(EMAILS),
    note: rnd() < 0.6 ? pick(NOTES) : null,
    message: parts.join(rnd() < 0.5 ? '\n' : '\n\n'),
    mode: pick(['amend', 'commit', null] as const),
  };
}

async function propertyRepo(): Promise<RepoBuilder> {
  const r = await tempRepo('2025-01-01T00:00:00Z');
  await r.commit({ message: 'base', author: AUTHOR, files: { 'a.txt': 'one\n' } });
  return r;
}

/** A branch whose single commit by the author carries exactly `message` (commit-tree keeps it verbatim). */
async function branchWithMessage(r: RepoBuilder, branch: string, message: string, content: string): Promise<string> {
  const blob = (await r.gitRaw(['hash-object', '-w', '--stdin'], content)).toString().trim();
  const tree = (await r.gitRaw(['mktree'], `100644 blob ${blob}\ta.txt\n`)).toString().trim();
  const commit = (await r.gitRaw(['-c', `user.name=${AUTHOR.name}`, '-c', `user.email=${AUTHOR.email}`, 'commit-tree', tree, '-p', 'main'], message)).toString().trim();
  await r.git('branch', branch, commit);
  return commit;
}

describe('security: approve ⇒ verify (property)', function () {
  this.timeout(600_000);
  after(cleanupRepos);

  it('never writes a sign-off that verify rejects or git reads differently', async () => {
    const seed = Number(process.env.SR_PROPERTY_SEED ?? 20250214);
    const runs = Number(process.env.SR_PROPERTY_RUNS ?? 48);
    const rnd = seededRandom(seed);
    const r = await propertyRepo();
    let written = 0;
    for (let i = 0; i < runs; i++) {
      const c = makeCase(rnd);
      const branch = `p${i}`;
      const tip = await branchWithMessage(r, branch, c.message, `one\ncase ${i}\n`);
      const args = ['approve', '--repo', r.dir, '--base', 'main', '--head', branch, '--reviewer', `${c.name} <${c.email}>`, '--check', 'architecture', '--check', 'side-effects', '--check', 'security', '--check', 'tests', '--yes'];
      if (c.note !== null) args.push('--note', `security=${c.note}`);
      if (c.mode) args.push('--mode', c.mode);
      const a = await cli(args);
      const what = `seed ${seed} case ${i}: ${JSON.stringify(c)}\napprove: ${a.code} ${a.stdout}${a.stderr}`;
      if (a.code !== 0) {
        assert.ok(a.code === 1 || a.code === 2, what);
        // The last-moment check before the branch moves is a safety net: the plan must have refused already.
        assert.doesNotMatch(a.stderr, /would not verify/, what);
        assert.equal(a.stderr.split('\n').filter(Boolean).length, 1, what);
        assert.equal((await r.git('rev-parse', branch)).trim(), tip, `the branch moved: ${what}`);
        continue;
      }
      written++;
      const v = await cli(['verify', '--repo', r.dir, '--base', 'main', '--head', branch, '--format', 'json']);
      const result = JSON.parse(v.stdout);
      assert.equal(result.status, 'valid', `${what}\nverify: ${result.reason}`);
      // git's own reading of the message agrees with what approve announced.
      const announced = /^Reviewed-by: (.*)$/m.exec(a.stdout)?.[1];
      const message = await r.git('log', '-1', '--format=%B', branch);
      const parsed = parseTrailerLines(await gitParse(r, message));
      const last = (k: string) => parsed.filter(([key]) => key === k).pop()?.[1];
      assert.equal(last('Reviewed-by'), announced, what);
      assert.equal(last('Senior-Review-Patch-Id'), result.currentPatchId, what);
      assert.match(last('Senior-Review-Outcome') ?? '', /^approved/, what);
      assert.ok((last('Reviewed-by') ?? '').length <= 400, what);
    }
    assert.ok(written >= runs / 3, `only ${written} of ${runs} approvals were written: the generator mostly makes refusals`);
  });

  // The fuzzer's findings (issue #14), each as a fixed case.
  for (const [what, reviewer, message, mode] of [
    ['a reviewer name over 400 characters', `${'N'.repeat(450)} <rita@example.com>`, 'Subject\n', 'amend'],
    ['a head message without a subject line', `${REVIEWER.name} <${REVIEWER.email}>`, '\n\nbody without a subject\n', null],
    ['a head message that is one trailer-like line', `${REVIEWER.name} <${REVIEWER.email}>`, 'Key: value', null],
    ['an empty head message', `${REVIEWER.name} <${REVIEWER.email}>`, '', null],
    ['a head message with a "---" line', `${REVIEWER.name} <${REVIEWER.email}>`, 'Subject\n\n---\nnotes\n', null],
  ] as const) {
    it(`writes a sign-off verify accepts for ${what}`, async () => {
      const r = await propertyRepo();
      await branchWithMessage(r, 'f', message, 'two\n');
      const a = await cli(['approve', '--repo', r.dir, '--base', 'main', '--head', 'f', '--reviewer', reviewer, '--check', 'architecture', '--check', 'side-effects', '--check', 'security', '--check', 'tests', '--yes', ...(mode ? ['--mode', mode] : [])]);
      assert.equal(a.code, 0, a.stderr);
      const reviewedBy = /^Reviewed-by: (.*)$/m.exec(a.stdout)![1];
      assert.ok([...reviewedBy].length <= 400 && reviewedBy.endsWith('… <rita@example.com>') === (what === 'a reviewer name over 400 characters'), reviewedBy);
      const v = await cli(['verify', '--repo', r.dir, '--base', 'main', '--head', 'f']);
      assert.equal(v.code, 0, v.stderr);
      const parsed = parseTrailerLines(await gitParse(r, await r.git('log', '-1', '--format=%B', 'f')));
      assert.equal(parsed.filter(([k]) => k === 'Reviewed-by').pop()?.[1], reviewedBy);
    });
  }
});

async function gitParse(r: RepoBuilder, message: string): Promise<string> {
  return (await r.gitRaw(['interpret-trailers', '--parse'], message)).toString('utf8');
}
