// End to end through the real UI: a real VS Code (code-server 4.96.4, installed offline) with the
// extension installed, driven by Debian's Chromium through playwright-core. Opens the review of a
// generated repository, checks the tree, status bar and a hunk's CodeLens and hover, works through
// the checklist panel, approves from the panel, and checks the commit's trailers with git; shows a
// comment thread (opened with the CLI, stored in git) in the diff, and after the author pushes a
// change to one hunk, the tree's "Since your last review" filter with only that hunk.
// Screenshots go to .cache/screenshots/ (ignored: `npm test` rewrites no tracked file);
// `npm run screenshots` runs this suite with SENIOR_REVIEW_SHOTS=docs/screenshots to refresh the README's.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  const cli = (...args) => execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8' });
  let server;
  let browser;
  try {
    execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'demo', '--dir', repo], { stdio: 'ignore' });
    git('config', 'user.name', 'Rita Reviewer');
    git('config', 'user.email', 'rita@example.com');
    // The levels the editor must show are the CLI's (levels are final before call-graph impact).
    const analysed = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'analyze', '--repo', repo, '--base', 'main', '--format', 'json', '--no-impact'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    const levelOf = (path) => analysed.files.find((f) => f.path === path).risk.level;
    // A blocking thread on a line of the subtotalOf hunk, written to git by the CLI before the editor
    // starts: the editor must place it in the diff by itself.
    const threadText = 'Does a 100-unit line get both the volume discount and the coupon?';
    const threadLine = readFileSync(join(repo, 'src/billing/invoice.ts'), 'utf8').split('\n').findIndex((l) => l.includes('const rate = 1 - volumeDiscount(')) + 1;
    if (threadLine < 1) throw new Error('the demo has no volumeDiscount line in invoice.ts');
    const opened = cli('comment', '--repo', repo, '--base', 'main', '--file', 'src/billing/invoice.ts', '--line', String(threadLine), '--side', 'head', '--text', threadText, '--blocking');
    const threadId = /^opened thread ([0-9a-f]+) on src\/billing\/invoice\.ts:\d+ \(head\), blocking$/m.exec(opened)?.[1];
    if (!threadId) throw new Error(`comment said: ${opened}`);
    const extensionsDir = join(work, 'extensions');
    mkdirSync(extensionsDir);
    installUnpacked(extensionsDir);
    const port = 20000 + Math.floor(Math.random() * 20000);
    server = await startCodeServer({ folder: repo, port, userDataDir: join(work, 'user-data'), extensionsDir, env: { SENIOR_REVIEW_AUTO_OPEN: '1', SENIOR_REVIEW_AUTO_BASE: 'main' } });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    mkdirSync(SHOTS, { recursive: true });

    const tree = page.getByRole('tree', { name: /Review/ });
    // A file row expanded through its twistie; the tree redraws while impact arrives, so until it stays expanded.
    const expand = async (row) => {
      for (let i = 0; i < 10 && (await row.getAttribute('aria-expanded')) !== 'true'; i++) {
        await row.locator('.monaco-tl-twistie').click();
        await page.waitForTimeout(1000);
      }
    };
    await step('the extension reveals its view and opens the review by itself (no click)', async () => {
      await page.goto(`${server.url}?folder=${encodeURIComponent(repo)}`, { timeout: 90_000 });
      await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
      await tree.getByRole('treeitem', { name: /^src\/billing\/invoice\.ts, modified/ }).waitFor({ timeout: 120_000 });
    });
    await step('the review tree lists the changed files with their risk', async () => {
      for (const [path, status] of [['src/billing/invoice.ts', 'modified'], ['src/util/money.ts', 'modified'], ['src/billing/discounts.ts', 'added'], ['test/discounts.test.ts', 'added']]) {
        await tree.getByRole('treeitem', { name: new RegExp(`^${path.replace(/\./g, '\\.')}, ${status}, risk \\d+ ${levelOf(path)}\\b`) }).waitFor({ timeout: 90_000 });
      }
      if (levelOf('test/discounts.test.ts') !== 'low') throw new Error(`the CLI calls the test file ${levelOf('test/discounts.test.ts')}`);
    });
    await step('file and hunk rows start with the risk figure, visible at the default sidebar width; hunks are named by their functions', async () => {
      await expand(tree.getByRole('treeitem', { name: /^src\/billing\/invoice\.ts, modified/ }));
      await tree.getByRole('treeitem', { name: /^hunk subtotalOf, risk \d+/ }).waitFor({ timeout: 30_000 });
      await tree.getByRole('treeitem', { name: /^hunk imports, risk \d+/ }).waitFor({ timeout: 30_000 });
      const rows = await tree.locator('.monaco-list-row').evaluateAll((els) => els.map((row) => {
        const name = row.querySelector('.label-name');
        const text = name?.textContent ?? '';
        const figure = /^\d+ (low|medium|high|critical)/.exec(text);
        const walker = document.createTreeWalker(name, NodeFilter.SHOW_TEXT);
        const first = walker.nextNode();
        let visible = false;
        if (figure && first && first.textContent.startsWith(figure[0])) {
          const range = document.createRange();
          range.setStart(first, 0);
          range.setEnd(first, figure[0].length);
          const r = range.getBoundingClientRect();
          const clip = row.querySelector('.monaco-icon-label-container').getBoundingClientRect();
          visible = r.width > 0 && r.right <= clip.right + 0.5 && r.left >= clip.left - 0.5;
        }
        return { label: row.getAttribute('aria-label'), text, figure: figure?.[0] ?? null, visible };
      }));
      const width = await page.locator('.part.sidebar').evaluate((e) => Math.round(e.getBoundingClientRect().width));
      console.log(`      sidebar ${width} px wide; rows: ${rows.map((r) => `"${r.text}"`).join(', ')}`);
      const ranked = rows.filter((r) => /^(src|test)\/|^hunk /.test(r.label ?? ''));
      if (ranked.length < 6) throw new Error(`expected the files and invoice.ts's hunks, got ${rows.map((r) => r.label).join(' | ')}`);
      const hidden = ranked.filter((r) => !r.figure || !r.visible);
      if (hidden.length) throw new Error(`risk figure missing or cut off: ${hidden.map((r) => `${r.label} -> "${r.text}"`).join(' | ')}`);
      await page.screenshot({ path: join(SHOTS, 'review-tree.png') });
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
      await panel.locator('ul.hunks .hunk-name', { hasText: /^\d+ (low|medium|high|critical) · subtotalOf$/ }).waitFor({ timeout: 30_000 });
      await page.screenshot({ path: join(SHOTS, 'review-panel.png') });
    });
    const dialog = page.locator('.monaco-dialog-box');
    // Runs a command by its title through the command palette, clicking its own row (Enter would take
    // whichever fuzzy match comes first).
    const runCommand = async (title) => {
      await page.locator('.command-center .search-label, .command-center-center').first().click();
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 30_000 });
      await input.fill(`>${title}`);
      await page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first().click({ timeout: 30_000 });
      await input.waitFor({ state: 'hidden', timeout: 30_000 });
    };
    const focusedButton = () => page.evaluate(() => {
      const a = document.activeElement;
      return a && a.closest('.monaco-dialog-box') ? `${a.textContent}${a.classList.contains('secondary') ? '' : ' (primary)'}` : `outside the dialog: ${a?.tagName}`;
    });
    await step('Approve with steps missing: Cancel is the focused, primary button and Enter cancels', async () => {
      const head = git('rev-parse', 'HEAD');
      await panel.locator('#approve').click();
      await dialog.waitFor({ timeout: 30_000 });
      if (!/Cannot approve yet: \d+ step\(s\) missing/.test(await dialog.innerText())) throw new Error(`dialog says: ${(await dialog.innerText()).slice(0, 200)}`);
      await page.waitForFunction(() => document.activeElement?.closest('.monaco-dialog-box'), null, { timeout: 10_000 });
      const focused = await focusedButton();
      if (focused !== 'Cancel (primary)') throw new Error(`the focused button is ${focused}`);
      await dialog.getByRole('button', { name: 'Override with a reason…' }).waitFor();
      await page.screenshot({ path: join(SHOTS, 'approve-blocked.png') });
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached', timeout: 10_000 });
      if (await page.locator('.quick-input-widget .quick-input-box input').isVisible()) throw new Error('Enter asked for an override reason');
      if (git('rev-parse', 'HEAD') !== head) throw new Error('Enter moved the branch');
    });
    await step('a hunk opens in a diff with gutter risk marks and a hover explaining the risk and its callers', async () => {
      await panel.locator('ul.hunks button', { hasText: 'subtotalOf' }).first().click();
      const marks = page.locator('.editor.modified .cgmr');
      await marks.first().waitFor({ timeout: 60_000 });
      const box = await marks.first().boundingBox();
      // The diff's own lines, not those of the comment thread's reply box.
      const text = await page.locator('.editor.modified .view-lines:not(.review-widget .view-lines)').boundingBox();
      let rows = [];
      const t0 = Date.now();
      // Callers arrive with the call-graph impact: hover again until the hover shows them.
      for (;;) {
        await page.mouse.move(text.x + 40, box.y + box.height / 2);
        const hover = page.locator('.monaco-hover', { hasText: /Risk \d+ — (low|medium|high|critical)/ }).first();
        await hover.waitFor({ timeout: 20_000 });
        rows = await hover.locator('.hover-row').evaluateAll((els) => els.map((e) => e.innerText.trim()));
        if (rows.some((r) => /Callers: \d+ in \d+ files?/.test(r)) || Date.now() - t0 > 120_000) break;
        await page.keyboard.press('Escape');
        await page.mouse.move(0, 0);
        await page.waitForTimeout(2000);
      }
      console.log(`      hover rows: ${rows.map((r) => JSON.stringify(r.slice(0, 60))).join(', ')}`);
      if (!rows.some((r) => /count ×0\.\d+ for a change of this size/.test(r))) throw new Error('the hover does not explain the size factor');
      if (!rows.some((r) => /Callers: \d+ in \d+ files?/.test(r))) throw new Error('the hover shows no callers');
      if (rows.some((r) => r === '')) throw new Error(`the hover has an empty row (${rows.length} rows)`);
      if (rows.some((r) => /Callers\s+:/.test(r))) throw new Error('the hover says "Callers :"');
      await page.screenshot({ path: join(SHOTS, 'decorated-hunk-hover.png') });
      await page.keyboard.press('Escape');
    });
    await step('the comment thread stored in git shows in the diff on its line, expanded, marked blocking', async () => {
      await page.mouse.move(0, 0);
      const widget = page.locator('.editor.modified .review-widget', { hasText: threadText });
      await widget.waitFor({ state: 'visible', timeout: 60_000 });
      const body = await widget.locator('.comment-body').first().innerText();
      if (body.trim() !== threadText) throw new Error(`the thread's comment says '${body}'`);
      const author = await widget.locator('.review-comment .author').first().innerText();
      if (!/Rita Reviewer/.test(author)) throw new Error(`the comment's author is '${author}'`);
      const widgetText = await widget.innerText();
      if (!/blocking/i.test(widgetText)) throw new Error(`the thread does not say it is blocking: ${widgetText.slice(0, 200)}`);
      // Placed under its line: the widget's top is just below the line holding volumeDiscount(.
      const line = page.locator('.editor.modified .view-line', { hasText: 'const rate = 1 - volumeDiscount(' });
      const lb = await line.boundingBox();
      const wb = await widget.boundingBox();
      const editor = await page.locator('.editor.modified').boundingBox();
      if (!lb || !wb || Math.abs(wb.y - (lb.y + lb.height)) > lb.height * 1.5) throw new Error(`the thread is not under its line (line ${JSON.stringify(lb)}, widget ${JSON.stringify(wb)})`);
      if (wb.y + 40 > editor.y + editor.height) throw new Error('the thread is below the visible editor');
      await page.screenshot({ path: join(SHOTS, 'comment-thread.png') });
      // Resolved (from the CLI, as the author would) so the sign-off below is not held by it.
      cli('comment', '--repo', repo, '--base', 'main', '--resolve', threadId, '--text', 'Yes: tiers apply per line, the coupon to the subtotal.', '--author', 'Dan Dorsey <dan@example.com>');
      if (!/^\[resolved/m.test(cli('comments', '--repo', repo, '--base', 'main'))) throw new Error('the thread did not resolve');
    });
    await step('after a window reload the review comes back by itself, with its visits counted from the first paint', async () => {
      const before = (await page.locator('[id="senior-review.senior-review.seniorReview.status"]').innerText({ timeout: 30_000 })).trim();
      if (!/ · [1-9]\d*\/\d+ hunks$/.test(before)) throw new Error(`before the reload the status bar counts no visited hunk: '${before}'`);
      // Every text the status bar shows in the reloaded window, from its first paint (webviews' frames aside).
      await page.addInitScript(() => {
        if (window.top !== window) return;
        window.seniorReviewStatusTexts = [];
        setInterval(() => {
          const t = document.getElementById('senior-review.senior-review.seniorReview.status')?.innerText.trim();
          const seen = window.seniorReviewStatusTexts;
          if (t && seen[seen.length - 1] !== t) seen.push(t);
        }, 10);
      });
      await page.locator('.command-center .search-label, .command-center-center').first().click();
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible', timeout: 30_000 });
      await input.fill('>Developer: Reload Window');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Reload Window' }).first().waitFor({ timeout: 30_000 });
      await page.keyboard.press('Enter');
      await page.waitForEvent('load', { timeout: 90_000 });
      await page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
      await tree.getByRole('treeitem', { name: new RegExp(`^src/billing/invoice\\.ts, modified, risk \\d+ ${levelOf('src/billing/invoice.ts')}\\b`) }).waitFor({ timeout: 120_000 });
      // VS Code restores no diff editor of ours here; the review, its risk and its checklist come back.
      const status = page.locator('[id="senior-review.senior-review.seniorReview.status"]');
      await page.waitForFunction((t) => document.getElementById('senior-review.senior-review.seniorReview.status')?.innerText.trim() === t, before, { timeout: 60_000 }).catch(() => {});
      const text = (await status.innerText({ timeout: 30_000 })).trim();
      const shown = await page.evaluate(() => window.seniorReviewStatusTexts ?? []);
      console.log(`      status bar before the reload '${before}', after: ${shown.map((t) => `'${t}'`).join(' → ')}`);
      if (text !== before) throw new Error(`status bar after the reload says '${text}', before it '${before}'`);
      // Pending texts ("risk …", "hunks …") may come first; a final one is the one before the reload, from the first.
      const wrong = shown.filter((t) => t !== before && !t.includes('…'));
      if (!shown.length || wrong.length) throw new Error(`the status bar showed ${wrong.map((t) => `'${t}'`).join(', ') || 'nothing'} after the reload`);
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
      await panel.locator('#approve').waitFor({ timeout: 90_000 });
      const count = await panel.locator('ul.hunks button').count();
      for (let i = 0; i < count; i++) await panel.locator('ul.hunks button').nth(i).click();
      await panel.getByText('Hunks to visit (0 left)').waitFor({ timeout: 30_000 });
      const boxes = panel.locator('li.item input[type=checkbox]');
      const n = await boxes.count();
      for (let i = 0; i < n; i++) {
        await boxes.nth(i).check();
        await panel.locator('li.item input[type=checkbox]').nth(i).waitFor();
      }
      await panel.getByText(`${n} of ${n} checks`).waitFor({ timeout: 30_000 });
      const notes = panel.locator('li.item textarea');
      for (let i = 0; i < (await notes.count()); i++) {
        const text = `Checked in the end-to-end test (${i + 1}).`;
        await notes.nth(i).fill(text);
        if (i === 0) {
          // The panel draws itself again whenever the review changes; here a box is unticked by a
          // click that leaves the focus in the note. What is being typed must survive the redraw.
          await boxes.first().evaluate((e) => e.click());
          await panel.getByText(`${n - 1} of ${n} checks`).waitFor({ timeout: 30_000 });
          const kept = await notes.nth(i).inputValue();
          if (kept !== text) throw new Error(`after the panel was drawn again, the note holds '${kept}'`);
        }
        await notes.nth(i).blur();
      }
      await boxes.first().check();
      await panel.getByText(`${n} of ${n} checks`).waitFor({ timeout: 30_000 });
    });
    await step('note boxes line up with their item titles', async () => {
      const items = await panel.locator('li.item').evaluateAll((els) => els.map((li) => {
        const edge = (sel) => { const e = li.querySelector(sel); return e ? Math.round(e.getBoundingClientRect().left) : null; };
        return { label: edge('label'), help: edge('.help'), note: edge('textarea'), right: Math.round(li.getBoundingClientRect().right), noteRight: li.querySelector('textarea') ? Math.round(li.querySelector('textarea').getBoundingClientRect().right) : null };
      }));
      const withNotes = items.filter((i) => i.note !== null);
      if (!withNotes.length) throw new Error('no item has a note box');
      const off = items.filter((i) => i.help !== i.label || (i.note !== null && (i.note !== i.label || i.noteRight > i.right)));
      if (off.length) throw new Error(`misaligned: ${JSON.stringify(off)}`);
      if (new Set(withNotes.map((i) => i.note)).size !== 1) throw new Error(`note boxes start at different places: ${withNotes.map((i) => i.note).join(', ')}`);
    });
    await step('paths of hunks to visit keep the file name whole, shortening directories to fit a narrow panel', async () => {
      // The sidebar stops at 170 px, where the demo's paths still fit: the panel's content is made
      // narrower instead, and the webview's own resize observer shortens the paths in its real layout.
      const root = panel.locator('#root');
      await root.evaluate((e) => { e.style.width = '110px'; });
      try {
        await panel.locator('.hunk-path', { hasText: '…' }).first().waitFor({ timeout: 10_000 });
        const paths = await panel.locator('.hunk-path').evaluateAll((els) => els.map((e) => ({ text: e.textContent, full: e.title, fits: e.scrollWidth <= e.clientWidth, width: e.clientWidth })));
        console.log(`      panel 110 px: ${paths.map((p) => `${p.full} → ${p.text}`).join(', ')}`);
        const bad = paths.filter((p) => (!p.text.endsWith(`/${p.full.split('/').pop()}`) && p.text !== p.full) || !p.fits);
        if (!paths.length || bad.length) throw new Error(`paths cut or not fitting: ${JSON.stringify(bad)}`);
        await page.screenshot({ path: join(SHOTS, 'narrow-panel.png') });
      } finally {
        await root.evaluate((e) => { e.style.width = ''; });
      }
    });
    await step('Approve shows the exact trailers with Cancel as the default, and writes them into git', async () => {
      await panel.locator('#approve').click();
      await dialog.waitFor({ timeout: 30_000 });
      const detail = await dialog.innerText();
      if (!/Reviewed-by: Rita Reviewer <rita@example.com>/.test(detail) || !/Senior-Review-Patch-Id: v2 [0-9a-f]{64}/.test(detail) || !/Senior-Review-Files: \d+ files?\b/.test(detail) || !/Signature: unsigned/.test(detail)) throw new Error(`dialog says: ${detail.slice(0, 300)}`);
      await page.waitForFunction(() => document.activeElement?.closest('.monaco-dialog-box'), null, { timeout: 10_000 });
      const focused = await focusedButton();
      if (focused !== 'Cancel (primary)') throw new Error(`the focused button is ${focused}`);
      await page.screenshot({ path: join(SHOTS, 'approve-confirmation.png') });
      await dialog.getByRole('button', { name: 'Write sign-off' }).click();
      await page.locator('.notification-list-item-message', { hasText: 'Approved:' }).waitFor({ timeout: 30_000 });
      const parsed = execFileSync('git', ['interpret-trailers', '--parse'], { cwd: repo, input: git('log', '-1', '--format=%B'), encoding: 'utf8' });
      if (!parsed.includes('Reviewed-by: Rita Reviewer <rita@example.com>') || !/Senior-Review-Outcome: approved\n/.test(parsed)) throw new Error(`trailers: ${parsed}`);
      const verify = execFileSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'verify', '--repo', repo, '--base', 'main'], { encoding: 'utf8' });
      if (!verify.startsWith('valid:')) throw new Error(verify);
    });
    await step('after the author changes one hunk, Refresh shows "Since your last review" with only that hunk', async () => {
      // The demo's author (Dan) rewrites the rounding line of money.ts on top of the sign-off.
      const file = join(repo, 'src/util/money.ts');
      const before = readFileSync(file, 'utf8');
      const rounding = 'return Math.round((amount + Number.EPSILON) * 100) / 100;';
      if (!before.includes(rounding)) throw new Error('the demo\'s money.ts has no EPSILON rounding line');
      writeFileSync(file, before.replace(rounding, 'return Math.round((amount + Number.EPSILON) * 100) / 100; // EPSILON: 1.005 rounds up'));
      git('-c', 'user.name=Dan Dorsey', '-c', 'user.email=dan@example.com', 'commit', '-qam', 'money: say why EPSILON');
      await runCommand('Senior Review: Refresh');
      const since = tree.getByRole('treeitem', { name: /^Since your last review: 1 changed · 0 new · \d+ unchanged$/ });
      await since.waitFor({ timeout: 120_000 });
      const moneyRow = tree.getByRole('treeitem', { name: /^src\/util\/money\.ts, modified/ });
      await moneyRow.waitFor({ timeout: 60_000 });
      await expand(moneyRow);
      await tree.locator('.monaco-list-row', { hasText: 'changed since your review' }).first().waitFor({ timeout: 30_000 });
      const rows = await tree.locator('.monaco-list-row').evaluateAll((els) => els.map((row) => ({ label: row.getAttribute('aria-label') ?? '', text: row.innerText.replace(/\s+/g, ' ').trim() })));
      console.log(`      tree: ${rows.map((r) => `"${r.text}"`).join(', ')}`);
      const files = rows.filter((r) => /^(src|test)\//.test(r.label));
      const hunks = rows.filter((r) => /^hunk /.test(r.label));
      if (files.length !== 1 || !files[0].label.startsWith('src/util/money.ts,')) throw new Error(`files shown: ${files.map((r) => r.label).join(' | ')}`);
      if (hunks.length !== 1 || !/changed since your review/.test(hunks[0].text)) throw new Error(`hunks shown: ${hunks.map((r) => r.text).join(' | ')}`);
      // The picture waits for the scores (a pending one shows as …) and a sidebar wide enough for the
      // row's counts: its sash is dragged, as a reader would.
      await page.waitForFunction(() => {
        const names = [...document.querySelectorAll('.part.sidebar [role=tree] .monaco-list-row .label-name')].map((e) => e.textContent ?? '');
        return names.length >= 4 && names.every((n) => n === 'Since your last review' || /^\d+ (low|medium|high|critical) · /.test(n));
      }, null, { timeout: 180_000 });
      const side = await page.locator('.part.sidebar').boundingBox();
      const sash = await page.locator('.monaco-sash.vertical').evaluateAll((els, right) => els.map((e) => e.getBoundingClientRect()).filter((r) => r.height > 200 && Math.abs(r.left + r.width / 2 - right) < 6).map((r) => ({ x: r.left + r.width / 2, y: r.top + r.height / 2 }))[0] ?? null, side.x + side.width);
      if (!sash) throw new Error('no sash at the sidebar\'s edge');
      await page.mouse.move(sash.x, sash.y);
      await page.mouse.down();
      await page.mouse.move(sash.x + 120, sash.y, { steps: 5 });
      await page.mouse.move(sash.x + 440, sash.y, { steps: 5 });
      await page.mouse.up();
      const wide = await page.locator('.part.sidebar').boundingBox();
      const sinceBox = await since.boundingBox();
      const sinceShown = await since.evaluate((row) => { const d = row.querySelector('.label-description'); return d ? d.scrollWidth <= d.clientWidth : false; });
      console.log(`      sidebar widened from ${Math.round(side.width)} to ${Math.round(wide.width)} px`);
      if (!sinceShown) throw new Error('the counts of "Since your last review" are cut off');
      const last = await tree.locator('.monaco-list-row').last().boundingBox();
      await page.screenshot({ path: join(SHOTS, 'since-review.png'), clip: { x: wide.x, y: wide.y, width: wide.width, height: Math.max(last.y + last.height, sinceBox.y + sinceBox.height) + 24 - wide.y } });
    });
  } catch {
    // The failed step was counted and printed; keep what the screen showed.
    await browser?.contexts()[0]?.pages()[0]?.screenshot({ path: join(tmpdir(), 'senior-review-e2e-failure.png') }).catch(() => {});
  } finally {
    await browser?.close().catch(() => {});
    await server?.stop();
    // What the server's helpers still write as they exit is retried, not a failure of the suite.
    rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
  return results;
}
