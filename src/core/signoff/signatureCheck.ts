// The proof behind `verify --require-signature`: the sign-off commit carries an SSH signature that
// git verifies against the allowed-signers file of the BASE revision, made by the reviewer's key.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '../git/runGit';
import { RepoContext, readBlobAt } from '../git/repository';
import { RuleFailure, Reviewer } from './signoffRules';
import { readCommit } from './commitObject';

export interface SignatureOk {
  ok: true;
  /** The principal the allowed-signers file names for the key. */
  signer: string;
  fingerprint: string;
}

/**
 * The allowed-signers file is read from the base commit into a file of our own (never from the head
 * or the working tree: a change must not be able to authorize itself), and removed afterwards.
 */
export async function checkSignature(sha: string, reviewer: Reviewer, baseCommit: string, allowedSignersFile: string, ctx: RepoContext): Promise<RuleFailure | SignatureOk> {
  const short = sha.slice(0, 12);
  const kind = (await readCommit(sha, ctx)).signature;
  if (!kind) return { status: 'unsigned', reason: `sign-off ${short} is not signed (--require-signature)` };
  if (kind !== 'ssh') return { status: 'bad-signature', reason: `sign-off ${short} is not signed with an SSH key; --require-signature checks SSH signatures against ${allowedSignersFile}` };
  const signers = await readBlobAt(baseCommit, allowedSignersFile, ctx);
  if (signers === null) return { status: 'untrusted-signature', reason: `the base ${baseCommit.slice(0, 12)} has no allowed-signers file ${allowedSignersFile} (set allowedSignersFile in .senior-review.json)` };
  const dir = mkdtempSync(join(tmpdir(), 'sr-signers-'));
  try {
    const file = join(dir, 'allowed_signers');
    writeFileSync(file, signers, { flag: 'wx', mode: 0o600 });
    const out = await git(['-c', `gpg.ssh.allowedSignersFile=${file}`, 'show', '-s', '--no-show-signature', '--format=%G?%x1f%GS%x1f%GF', sha, '--'], ctx);
    const [result, principal, fingerprint] = out.replace(/\n$/, '').split('\x1f');
    const where = `${allowedSignersFile} at ${baseCommit.slice(0, 12)}`;
    if (result === 'G') {
      if (principal.toLowerCase() === reviewer.email.toLowerCase()) return { ok: true, signer: principal, fingerprint };
      return { status: 'untrusted-signature', reason: `sign-off ${short} is signed by the key of ${principal} in ${where}, not by the reviewer ${reviewer.text}` };
    }
    if (result === 'U') return { status: 'untrusted-signature', reason: `sign-off ${short} is signed with a key that ${where} does not list (${fingerprint})` };
    if (result === 'B') return { status: 'bad-signature', reason: `sign-off ${short} has a signature that does not match its content` };
    return { status: 'bad-signature', reason: `the signature of sign-off ${short} cannot be checked (git says ${result || 'nothing'}; is ssh-keygen installed?)` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
