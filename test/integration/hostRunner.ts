// Runs the integration tests with mocha INSIDE the VS Code extension host (code-server here, the
// desktop through @vscode/test-electron elsewhere), then writes the results to the file named by
// SENIOR_REVIEW_TEST_RESULTS. Installed next to the extension only for test runs.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const out = process.env.SENIOR_REVIEW_TEST_RESULTS;
  // SENIOR_REVIEW_TEST_GREP runs only the tests whose full title matches (one test while working on it).
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, reporter: 'spec', grep: process.env.SENIOR_REVIEW_TEST_GREP || undefined });
  for (const f of readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) mocha.addFile(join(__dirname, f));
  const lines: string[] = [];
  const tests: Array<{ title: string; state: string; error?: string }> = [];
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on('pass', (t) => { tests.push({ title: t.fullTitle(), state: 'passed' }); lines.push(`    ✔ ${t.title} (${t.duration}ms)`); });
    runner.on('test end', () => {
      // Figures a test reports (activation time) travel with the results.
      const f = (globalThis as { seniorReviewFigures?: string[] }).seniorReviewFigures ?? [];
      while (f.length) lines.push(`      ${f.shift()}`);
    });
    runner.on('fail', (t, err: Error) => { tests.push({ title: t.fullTitle(), state: 'failed', error: err.message }); lines.push(`    ✖ ${t.title}: ${err.message.split('\n').slice(0, 3).join(' ')}`); });
    runner.on('pending', (t) => tests.push({ title: t.fullTitle(), state: 'skipped' }));
  });
  if (out) writeFileSync(out, JSON.stringify({ tests, lines }, null, 2));
  // @vscode/test-electron judges a run by whether run() throws.
  const failed = tests.filter((t) => t.state === 'failed').length;
  if (!out && failed) throw new Error(`${failed} integration test(s) failed`);
}
