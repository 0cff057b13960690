// Whether approve signs the sign-off commit, and with what: the reviewer's own git signing setup
// (commit.gpgSign, gpg.format, user.signingKey), or --sign / --no-sign given for this approval.

import { runGit } from '../git/runGit';
import { RepoContext } from '../git/repository';

export interface SigningSetup {
  sign: boolean;
  /** gpg.format: openpgp (the default), ssh or x509. */
  format: string;
  /** user.signingKey as configured (a key id, a key file, or "key::<public key>"), or null for git's default. */
  key: string | null;
  /** Why it signs or not, for the confirmation. */
  why: string;
}

async function configValue(key: string, ctx: RepoContext, type?: 'bool'): Promise<string | null> {
  const r = await runGit(['config', ...(type ? [`--type=${type}`] : []), '--get', key], { ...ctx, okExitCodes: [1] });
  const v = r.stdout.toString('utf8').trim();
  return r.exitCode === 0 && v ? v : null;
}

/** `requested`: true for --sign, false for --no-sign, undefined to follow commit.gpgSign. */
export async function signingSetup(ctx: RepoContext, requested?: boolean): Promise<SigningSetup> {
  const configured = (await configValue('commit.gpgSign', ctx, 'bool')) === 'true';
  const format = (await configValue('gpg.format', ctx)) ?? 'openpgp';
  const key = await configValue('user.signingKey', ctx);
  const sign = requested ?? configured;
  const why = requested === true ? '--sign' : requested === false ? '--no-sign' : configured ? 'commit.gpgSign is true' : 'commit.gpgSign is not set';
  return { sign, format, key, why };
}

/** "signed with ssh key ~/.ssh/id_ed25519.pub (commit.gpgSign is true)" or "unsigned (…)". */
export function describeSigning(s: SigningSetup): string {
  if (!s.sign) return `unsigned (${s.why})`;
  const kind = s.format === 'openpgp' ? 'gpg' : s.format;
  let key = s.key ?? 'the default key';
  const literal = /^key::(\S+) (\S+)/.exec(key);
  if (literal) key = `${literal[1]} …${literal[2].slice(-12)}`;
  return `signed with ${kind} key ${key} (${s.why})`;
}
