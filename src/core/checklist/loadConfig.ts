// Reads the review configuration from the BASE revision (a change cannot weaken its own review),
// validates it against the shipped JSON Schema and merges it with the built-in checklist.

import type Ajv from 'ajv';
import schema from '../../../schemas/senior-review.schema.json';
import { RepoContext, readBlobAt } from '../git/repository';
import { ChecklistItem, ReviewConfig } from './checklistTypes';
import { DEFAULT_ITEMS } from './defaultChecklist';

export const CONFIG_FILE = '.senior-review.json';
export const DEFAULT_ALLOWED_SIGNERS = '.senior-review/allowed_signers';

export class ConfigError extends Error {}

let validator: ReturnType<Ajv['compile']> | null = null;

function validate(value: unknown): string | null {
  if (!validator) {
    // Loaded on first use: most CLI commands read no configuration, and loading it costs every start.
    const { default: AjvClass } = require('ajv') as { default: typeof Ajv };
    validator = new AjvClass({ allErrors: false, strict: false }).compile(schema);
  }
  if (validator(value)) return null;
  const e = validator.errors?.[0];
  return e ? `${e.instancePath || '(top level)'} ${e.message ?? 'is invalid'}` : 'is invalid';
}

interface RawItem extends Partial<ChecklistItem> {
  id: string;
  disabled?: boolean;
}

interface RawConfig {
  extendsDefaults?: boolean;
  items?: RawItem[];
  allowedReviewers?: string[];
  allowedSignersFile?: string;
  writeMode?: ReviewConfig['writeMode'];
  mustVisitRiskAtLeast?: ReviewConfig['mustVisitRiskAtLeast'];
  riskThresholds?: ReviewConfig['riskThresholds'];
  riskLevels?: ReviewConfig['riskLevels'];
  riskWeights?: ReviewConfig['riskWeights'];
}

export function parseConfig(text: string, source: string): ReviewConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${source}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const problem = validate(raw);
  if (problem) throw new ConfigError(`${source}: ${problem}`);
  const c = raw as RawConfig;
  // Two ways to draw the levels: one line saying so rather than one silently winning.
  if (c.riskThresholds && c.riskLevels) throw new ConfigError(`${source}: riskThresholds (fixed scores) and riskLevels (shares of this repository's changes) cannot both be set; keep one`);
  const shares = c.riskLevels ? (c.riskLevels.critical ?? 5) + (c.riskLevels.high ?? 15) + (c.riskLevels.medium ?? 30) : 0;
  if (shares > 100) throw new ConfigError(`${source}: riskLevels add up to ${shares}% of the changes (critical + high + medium must be at most 100)`);
  const items = new Map<string, ChecklistItem>();
  if (c.extendsDefaults !== false) for (const i of DEFAULT_ITEMS) items.set(i.id, i);
  for (const i of c.items ?? []) {
    if (i.disabled) {
      items.delete(i.id);
      continue;
    }
    const prev = items.get(i.id);
    items.set(i.id, {
      id: i.id,
      title: i.title ?? prev?.title ?? i.id,
      help: i.help ?? prev?.help ?? '',
      required: i.required ?? prev?.required ?? true,
      requiresNote: i.requiresNote ?? prev?.requiresNote ?? false,
      when: i.when ?? prev?.when,
    });
  }
  return {
    items: [...items.values()],
    allowedReviewers: c.allowedReviewers ?? [],
    allowedSignersFile: c.allowedSignersFile ?? DEFAULT_ALLOWED_SIGNERS,
    writeMode: c.writeMode ?? 'auto',
    mustVisitRiskAtLeast: c.mustVisitRiskAtLeast ?? 'high',
    riskThresholds: c.riskThresholds,
    riskLevels: c.riskLevels,
    riskWeights: c.riskWeights,
    source,
  };
}

export function defaultConfig(): ReviewConfig {
  return { items: DEFAULT_ITEMS, allowedReviewers: [], allowedSignersFile: DEFAULT_ALLOWED_SIGNERS, writeMode: 'auto', mustVisitRiskAtLeast: 'high', source: 'built-in checklist' };
}

/** The configuration at `baseCommit`, or the built-in one when the base has none. */
export async function loadConfig(baseCommit: string, ctx: RepoContext): Promise<ReviewConfig> {
  const blob = await readBlobAt(baseCommit, CONFIG_FILE, ctx);
  if (blob === null) return defaultConfig();
  return parseConfig(blob.toString('utf8'), `${CONFIG_FILE} at ${baseCommit.slice(0, 12)}`);
}
