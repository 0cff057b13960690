// Predicates for data read back from JSON (caches, review sessions): every field is checked before
// use, so a damaged or foreign file is recognised at the door instead of failing deep inside.

import { OID_RE } from './git/refs';

export type Check = (v: unknown) => boolean;

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isString: Check = (v) => typeof v === 'string';
export const isBoolean: Check = (v) => typeof v === 'boolean';
export const isInteger: Check = (v) => Number.isInteger(v);
export const isOid: Check = (v) => typeof v === 'string' && OID_RE.test(v);

export const arrayOf = (check: Check): Check => (v) => Array.isArray(v) && v.every(check);
export const recordOf = (check: Check): Check => (v) => isRecord(v) && Object.values(v).every(check);
export const optional = (check: Check): Check => (v) => v === undefined || check(v);
export const oneOf = (...values: readonly unknown[]): Check => (v) => values.includes(v);

/** An object whose own fields pass their checks (other fields are allowed). */
export function shape(fields: Record<string, Check>): Check {
  return (v) => isRecord(v) && Object.entries(fields).every(([k, check]) => check(Object.prototype.hasOwnProperty.call(v, k) ? v[k] : undefined));
}
