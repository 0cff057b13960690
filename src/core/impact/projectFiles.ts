// Project files (tsconfig/jsconfig) of a private analysis tree made safe for the language server:
// parsed with TypeScript's own JSONC parser, plugins stripped, and every extends, reference, file
// or include that resolves outside the tree dropped, so nothing outside it is loaded or read.

import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

type TypeScript = typeof import('typescript');
let tsModule: TypeScript | undefined;

/** TypeScript is large; it is loaded the first time a tree has a project file. */
function typescript(): TypeScript {
  tsModule ??= require('typescript') as TypeScript;
  return tsModule;
}

export interface SanitisedProject {
  /** The configuration to write; `{}` when the text is not an object at all. */
  config: Record<string, unknown>;
  /** What was removed, for the impact note ("compilerOptions.plugins", "extends ../x.json"). */
  dropped: string[];
  /** Whether the written text must differ from the original (something dropped or rewritten). */
  changed: boolean;
  /** Absolute paths of extended or referenced project files inside the tree, to sanitise in turn. */
  follow: string[];
}

/** File names the language server opens as projects by itself. */
export const PROJECT_FILE_RE = /^[jt]sconfig(\..+)?\.json$/i;

export function sanitizeProjectFile(text: string, file: string, treeRoot: string, exists: (abs: string) => boolean): SanitisedProject {
  const parsed = typescript().parseConfigFileTextToJson(file, text).config as unknown;
  const out: SanitisedProject = { config: {}, dropped: [], changed: false, follow: [] };
  if (!isObject(parsed)) {
    out.dropped.push('unreadable project file');
    out.changed = true;
    return out;
  }
  const config: Record<string, unknown> = { ...parsed };
  out.config = config;
  const dir = dirname(file);
  const inside = (p: string) => {
    const rel = relative(treeRoot, p);
    return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
  };
  const drop = (what: string) => {
    out.dropped.push(what);
    out.changed = true;
  };

  if (isObject(config.compilerOptions) && 'plugins' in config.compilerOptions) {
    const { plugins: _plugins, ...rest } = config.compilerOptions;
    config.compilerOptions = rest;
    drop('compilerOptions.plugins');
  }

  if (config.extends !== undefined) {
    const list = Array.isArray(config.extends) ? config.extends : [config.extends];
    const kept: string[] = [];
    for (const x of list) {
      const target = typeof x === 'string' ? resolveExtends(x, dir, inside, exists) : null;
      if (!target) {
        drop(`extends ${String(x)}`);
        continue;
      }
      kept.push(target.spec);
      if (target.spec !== x) out.changed = true;
      if (target.file) out.follow.push(target.file);
    }
    if (kept.length === 0) delete config.extends;
    else config.extends = Array.isArray(config.extends) ? kept : kept[0];
  }

  if (Array.isArray(config.references)) {
    config.references = config.references.filter((r) => {
      const p = isObject(r) && typeof r.path === 'string' ? resolve(dir, r.path) : null;
      if (!p || !inside(p)) {
        drop(`references ${isObject(r) ? String(r.path) : String(r)}`);
        return false;
      }
      const f = p.endsWith('.json') ? p : join(p, 'tsconfig.json');
      if (exists(f)) out.follow.push(f);
      return true;
    });
  }

  for (const key of ['files', 'include'] as const) {
    const v = config[key];
    if (!Array.isArray(v)) continue;
    config[key] = v.filter((x) => {
      if (typeof x === 'string' && inside(resolve(dir, x))) return true;
      drop(`${key} ${String(x)}`);
      return false;
    });
  }
  return out;
}

/**
 * Where an `extends` entry leads, if inside the tree: paths (./, ../, absolute) as TypeScript reads
 * them (".json" added when missing); package names looked up in node_modules folders from the
 * file's folder up to the tree's root only, and rewritten to the relative path found, so
 * TypeScript never searches above the tree.
 */
function resolveExtends(spec: string, dir: string, inside: (p: string) => boolean, exists: (p: string) => boolean): { spec: string; file: string | null } | null {
  const s = spec.replace(/\\/g, '/');
  if (s.startsWith('./') || s.startsWith('../') || isAbsolute(s)) {
    const p = resolve(dir, s);
    if (!inside(p)) return null;
    const file = [p, `${p}.json`].find(exists) ?? null;
    return { spec, file };
  }
  for (let d = dir; inside(d); d = dirname(d)) {
    const base = join(d, 'node_modules', s);
    const found = [base, `${base}.json`, join(base, 'tsconfig.json')].find((f) => inside(f) && exists(f));
    if (found) return { spec: `./${relative(dir, found).split(sep).join('/')}`, file: found };
    if (dirname(d) === d) break;
  }
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
