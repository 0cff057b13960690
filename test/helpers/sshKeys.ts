// Throwaway SSH signing keys made by ssh-keygen for the signed sign-off tests, and the repository
// setup that makes git sign commits with one of them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { RepoBuilder } from '../../src/demo/repoBuilder';

export interface SshKey {
  /** Path of the private key (git's user.signingKey). */
  file: string;
  /** The public key line: "ssh-ed25519 AAAA… comment". */
  pub: string;
}

const dirs: string[] = [];

export function sshKey(name: string): SshKey {
  const dir = mkdtempSync(join(tmpdir(), 'sr-key-'));
  dirs.push(dir);
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
  return { file, pub: readFileSync(`${file}.pub`, 'utf8').trim() };
}

export function cleanupKeys(): void {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
}

/** The reviewer's git signs every commit with `key` (commit.gpgSign, gpg.format ssh, user.signingKey). */
export async function signWith(r: RepoBuilder, key: SshKey, always = true): Promise<void> {
  await r.git('config', 'gpg.format', 'ssh');
  await r.git('config', 'user.signingKey', key.file);
  await r.git('config', 'commit.gpgSign', always ? 'true' : 'false');
}

/** An allowed-signers line: "email namespaces="git" ssh-ed25519 AAAA…". */
export function signerLine(email: string, key: SshKey): string {
  return `${email} namespaces="git" ${key.pub}\n`;
}
