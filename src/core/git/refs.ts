// Validation of refs and revisions that come from users or remotes, before git ever sees them:
// nothing that starts with "-" or contains revision syntax we do not support may reach git.

import { GitError } from './gitError';
import { printable } from '../printable';

/** A full 40/64-hex object id. */
export const OID_RE = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * Accepts branch/tag names, remote refs, object ids and the suffixes ~N / ^N; rejects anything that
 * could be read as an option or uses git's exotic revision syntax (`:/text`, `@{-1}`, ranges).
 */
export function validateRevision(rev: string, what = 'revision'): string {
  const fail = (why: string): never => {
    throw new GitError(`invalid ${what} '${printable(rev, 120)}': ${why}`, 'InvalidRef');
  };
  if (rev.length === 0) fail('empty');
  if (rev.length > 255) fail('too long');
  if (rev.startsWith('-')) fail('must not start with "-"');
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(rev.replace(/([~^]\d*)+$/, ''))) fail('contains a character git forbids in ref names');
  if (rev.includes('..')) fail('ranges are not accepted here; give base and head separately');
  if (rev.includes('@{')) fail('reflog syntax is not accepted');
  if (rev.endsWith('/') || rev.endsWith('.lock') || rev.endsWith('.') || rev.includes('//')) fail('not a valid ref name');
  return rev;
}

/** Validates a full ref name we create ourselves (refs/senior-review/...). */
export function validateRefName(ref: string): string {
  if (!/^refs\/[A-Za-z0-9._\/-]+$/.test(ref) || ref.includes('..') || ref.endsWith('.lock') || ref.endsWith('/')) {
    throw new GitError(`invalid ref name '${printable(ref, 120)}'`, 'InvalidRef');
  }
  return ref;
}

/** A pull request number given by a user or read from a remote: digits only, 1 to 999999999. */
export function validatePullNumber(text: string): number {
  if (!/^\d{1,9}$/.test(text) || Number(text) < 1) {
    throw new GitError(`invalid pull request number '${printable(text)}': must be between 1 and 999999999`, 'InvalidRef');
  }
  return Number(text);
}

