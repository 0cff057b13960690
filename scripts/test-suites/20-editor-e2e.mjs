// End to end through the real UI: a real VS Code (code-server 4.96.4, installed offline) with the
// extension installed, driven by Debian's Chromium through playwright-core. Opens the review of a
// generated repository, checks the tree, status bar and a hunk's CodeLens and hover, works through
// the checklist panel, approves from the panel, and checks the commit's trailers with git.
// Screenshots go to .cache/screenshots/ (ignored: `npm test` rewrites no tracked file);
// `npm run screenshots` runs this suite with SENIOR_REVIEW_SHOTS=docs/screenshots to refresh the README's.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startCodeServer } from '../code-server-lib.mjs';
import { installUnpacked } from '../extension-install.mjs';

const ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
const SHOTS = resolve(ROOT, process.env.SENIOR_REVIEW_SHOTS ?? join('.cache', 'screenshots'));
const CHROMIUM = '/usr/bin/chromium';

export async function run() {
  const results = { passed: 0, failed: 0, skipped: 0 };
  const step = async (name, fn) => {
    const t0 = Date.now();
    try {
      await fn();
      results.passed++;
      console.log(`    ✔ ${name} (${Date.now() - t0}ms)`);
    } catch (e) {
      results.failed++;
      console.log(`    ✖ ${name}: ${String(e?.message ?? e).split('\n')[0]}`);
      throw e;
    }
  };
  console.log('\n  editor, end to end in a real VS Code');
  if (!existsSync(CHROMIUM)) {
    results.failed++;
    console.log(`    ✖ Debian chromium is missing at ${CHROMIUM} (apt-get install chromium)`);
    return results;
  }
  const { chromium } = await import('playwright-core');
  const work = mkdtempSync(join(tmpdir(), 'sr-e2e-'));
  const repo = join(work, 'repo');
  const git = (...args) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  let server;
  let browser;
  try {
    execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'demo', '--dir', repo], { stdio: 'ignore' });
    git('config', 'user.name', 'Rita Reviewer');
    git('config', 'user.email', 'rita@example.com');
    const extensionsDir = join(work, 'extensions');
    mkdirSync(extensionsDir);
    installUnpacked(extensionsDir);
    const port = 20000 + Math.floor(Math.random() * 20000);
    server = await startCodeServer({ folder: repo, port, userDataDir: join(work, 'user-data'), extensionsDir, env: { SENIOR_REVIEW_AUTO_OPEN: '1', SENIOR_REVIEW_AUTO_BASE: 'main' } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    mkdirSync(SHOTS, { recursive: true });

    await step('the workbench loads with the extension', async () => {
      await page.goto(`${server.url}?folder=${encodeURIComponent(repo)}`);
      await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
      await page.click('.activitybar [aria-label*="Senior Review"]', { timeout: 60_000 });
    });
    await step('the review tree lists the changed files with their risk', async () => {
      const tree = page.getByRole('tree', { name: /Review/ });
      await tree.getByRole('treeitem', { name: /^src\/billing\/invoice\.ts, modified, risk \d+ (medium|high|critical)/ }).waitFor({ timeout: 90_000 });
      for (const f of ['src/util/money.ts, modified', 'src/billing/discounts.ts, added', 'test/discounts.test.ts, added, risk \\d+ low']) await tree.getByRole('treeitem', { name: new RegExp(`^${f}`) }).waitFor({ timeout: 10_000 });
    });
    await step('the status bar shows the risk level and progress', async () => {
      const text = await page.locator('[id="senior-review.senior-review.seniorReview.status"]').innerText({ timeout: 30_000 });
      if (!/(low|medium|high|critical) \d+ · 0\/\d+ checks/.test(text)) throw new Error(`status bar says '${text}'`);
    });
    const panel = page.frameLocator('iframe.webview.ready[src*="extensionId=senior-review.senior-review"]').frameLocator('iframe#active-frame');
    await step('the checklist panel shows the items and the hunks to visit', async () => {
      await panel.locator('#approve').waitFor({ timeout: 90_000 });
      await panel.getByText('Fits the architecture').waitFor();
      await panel.getByText(/Hunks to visit \(\d+ left\)/).waitFor({ timeout: 90_000 });
      await page.screenshot({ path: join(SHOTS, 'review-panel.png') });
    });
    await step('a hunk opens in a diff with gutter risk marks and a hover explaining the risk', async () => {
      await panel.locator('ul.hunks button').first().click();
      const marks = page.locator('.editor.modified .cgmr');
      await marks.first().waitFor({ timeout: 60_000 });
      await page.waitForTimeout(1000);
      await page.locator('.editor.modified .view-line').first().hover({ position: { x: 30, y: 5 } });
      await page.locator('.monaco-hover', { hasText: /Risk \d+ — (low|medium|high|critical)[\s\S]*count ×0\.\d+ for a change of this size/ }).first().waitFor({ timeout: 20_000 });
      await page.screenshot({ path: join(SHOTS, 'decorated-hunk-hover.png') });
      await page.keyboard.press('Escape');
    });
    await step('the checked-out file shows a CodeLens above each hunk', async () => {
      // Quick Open through the title bar's search box (a click cannot lose keyboard focus); pick the
      // workspace file, not the recently opened diff of it.
      await page.locator('.command-center .search-label, .command-center-center').first().click();
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 30_000 });
      await input.fill('invoice.ts');
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'invoice.ts' }).filter({ hasNotText: '↔' }).first();
      await row.waitFor({ timeout: 30_000 });
      await row.click();
      await page.locator('.codelens-decoration', { hasText: /risk \d+ \((low|medium|high|critical)\) · \d+ callers?/ }).first().waitFor({ timeout: 60_000 });
    });
    await step('the checklist is worked through: every item ticked, notes written, risky hunks visited', async () => {
      const count = await panel.locator('ul.hunks button').count();
      for (let i = 0; i < count; i++) await panel.locator('ul.hunks button').nth(i).click();
      await panel.getByText('Hunks to visit (0 left)').waitFor({ timeout: 30_000 });
      const boxes = panel.locator('li.item input[type=checkbox]');
      const n = await boxes.count();
      for (let i = 0; i < n; i++) {
        await boxes.nth(i).check();
        await panel.locator('li.item input[type=checkbox]').nth(i).waitFor();
      }
      const notes = panel.locator('li.item textarea');
      for (let i = 0; i < (await notes.count()); i++) {
        await notes.nth(i).fill(`Checked in the end-to-end test (${i + 1}).`);
        await notes.nth(i).blur();
      }
      await panel.getByText(`${n} of ${n} checks`).waitFor({ timeout: 30_000 });
    });
    await step('Approve shows the exact trailers and writes them into git', async () => {
      await panel.locator('#approve').click();
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 30_000 });
      const detail = await dialog.innerText();
      if (!/Reviewed-by: Rita Reviewer <rita@example.com>/.test(detail) || !/Senior-Review-Patch-Id: v2 [0-9a-f]{64}/.test(detail) || !/Senior-Review-Files: \d+ files?\b/.test(detail) || !/Signature: unsigned/.test(detail)) throw new Error(`dialog says: ${detail.slice(0, 300)}`);
      await page.screenshot({ path: join(SHOTS, 'approve-confirmation.png') });
      await dialog.getByRole('button', { name: 'Write sign-off' }).click();
      await page.locator('.notification-list-item-message', { hasText: 'Approved:' }).waitFor({ timeout: 30_000 });
      const parsed = execFileSync('git', ['interpret-trailers', '--parse'], { cwd: repo, input: git('log', '-1', '--format=%B'), encoding: 'utf8' });
      if (!parsed.includes('Reviewed-by: Rita Reviewer <rita@example.com>') || !/Senior-Review-Outcome: approved\n/.test(parsed)) throw new Error(`trailers: ${parsed}`);
      const verify = execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'verify', '--repo', repo, '--base', 'main'], { encoding: 'utf8' });
      if (!verify.startsWith('valid:')) throw new Error(verify);
    });
  } catch {
    // The failed step was counted and printed; keep what the screen showed.
    await browser?.contexts()[0]?.pages()[0]?.screenshot({ path: join(tmpdir(), 'senior-review-e2e-failure.png') }).catch(() => {});
  } finally {
    await browser?.close().catch(() => {});
    server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}
