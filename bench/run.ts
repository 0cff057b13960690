// `npm run bench`: runs every benchmark, each comparing against its baseline in the same run, and
// writes all figures to bench/results.json. Benchmarks needing a real repository read its path
// from an environment variable and are reported as skipped (with the reason) when it is absent.

import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchResult {
  name: string;
  skipped?: string;
  figures: Record<string, unknown>;
  targets?: Array<{ what: string; value: number; limit: number; unit: string; met: boolean }>;
}

export type Bench = { name: string; run: () => Promise<BenchResult> };

// Each area adds its benchmark module here.
const BENCHES: Array<() => Promise<Bench>> = [
  async () => (await import('./changeSetBench.js')).bench,
  async () => (await import('./historyBench.js')).bench,
  async () => (await import('./riskBench.js')).bench,
  async () => (await import('./riskCeilingBench.js')).bench,
  async () => (await import('./levelsBench.js')).bench,
  async () => (await import('./impactBench.js')).bench,
  async () => (await import('./analyzeBench.js')).bench,
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const results: BenchResult[] = [];
  for (const load of BENCHES) {
    const bench = await load();
    if (only.length && !only.includes(bench.name)) continue;
    process.stderr.write(`bench ${bench.name}…\n`);
    try {
      const r = await bench.run();
      results.push(r);
      for (const t of r.targets ?? []) process.stderr.write(`  ${t.met ? 'met' : 'MISSED'}: ${t.what} = ${t.value} ${t.unit} (limit ${t.limit})\n`);
      if (r.skipped) process.stderr.write(`  skipped: ${r.skipped}\n`);
    } catch (e) {
      results.push({ name: bench.name, skipped: `failed: ${(e as Error).message}`, figures: {} });
      process.stderr.write(`  failed: ${(e as Error).message}\n`);
    }
  }
  const dir = join(__dirname, '..', '..', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'results.json');
  // Benchmarks run one at a time keep the other areas' latest figures.
  const previous: BenchResult[] = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')).results ?? []) : [];
  const merged = [...previous.filter((p) => !results.some((r) => r.name === p.name)), ...results.map((r) => ({ ...r, date: new Date().toISOString() }))];
  merged.sort((a, b) => a.name.localeCompare(b.name));
  writeFileSync(file, JSON.stringify({ node: process.version, cpus: require('node:os').cpus().length, results: merged }, null, 2) + '\n');
  process.stderr.write(`wrote ${file}\n`);
}

void main();
