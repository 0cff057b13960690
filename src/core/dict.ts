// Records keyed by data we do not control (paths, checklist ids, hunk ids): objects without a
// prototype, so a key such as `constructor` or `__proto__` is an ordinary key and a missing one
// reads as undefined, never as a function inherited from Object.prototype.

export type Dict<T> = Record<string, T>;

export function newDict<T>(): Dict<T> {
  return Object.create(null) as Dict<T>;
}

/** A prototype-free copy of `record`'s own entries (an own `__proto__` key stays a key). */
export function toDict<T>(record: Readonly<Record<string, T>>): Dict<T> {
  return Object.assign(newDict<T>(), record);
}

export function dictFromEntries<T>(entries: Iterable<readonly [string, T]>): Dict<T> {
  const d = newDict<T>();
  for (const [k, v] of entries) d[k] = v;
  return d;
}

/** The value of an own property only: safe on records that still have a prototype. */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
