// Signed sign-offs: approve signs with the reviewer's SSH key when their git is set up to sign, and
// `verify --require-signature` accepts only a signature by the reviewer's key as listed in the
// allowed-signers file of the BASE revision. Keys are throwaway ones made by ssh-keygen here.
// (SSH is the tested path: gpg is not installed by default on Debian.)
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cleanupRepos } from '../../helpers/repos';
import { featureRepo, trailersFor, userGit, ALL_CHECKS, AUTHOR, BOSS, REVIEWER } from '../../helpers/signoffRepo';
import { SshKey, cleanupKeys, signWith, signerLine, sshKey } from '../../helpers/sshKeys';
import { RepoBuilder } from '../../../src/demo/repoBuilder';
import { ConfigError, parseConfig } from '../../../src/core/checklist/loadConfig';

const SIGNERS = '.senior-review/allowed_signers';

/** feature by the author; main's tip (the base) lists the allowed signers at `path`. */
async function signedRepo(signers: string, opts: { path?: string; config?: object } = {}): Promise<RepoBuilder> {
  const r = await featureRepo(opts.config);
  await r.checkout('main');
  await r.commit({ message: 'allowed signers', author: AUTHOR, files: { [opts.path ?? SIGNERS]: signers } });
  await r.checkout('feature');
  return r;
}

async function verify(r: RepoBuilder, strict = true): Promise<{ code: number; status: string; reason: string; signer: string | null; stderr: string }> {
  const args = ['verify', '--repo', r.dir, '--base', 'main', '--head', 'feature', ...(strict ? ['--require-signature'] : [])];
  const text = await cli(args);
  const json = JSON.parse((await cli([...args, '--format', 'json'])).stdout);
  return { code: text.code, status: json.status, reason: json.reason, signer: json.signer, stderr: text.stderr };
}

