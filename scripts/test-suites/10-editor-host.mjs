// Integration tests inside a real VS Code extension host (code-server 4.96.4, VS Code 1.96): the
// extension, installed with the test runner beside it, runs mocha in the host once a browser page
// connects and writes the results to a file, which this suite reads and reports.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCodeServer } from '../code-server-lib.mjs';
import { installUnpacked } from '../extension-install.mjs';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';

export async function run() {
  console.log('\n  editor, inside the extension host of a real VS Code');
  if (!existsSync(CHROMIUM)) {
    console.log(`    ✖ Debian chromium is missing at ${CHROMIUM} (apt-get install chromium)`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const { chromium } = await import('playwright-core');
  const work = mkdtempSync(join(tmpdir(), 'sr-host-'));
  const repo = join(work, 'repo');
  const resultsFile = join(work, 'results.json');
  let server;
  let browser;
  try {
    execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'demo', '--dir', repo], { stdio: 'ignore' });
    execFileSync('git', ['config', 'user.name', 'Rita Reviewer'], { cwd: repo });
    execFileSync('git', ['config', 'user.email', 'rita@example.com'], { cwd: repo });
    const extensionsDir = join(work, 'extensions');
    mkdirSync(extensionsDir);
    installUnpacked(extensionsDir, { withTests: true });
    const port = 20000 + Math.floor(Math.random() * 20000);
    server = await startCodeServer({ folder: repo, port, userDataDir: join(work, 'user-data'), extensionsDir, env: { SENIOR_REVIEW_TEST_RESULTS: resultsFile, SENIOR_REVIEW_TEST_REPO: repo, SENIOR_REVIEW_TEST_GREP: process.env.SENIOR_REVIEW_TEST_GREP ?? '' } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const page = await browser.newPage();
    await page.goto(`${server.url}?folder=${encodeURIComponent(repo)}`);
    await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
    // No click: a demo repository (its marker in .git) activates the extension when the window opens.
    const t0 = Date.now();
    while (!existsSync(resultsFile)) {
      // Generous: the host tests take about 3.5 minutes on a loaded 2-core machine; a hang still ends the run.
      if (Date.now() - t0 > 900_000) throw new Error('no results from the extension host within 15 minutes');
      await new Promise((r) => setTimeout(r, 500));
    }
    const { tests, lines } = JSON.parse(readFileSync(resultsFile, 'utf8'));
    for (const l of lines) console.log(l);
    return {
      passed: tests.filter((t) => t.state === 'passed').length,
      failed: tests.filter((t) => t.state === 'failed').length,
      skipped: tests.filter((t) => t.state === 'skipped').length,
    };
  } catch (e) {
    console.log(`    ✖ ${String(e?.message ?? e).split('\n')[0]}`);
    return { passed: 0, failed: 1, skipped: 0 };
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    // What the server's helpers still write as they exit is retried, not a failure of the suite.
    rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}
