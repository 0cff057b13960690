// `npm test`: the unit suite (plain mocha on src/core and the CLI) and then the editor suites,
// ending with one summary line "N passed, N failed, N skipped" that CI reads.
import Mocha from 'mocha';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

function findFiles(dir, suffix) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(suffix))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

const only = process.argv[2]; // optional: unit
const totals = { passed: 0, failed: 0, skipped: 0 };

async function runMocha(files, timeout) {
  const mocha = new Mocha({ timeout, reporter: 'spec' });
  for (const f of files) mocha.addFile(resolve(f));
  await mocha.loadFilesAsync();
  return new Promise((done) => {
    const runner = mocha.run(() => {
      const s = runner.stats;
      totals.passed += s.passes;
      totals.failed += s.failures;
      totals.skipped += s.pending;
      done();
    });
  });
}

const unit = findFiles('out/test/unit', '.test.js').sort();
if (unit.length === 0) {
  console.error('no unit tests found under out/test/unit (did the build run?)');
  process.exit(1);
}
await runMocha(unit, 60_000);

if (only !== 'unit') {
  const suites = findFiles('scripts/test-suites', '.mjs').sort();
  for (const suite of suites) {
    const mod = await import(resolve(suite));
    const r = await mod.run();
    totals.passed += r.passed;
    totals.failed += r.failed;
    totals.skipped += r.skipped ?? 0;
  }
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
