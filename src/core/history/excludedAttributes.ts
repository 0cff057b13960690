// Line counts git need not compute: the history settings exclude lockfiles, minified and
// generated files from every figure, yet `--numstat` diffs them (vite's pnpm-lock.yaml alone is
// three quarters of a year's numstat time). An attributes file of our own marks exactly those
// files `-diff`, so git counts them as binary ("-") without diffing them; rename pairing is by
// content, not by diff, so every other record is what it was. Only globs whose meaning is the
// same under git's attribute patterns are translated; the others are simply diffed as before.

import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachePath } from './indexCache';
import type { LogFileChange } from './logStreamParser';

/**
 * Whether git's line counts for this change may be ours rather than a plain diff's: a rename or
 * copy reported binary onto a path the settings keep, whose other side one of our attributes may
 * have marked. Such commits are counted again without the attributes (rare: a file moved out of
 * `dist/` or `vendor/`).
 */
export function maybeMarkedByUs(change: LogFileChange, excluded: (path: string) => boolean): boolean {
  return change.counted && change.added === null && change.oldPath !== null && change.oldPath !== change.path && !excluded(change.path);
}

const NAME = '[A-Za-z0-9._-]+';
const TRANSLATIONS: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  // `**/pnpm-lock.yaml`: a name at any depth; a pattern without a slash means that to git.
  [new RegExp(`^\\*\\*/(${NAME})$`), (m) => m[1]],
  // `**/*.min.js`: a name ending so at any depth (`*` never crosses a slash in either).
  [new RegExp(`^\\*\\*/\\*(${NAME})$`), (m) => `*${m[1]}`],
  // `**/dist/**`: everything under a folder of that name at any depth.
  [new RegExp(`^\\*\\*/(${NAME})/\\*\\*$`), (m) => `**/${m[1]}/**`],
];

/** The attribute lines for the globs that translate exactly (each file so marked is excluded by the glob). */
export function excludedAttributeLines(globs: readonly string[]): string[] {
  const out: string[] = [];
  for (const g of globs) {
    for (const [re, to] of TRANSLATIONS) {
      const m = re.exec(g);
      if (m) {
        out.push(`${to(m)} -diff`);
        break;
      }
    }
  }
  return out;
}

/**
 * Global options that make git skip the line counts of excluded files (`-c core.attributesFile=…`);
 * none when nothing translates or the file cannot be written (then git diffs them, only slower).
 * The file lives with the caches, so nothing is written when they are not in use.
 */
export function excludedAsBinaryArgs(globs: readonly string[], gitDir: string, useCache: boolean): string[] {
  const lines = excludedAttributeLines(globs);
  if (!useCache || lines.length === 0) return [];
  const text = lines.join('\n') + '\n';
  try {
    const dir = cachePath(gitDir, 'history');
    const file = join(dir, `excluded-${createHash('sha1').update(text).digest('hex').slice(0, 12)}.gitattributes`);
    let current: string | null = null;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = null;
    }
    if (current !== text) {
      // Whatever is in its place (damaged text, a folder) is ours and replaced.
      if (lstatSync(file, { throwIfNoEntry: false })?.isFile() === false) rmSync(file, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, text);
      try {
        renameSync(tmp, file);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
    }
    return ['-c', `core.attributesFile=${file}`];
  } catch {
    return [];
  }
}