/** git itself, as an oracle: verify-commit against the given allowed-signers text. */
function gitVerifies(r: RepoBuilder, signers: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'sr-oracle-'));
  try {
    writeFileSync(join(dir, 'signers'), signers);
    return spawnSync('git', ['-c', `gpg.ssh.allowedSignersFile=${join(dir, 'signers')}`, 'verify-commit', 'feature'], { cwd: r.dir }).status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('security: signed sign-offs', function () {
  this.timeout(120_000);
  let rita: SshKey;
  let boss: SshKey;
  let mallory: SshKey;
  before(() => {
    rita = sshKey('rita');
    boss = sshKey('boss');
    mallory = sshKey('mallory');
  });
  after(() => {
    cleanupRepos();
    cleanupKeys();
  });

  for (const mode of ['amend', 'commit'] as const) {
    it(`${mode}: signs when commit.gpgSign is set, and --require-signature accepts the reviewer's key from the base`, async () => {
      const r = await signedRepo(signerLine(REVIEWER.email, rita));
      await signWith(r, rita);
      const dry = await cli(['approve', '--repo', r.dir, '--mode', mode, ...ALL_CHECKS]);
      assert.match(dry.stdout, new RegExp(`^Signature: signed with ssh key ${rita.file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(commit.gpgSign is true\\)$`, 'm'));
      assert.match(dry.stdout, /^Senior-Review-Files: 2 files$/m);
      const a = await cli(['approve', '--repo', r.dir, '--mode', mode, ...ALL_CHECKS, '--yes']);
      assert.equal(a.code, 0, a.stderr);
      assert.match(a.stdout, /, signed\)\n$/);
      assert.equal(a.stderr, '');
      const v = await verify(r);
      assert.equal(v.code, 0, v.reason);
      assert.equal(v.signer, REVIEWER.email);
      assert.match(v.reason, /, signed by rita@example.com's key SHA256:/);
      assert.ok(gitVerifies(r, signerLine(REVIEWER.email, rita)), 'git verify-commit agrees');
    });
  }

  it('--sign signs without commit.gpgSign, --no-sign does not, and an unsigned sign-off fails --require-signature', async () => {
    const r = await signedRepo(signerLine(REVIEWER.email, rita));
    await signWith(r, rita, false);
    const dry = await cli(['approve', '--repo', r.dir, ...ALL_CHECKS]);
    assert.match(dry.stdout, /^Signature: unsigned \(commit.gpgSign is not set\)$/m);
    const unsigned = await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--yes']);
    assert.equal(unsigned.code, 0, unsigned.stderr);
    assert.equal((await verify(r, false)).status, 'valid');
    const v = await verify(r);
    assert.equal(v.code, 1);
    assert.match(v.stderr, /^senior-review verify: unsigned: sign-off [0-9a-f]{12} is not signed \(--require-signature\)\n$/);
    // Signing later re-approves the same diff (a valid unsigned sign-off is not "already approved" then).
    const signed = await cli(['approve', '--repo', r.dir, '--sign', '--yes']);
    assert.equal(signed.code, 0, signed.stderr);
    assert.equal((await verify(r)).status, 'valid');
    const again = await cli(['approve', '--repo', r.dir, '--sign', '--yes']);
    assert.match(again.stdout, /^already approved: /);
    const contradiction = await cli(['approve', '--repo', r.dir, '--sign', '--no-sign']);
    assert.equal(contradiction.code, 2);
    await signWith(r, rita, true);
    await r.commit({ message: 'more', author: AUTHOR, files: { 'src/b.ts': 'export const b = 5;\n' } });
    const optOut = await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--no-sign', '--yes']);
    assert.match(optOut.stdout, /^Signature: unsigned \(--no-sign\)$/m);
    assert.equal((await verify(r)).status, 'unsigned');
  });

  it('a forged committer passes plain verify but not --require-signature; a key of the author\'s own is untrusted', async () => {
    const r = await signedRepo(signerLine(BOSS.email, boss) + signerLine(REVIEWER.email, rita));
    const message = userGit(r.dir, ['log', '-1', '--format=%B']).trimEnd();
    const trailers = await trailersFor(r, BOSS);
    // The author writes Boss's trailers AND Boss as committer: text, all of it.
    userGit(r.dir, ['commit', '--amend', '-q', '--allow-empty', '--no-verify', '--cleanup=verbatim', '-F', '-'], { input: `${message}\n\n${trailers}`, committer: BOSS });
    assert.equal((await verify(r, false)).status, 'valid', 'without signatures verify proves consistency, not identity');
    assert.equal((await verify(r)).status, 'unsigned');
    // Now signed, with the author's own key.
    userGit(r.dir, ['-c', 'gpg.format=ssh', '-c', `user.signingKey=${mallory.file}`, 'commit', '--amend', '-q', '--allow-empty', '--no-verify', '--cleanup=verbatim', '-S', '-F', '-'], { input: `${message}\n\n${trailers}`, committer: BOSS });
    const v = await verify(r);
    assert.equal(v.code, 1);
    assert.match(v.stderr, /^senior-review verify: untrusted-signature: sign-off [0-9a-f]{12} is signed with a key that \.senior-review\/allowed_signers at [0-9a-f]{12} does not list \(SHA256:[^)]+\)\n$/);
  });

  it('a head that adds its own key to the allowed signers, or points the configuration elsewhere, cannot authorize itself', async () => {
    const r = await signedRepo(signerLine(REVIEWER.email, rita), { config: { allowedReviewers: [BOSS.email] } });
    // The author lists their own key under Boss's email, in the file and in a file of their choosing.
    await r.commit({ message: 'trust me', author: AUTHOR, files: {
      [SIGNERS]: signerLine(REVIEWER.email, rita) + signerLine(BOSS.email, mallory),
      '.mine/allowed_signers': signerLine(BOSS.email, mallory),
      '.senior-review.json': JSON.stringify({ allowedReviewers: [BOSS.email], allowedSignersFile: '.mine/allowed_signers' }),
    } });
    const message = 'Senior review sign-off for feature\n\n' + (await trailersFor(r, BOSS));
    userGit(r.dir, ['-c', 'gpg.format=ssh', '-c', `user.signingKey=${mallory.file}`, 'commit', '-q', '--allow-empty', '--no-verify', '-S', '-F', '-'], { input: message, committer: BOSS, author: BOSS });
    assert.ok(gitVerifies(r, signerLine(BOSS.email, mallory)), 'the signature is good against the head\'s own list');
    const v = await verify(r);
    assert.equal(v.code, 1);
    assert.equal(v.status, 'untrusted-signature');
    assert.match(v.reason, /does not list/);
    assert.match(v.reason, /\.senior-review\/allowed_signers at/, 'the base\'s file and path, not the head\'s');
  });

  it('the signer\'s principal must be the Reviewed-by email', async () => {
    const r = await signedRepo(signerLine('someone-else@example.com', rita));
    await signWith(r, rita);
    const a = await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--yes']);
    assert.equal(a.code, 0, a.stderr);
    // approve says at once what CI will say.
    assert.match(a.stderr, /^note: verify --require-signature would refuse this sign-off: untrusted-signature: /);
    const v = await verify(r);
    assert.equal(v.status, 'untrusted-signature');
    assert.match(v.reason, /is signed by the key of someone-else@example.com in \.senior-review\/allowed_signers at [0-9a-f]{12}, not by the reviewer Rita Reviewer <rita@example.com>$/);
  });

  it('reads the allowed signers from the configured path, and says when the base has none', async () => {
    const r = await signedRepo(signerLine(REVIEWER.email, rita), { path: '.github/allowed_signers', config: { allowedSignersFile: '.github/allowed_signers' } });
    await signWith(r, rita);
    assert.equal((await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--yes'])).code, 0);
    assert.equal((await verify(r)).status, 'valid');

    for (const bad of ['/etc/allowed_signers', '../outside', 'a/../../b', 'HEAD:file', '']) {
      assert.throws(() => parseConfig(JSON.stringify({ allowedSignersFile: bad }), 'test'), ConfigError, bad);
    }

    const none = await featureRepo();
    await signWith(none, rita);
    assert.equal((await cli(['approve', '--repo', none.dir, ...ALL_CHECKS, '--yes'])).code, 0);
    const v = await verify(none);
    assert.equal(v.status, 'untrusted-signature');
    assert.match(v.reason, /^the base [0-9a-f]{12} has no allowed-signers file \.senior-review\/allowed_signers \(set allowedSignersFile in \.senior-review\.json\)$/);
  });

  it('a signature that no longer matches its commit is bad', async () => {
    const r = await signedRepo(signerLine(REVIEWER.email, rita));
    await signWith(r, rita);
    assert.equal((await cli(['approve', '--repo', r.dir, '--mode', 'commit', ...ALL_CHECKS, '--yes'])).code, 0);
    // Same signature header, one word of the message changed, written as a commit object by hand.
    const raw = userGit(r.dir, ['cat-file', 'commit', 'feature']);
    const forged = execFileSync('git', ['hash-object', '-t', 'commit', '-w', '--stdin'], { cwd: r.dir, input: raw.replace('Approved ', 'Approval '), encoding: 'utf8' }).trim();
    userGit(r.dir, ['update-ref', 'refs/heads/feature', forged]);
    const v = await verify(r);
    assert.equal(v.status, 'bad-signature');
    assert.match(v.reason, /has a signature that does not match its content$/);
  });

  it('a key that cannot sign fails approve in one line and moves nothing', async () => {
    const r = await signedRepo(signerLine(REVIEWER.email, rita));
    await signWith(r, { file: join(tmpdir(), 'sr-no-such-key'), pub: '' });
    const tip = userGit(r.dir, ['rev-parse', 'feature']);
    const a = await cli(['approve', '--repo', r.dir, ...ALL_CHECKS, '--yes']);
    assert.equal(a.code, 1);
    assert.match(a.stderr, /^senior-review approve: could not sign the sign-off commit \(.*\): check user.signingKey and gpg.format, load the key into your agent, or pass --no-sign\n$/);
    assert.equal(userGit(r.dir, ['rev-parse', 'feature']), tip);
    assert.equal(userGit(r.dir, ['for-each-ref', 'refs/senior-review/attempt/']), '');
  });
});
