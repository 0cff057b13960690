// The extension inside a real extension host: public commands on a generated repository, the tree
// (risk first, hunks named by their functions), decorations on the first changed lines, the old
// review's editors following a new review, the checklist flow, and approve writing trailers that
// `git interpret-trailers --parse` reads back.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { api, until } from './hostApi';

const repo = process.env.SENIOR_REVIEW_TEST_REPO!;

describe('Senior Review in the extension host', () => {
  it('registers every contributed command and measures its activation', async () => {
    const a = await api();
    const pkg = vscode.extensions.getExtension('senior-review.senior-review')!.packageJSON as { contributes: { commands: Array<{ command: string }> } };
    const all = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(pkg.contributes.commands.map((c) => c.command).filter((c) => !all.has(c)), []);
    // The figure is reported, not asserted: a timed test would fail on a busy machine.
    assert.ok(Number.isFinite(a.activationMs) && a.activationMs > 0);
    const g = globalThis as { seniorReviewFigures?: string[] };
    (g.seniorReviewFigures ??= []).push(`activation: ${a.activationMs.toFixed(1)} ms (target ≤ 50 ms)`);
  });

  it('opens a review from the public command and lists files and hunks in the tree, risk first, hunks by their functions', async () => {
    const a = await api();
    await vscode.commands.executeCommand('seniorReview.openReview', { repo, base: 'main' });
    const r = await until('the review', () => a.controller.current);
    assert.deepEqual(r.cs.files.map((f) => f.path).sort(), ['src/billing/discounts.ts', 'src/billing/invoice.ts', 'src/util/money.ts', 'test/discounts.test.ts']);
    // The tree comes first; the levels follow with history, the scores with call-graph impact.
    await until('every pass', () => r.impactReady, 90_000);
    const top = await a.tree.getChildren();
    assert.match(String(a.tree.getTreeItem(top[0]).label), /^\d+ (low|medium|high|critical) · main\.\.\.HEAD$/);
    const invoice = top.find((n) => n.kind === 'file' && n.file.path === 'src/billing/invoice.ts')!;
    const item = a.tree.getTreeItem(invoice);
    assert.match(String(item.label), /^\d+ (low|medium|high|critical) · invoice\.ts$/);
    assert.match(String(item.description), /^src\/billing · modified( · hotspot)?$/);
    const label = (n: (typeof top)[number]) => String(a.tree.getTreeItem(n).label);
    assert.deepEqual((await a.tree.getChildren(invoice)).map(label).map((l) => l.replace(/^\d+ (low|medium|high|critical) · /, '')), ['imports', 'subtotalOf']);
    const byPath = (p: string) => top.find((n) => n.kind === 'file' && n.file.path === p)!;
    const names = async (p: string) => (await a.tree.getChildren(byPath(p))).map(label);
    assert.deepEqual((await names('src/util/money.ts')).map((l) => l.replace(/^\d+ (low|medium|high|critical) · /, '')), ['roundCents']);
    assert.match((await names('src/billing/discounts.ts'))[0], /^\d+ (low|medium|high|critical) · TIERS, volumeDiscount$/);
    assert.match((await names('test/discounts.test.ts'))[0], /^\d+ low · volumeDiscount › gives 10% from 100 units$/);
  });

  it('saves the session with the reviewed head pinned under refs/senior-review/reviewed/', async () => {
    const a = await api();
    const r = a.controller.current!;
    const refs = execFileSync('git', ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/senior-review/reviewed/'], { cwd: repo, encoding: 'utf8' });
    assert.match(refs, new RegExp(`^${r.cs.headCommit} refs/senior-review/reviewed/[0-9a-f]+/${r.cs.headCommit}$`, 'm'));
  });

  it('the tree, the checklist panel and the status bar show the one fixed list of hunks to visit, even when a level says otherwise later', async () => {
    const a = await api();
    const r = a.controller.current!;
    await until('every pass', () => r.impactReady, 90_000);
    const fixed = r.required!.map((h) => h.id).sort();
    assert.ok(fixed.length > 0, 'the demo has hunks to visit');
    const views = async () => {
      const tree: string[] = [];
      const treeLeft: string[] = [];
      for (const f of (await a.tree.getChildren()).filter((n) => n.kind === 'file')) {
        for (const n of await a.tree.getChildren(f)) {
          if (n.kind !== 'hunk') continue;
          const item = a.tree.getTreeItem(n);
          if (/, required(,|$)/.test(item.accessibilityInformation!.label)) tree.push(n.hunk.id);
          if (/ · to visit$/.test(String(item.description))) treeLeft.push(n.hunk.id);
        }
      }
      const panel = a.checklist.state().toVisit!;
      const bar = / · (\d+)\/(\d+) hunks$/.exec(a.status.text);
      return { tree: tree.sort(), treeLeft: treeLeft.sort(), panel: panel.map((h) => h.id).sort(), panelLeft: panel.filter((h) => !h.visited).map((h) => h.id).sort(), bar: bar ? `${bar[1]}/${bar[2]}` : a.status.text };
    };
    const agree = async (visited: string[]) => {
      const v = await views();
      const left = fixed.filter((id) => !visited.includes(id));
      assert.deepEqual(v, { tree: fixed, treeLeft: left, panel: fixed, panelLeft: left, bar: `${fixed.length - left.length}/${fixed.length}` });
    };
    assert.deepEqual(r.session.visited.filter((id) => fixed.includes(id)), [], 'nothing visited yet');
    await agree([]);
    // A hunk outside the list turned critical after the list was fixed (what a late number would do):
    // the controller warns when that really happens; no view works out a list of its own meanwhile.
    const other = r.cs.files.flatMap((f) => f.hunks).find((h) => !fixed.includes(h.id))!;
    const risk = other.risk as { level: string };
    const level = risk.level;
    risk.level = 'critical';
    try {
      a.controller.touch();
      await agree([]);
    } finally {
      risk.level = level;
      a.controller.touch();
    }
    // Visiting moves all three together, and back.
    await vscode.commands.executeCommand('seniorReview.markHunkReviewed', fixed[0]);
    await agree([fixed[0]]);
    await vscode.commands.executeCommand('seniorReview.markHunkReviewed', fixed[0]);
    await agree([]);
  });

  it('puts risk decorations on the first changed line of each hunk, not on the context lines before it', async () => {
    const a = await api();
    const r = a.controller.current!;
    await until('impact', () => r.impactReady, 90_000);
    const file = r.cs.files.find((f) => f.path === 'src/billing/invoice.ts')!;
    await vscode.commands.executeCommand('seniorReview.openHunk', file.hunks[1].id);
    const applied = await until('decorations', () => [...a.decorations.applied.entries()].find(([uri]) => uri.startsWith('senior-review:') && uri.includes('invoice.ts'))?.[1]);
    // git's zero-context diff starts each change at its first changed line.
    const zero = execFileSync('git', ['diff', '-U0', `${r.cs.mergeBase}`, r.cs.headCommit, '--', file.path], { cwd: repo, encoding: 'utf8' });
    const starts = [...zero.matchAll(/^@@ -\S+ \+(\d+)/gm)].map((m) => Number(m[1]));
    assert.deepEqual(applied.map((d) => d.line), [starts[0], starts[1]]);
    assert.equal(file.hunks[1].lines.slice(0, 3).every((l) => l.startsWith(' ')), true, 'the second hunk starts with three context lines');
    assert.equal(applied[1].line, file.hunks[1].newStart + 3);
    assert.deepEqual(applied.map((d) => d.level), file.hunks.map((h) => (h.risk as { level: string }).level));
    assert.ok(r.session.visited.includes(file.hunks[1].id), 'opening a hunk marks it visited');
  });

  it("a new review shows the old review's diff tabs at its own commits and closes those of files it does not have; the reviewer's files stay", async () => {
    const a = await api();
    const first = a.controller.current!;
    const ours = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).flatMap((t) => (t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'senior-review' ? [{ path: t.input.modified.path, commit: (JSON.parse(t.input.modified.query) as { commit: string }).commit }] : []));
    const test = first.cs.files.find((f) => f.path === 'test/discounts.test.ts')!;
    const invoice = first.cs.files.find((f) => f.path === 'src/billing/invoice.ts')!;
    await vscode.commands.executeCommand('seniorReview.openHunk', test.hunks[0].id);
    await vscode.window.showTextDocument(vscode.Uri.file(`${repo}/src/billing/invoice.ts`), { preview: false, viewColumn: vscode.ViewColumn.Two });
    await vscode.commands.executeCommand('seniorReview.openHunk', invoice.hunks[0].id);
    await until('two diff tabs of the first review', () => ours().filter((t) => t.commit === first.cs.headCommit).length === 2 || ours().length >= 2);
    // The same branch one commit earlier: the test file is not in it, invoice.ts is.
    await vscode.commands.executeCommand('seniorReview.openReview', { repo, base: 'main', head: 'HEAD~1' });
    const second = await until('the second review', () => a.controller.current !== first && a.controller.current);
    await a.tabs.follow(second);
    const after = ours();
    assert.deepEqual(after.map((t) => t.path).sort(), ['/src/billing/invoice.ts']);
    assert.deepEqual([...new Set(after.map((t) => t.commit))], [second.cs.headCommit]);
    const files = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'file');
    assert.ok(files.some((t) => (t.input as vscode.TabInputText).uri.fsPath.endsWith('src/billing/invoice.ts')), "the reviewer's own editor of invoice.ts is still open");
    // Back to the first review for the tests that follow; Close Review would close them all.
    await vscode.commands.executeCommand('seniorReview.openReview', { repo, base: 'main' });
    const again = await until('the first review again', () => a.controller.current !== second && a.controller.current);
    await a.tabs.follow(again);
    assert.deepEqual([...new Set(ours().map((t) => t.commit))], [again.cs.headCommit]);
    await until('impact', () => again.impactReady, 90_000);
  });

  it("gives the same callers with impact.source = editor: the editor's providers answer only for languages no server handles", async () => {
    const a = await api();
    const r = a.controller.current!;
    await until('impact', () => r.impactReady, 90_000);
    type Impact = { source: string; callers: Array<{ path: string; line: number }> };
    const sites = (review: typeof r) =>
      review.cs.files.flatMap((f) =>
        f.hunks.map((h) => {
          const m = h.impact as Impact;
          return `${f.path}@${h.newStart} ${m.source}: ${[...new Set(m.callers.map((c) => `${c.path}:${c.line}`))].sort().join(' ')}`;
        }),
      );
    const bundled = sites(r);
    assert.ok(bundled.some((x) => / lsp: \S+:\d+/.test(x)), 'the bundled server found callers');
    const cfg = vscode.workspace.getConfiguration('seniorReview');
    await cfg.update('impact.source', 'editor', vscode.ConfigurationTarget.Workspace);
    try {
      await vscode.commands.executeCommand('seniorReview.refresh');
      const again = await until('the refreshed review', () => a.controller.current !== r && a.controller.current);
      await until("the editor's impact", () => again.impactReady, 120_000);
      // TypeScript has the bundled server, so the numbers (and the source) are the CLI's.
      assert.deepEqual(sites(again), bundled);
    } finally {
      await cfg.update('impact.source', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('adds, replies to and resolves a comment thread on the diff through the Comments API, stored in git', async () => {
    const a = await api();
    const r = a.controller.current!;
    const file = r.cs.files.find((f) => f.path === 'src/billing/invoice.ts')!;
    const [first, second] = file.hunks.filter((h) => h.newLines > 0);
    await vscode.commands.executeCommand('seniorReview.openHunk', first.id);
    // The head side of the diff, as the extension's diff editor names it (scheme senior-review, source in the query).
    const head = vscode.Uri.from({ scheme: 'senior-review', path: `/${file.path}`, query: JSON.stringify({ repo: r.cs.repo, commit: r.cs.headCommit }) });
    const draft = a.comments.controller.createCommentThread(head, new vscode.Range(first.newStart - 1, 0, first.newStart - 1, 0), []);
    const id = (await vscode.commands.executeCommand('seniorReview.comments.create', { thread: draft, text: 'Why round here and not once at the end?' })) as string | null;
    assert.ok(id, 'the thread was written');
    const shown = await until('the stored thread in the editor', () => a.comments.threads().find((t) => t.located.thread.id === id));
    assert.equal(shown.thread.uri.toString(), head.toString());
    assert.equal(shown.thread.range.start.line, first.newStart - 1);
    assert.equal(await vscode.commands.executeCommand('seniorReview.comments.reply', { thread: shown.thread, text: 'Rounding twice loses a cent.' }), true);
    assert.equal(shown.thread.comments.length, 2);
    // Edit: the reviewer's own comment, through the actions VS Code's comment widget calls.
    const mine = shown.thread.comments[0];
    assert.equal(mine.contextValue, 'editable');
    await vscode.commands.executeCommand('seniorReview.comments.edit', mine);
    mine.body = 'Why round here and not once at the end of the invoice?';
    assert.equal(await vscode.commands.executeCommand('seniorReview.comments.saveEdit', mine), true);
    assert.equal(await vscode.commands.executeCommand('seniorReview.comments.resolve', shown.thread), true);
    assert.equal(shown.thread.state, vscode.CommentThreadState.Resolved);
    // A second thread stays open: Request Changes must list it with its file and line.
    const open = a.comments.controller.createCommentThread(head, new vscode.Range(second.newStart - 1, 0, second.newStart - 1, 0), []);
    assert.ok(await vscode.commands.executeCommand('seniorReview.comments.create', { thread: open, text: 'Is this covered by a test?' }));

    // git is the oracle: one comments ref, the thread's file in its tree, one commit per change.
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    const refs = git('for-each-ref', '--format=%(refname)', 'refs/senior-review/comments/').trim().split('\n');
    assert.equal(refs.length, 1);
    const stored = JSON.parse(git('show', `${refs[0]}:threads/${id}.json`)) as { anchor: { path: string; side: string; line: number; commit: string }; comments: Array<{ author: string; body: string; editedAt: string | null }>; resolved: boolean; resolvedBy: string };
    assert.deepEqual(stored.anchor.path, file.path);
    assert.deepEqual([stored.anchor.side, stored.anchor.line, stored.anchor.commit], ['head', first.newStart, r.cs.headCommit]);
    assert.deepEqual(stored.comments.map((c) => [c.author, c.body]), [
      ['Rita Reviewer <rita@example.com>', 'Why round here and not once at the end of the invoice?'],
      ['Rita Reviewer <rita@example.com>', 'Rounding twice loses a cent.'],
    ]);
    assert.deepEqual(stored.comments.map((c) => c.editedAt !== null), [true, false]);
    assert.equal(stored.resolved, true);
    assert.equal(stored.resolvedBy, 'Rita Reviewer <rita@example.com>');
    assert.equal(Number(git('rev-list', '--count', refs[0]).trim()), 5);

    const md = (await vscode.commands.executeCommand('seniorReview.requestChanges')) as string;
    assert.match(md, /^### Unresolved comments \(1\)$/m);
    assert.ok(md.includes(`**src/billing/invoice.ts:${second.newStart}** — Is this covered by a test?`), md);
    assert.ok(!md.includes('Why round here'), 'a resolved thread is not requested again');
  });

  it('walks the checklist, approves, writes trailers git reads back and pushes the sign-off with the comments', async () => {
    const a = await api();
    const r = a.controller.current!;
    // A bare repository on disk as the branch's upstream, holding the reviewed head.
    const remote = mkdtempSync(join(tmpdir(), 'sr-remote-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
    execFileSync('git', ['init', '-q', '--bare', remote]);
    git('remote', 'add', 'origin', remote);
    git('push', '-q', '-u', 'origin', 'HEAD');
    const branch = git('symbolic-ref', '--short', 'HEAD');
    const before = a.checklist.state();
    assert.ok(before.items.length >= 5);
    const refused = r.session.checked.architecture;
    assert.equal(refused, undefined);
    for (const item of before.items) {
      r.session.checked[item.id] = true;
      if (item.requiresNote) r.session.notes[item.id] = `checked ${item.id} in the host test`;
    }
    for (const h of before.toVisit!) r.session.visited.push(h.id);
    a.controller.touch();
    const after = a.checklist.state();
    assert.ok(after.items.every((i) => i.checked));
    const approved = (await vscode.commands.executeCommand('seniorReview.approve', { confirm: false, push: true })) as { commit: string; pushed: boolean };
    const parsed = await until('the sign-off commit', () => {
      const out = execFileSync('git', ['interpret-trailers', '--parse'], { cwd: repo, input: execFileSync('git', ['log', '-1', '--format=%B'], { cwd: repo }), encoding: 'utf8' });
      return out.includes('Reviewed-by:') ? out : null;
    });
    assert.match(parsed, /^Reviewed-by: Rita Reviewer <rita@example.com>$/m);
    assert.match(parsed, /^Senior-Review-Patch-Id: v2 [0-9a-f]{64}$/m);
    assert.match(parsed, /^Senior-Review-Checks: .*architecture.*$/m);
    const verified = (await vscode.commands.executeCommand('seniorReview.verify')) as { ok: boolean } | undefined;
    assert.equal(verified?.ok, true);
    // The upstream already had the reviewed head: a sign-off commit on it, sent by a plain push, with the comments.
    assert.equal(approved.pushed, true);
    assert.equal(git('rev-parse', branch), approved.commit);
    assert.equal(git('--git-dir', remote, 'rev-parse', `refs/heads/${branch}`), approved.commit);
    const comments = git('for-each-ref', '--format=%(refname) %(objectname)', 'refs/senior-review/comments/');
    assert.equal(git('--git-dir', remote, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/senior-review/comments/'), comments);
  });

  it('after the author changes a hunk, the tree shows only what changed since the last review, and the hunk then vs now', async () => {
    const a = await api();
    const before = a.controller.current!;
    assert.ok(before.since?.signoff, 'the sign-off counts as the last review');
    const money = before.cs.files.find((f) => f.path === 'src/util/money.ts')!;
    const added = money.hunks.flatMap((h) => h.lines).find((l) => l.startsWith('+') && l.trim().length > 3)!.slice(1);
    const file = join(repo, money.path);
    const text = readFileSync(file, 'utf8');
    assert.ok(text.includes(added));
    writeFileSync(file, text.replace(added, `${added} // checked twice`));
    execFileSync('git', ['-c', 'user.name=Ada Author', '-c', 'user.email=ada@example.com', 'commit', '-qam', 'money: a note'], { cwd: repo });
    await vscode.commands.executeCommand('seniorReview.refresh');
    const r = await until('the review of the new head', () => a.controller.current !== before && a.controller.current);
    assert.deepEqual([r.since?.counts.changed, r.since?.counts.new], [1, 0]);
    const top = await a.tree.getChildren();
    const row = top.find((n) => n.kind === 'since')!;
    assert.equal(a.tree.getTreeItem(row).label, 'Since your last review');
    assert.deepEqual(top.flatMap((n) => (n.kind === 'file' ? [n.file.path] : [])), ['src/util/money.ts']);
    const shown = (await a.tree.getChildren(top.find((n) => n.kind === 'file')!)).flatMap((n) => (n.kind === 'hunk' ? [n.hunk] : []));
    assert.deepEqual(shown.map((h) => h.reviewState), ['changed']);
    assert.match(String(a.tree.getTreeItem({ kind: 'hunk', file: r.cs.files.find((f) => f.path === money.path)!, hunk: shown[0] }).contextValue), /-changed$/);

    assert.equal(await vscode.commands.executeCommand('seniorReview.showHunkSinceReview', shown[0].id), true);
    const sides = await until('both versions of the hunk', () => {
      const docs = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'senior-review-hunk');
      const then = docs.find((d) => d.uri.fragment === 'then');
      const now = docs.find((d) => d.uri.fragment === 'now');
      return then && now ? { then: then.getText(), now: now.getText() } : null;
    });
    assert.ok(sides.then.includes(added) && !sides.then.includes('// checked twice'), sides.then);
    assert.ok(sides.now.includes(`${added} // checked twice`), sides.now);

    // The filter is the reviewer's to switch off: every file again.
    await vscode.commands.executeCommand('seniorReview.toggleSinceReview');
    assert.equal((await a.tree.getChildren()).filter((n) => n.kind === 'file').length, r.cs.files.length);
  });

  it("an editor provider that throws costs only its hunk: the editor's other answers still count", async () => {
    const a = await api();
    const before = a.controller.current;
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Ada Author', '-c', 'user.email=ada@example.com', ...args], { cwd: repo, encoding: 'utf8' });
    const branch = git('rev-parse', '--abbrev-ref', 'HEAD').trim();
    // Python has no server here: with impact.source = editor its hunks go to the editor's providers,
    // which this test registers.
    const files = { 'py/a.py': 'def f():\n    return 1\n', 'py/b.py': 'def g():\n    return 2\n', 'py/c.py': 'from b import g\n\n\ndef use_g():\n    return g()\n' };
    const defAt = (doc: vscode.TextDocument, line: number) => {
      const m = /^def (\w+)\(/.exec(doc.lineAt(line).text);
      // Every function here has a one-line body.
      return m ? { name: m[1], range: new vscode.Range(line, 0, line + 1, doc.lineAt(line + 1).text.length), selection: new vscode.Range(line, 4, line, 4 + m[1].length) } : null;
    };
    const selector = { scheme: 'file', pattern: '**/py/*.py' };
    const registered = [
      vscode.languages.registerDocumentSymbolProvider(selector, {
        provideDocumentSymbols: (doc) => [...Array(doc.lineCount).keys()].flatMap((l) => {
          const d = defAt(doc, l);
          return d ? [new vscode.DocumentSymbol(d.name, '', vscode.SymbolKind.Function, d.range, d.selection)] : [];
        }),
      }),
      vscode.languages.registerCallHierarchyProvider(selector, {
        prepareCallHierarchy: (doc, pos) => {
          if (doc.uri.path.endsWith('/py/a.py')) throw new Error('the provider broke');
          const d = defAt(doc, pos.line);
          return d ? new vscode.CallHierarchyItem(vscode.SymbolKind.Function, d.name, '', doc.uri, d.range, d.selection) : undefined;
        },
        provideCallHierarchyIncomingCalls: (item) => {
          if (item.name !== 'g') return [];
          const c = vscode.Uri.file(join(repo, 'py', 'c.py'));
          const from = new vscode.CallHierarchyItem(vscode.SymbolKind.Function, 'use_g', '', c, new vscode.Range(3, 0, 4, 14), new vscode.Range(3, 4, 3, 9));
          return [new vscode.CallHierarchyIncomingCall(from, [new vscode.Range(4, 11, 4, 12)])];
        },
        provideCallHierarchyOutgoingCalls: () => [],
      }),
    ];
    const cfg = vscode.workspace.getConfiguration('seniorReview');
    await cfg.update('impact.source', 'editor', vscode.ConfigurationTarget.Workspace);
    try {
      git('checkout', '-q', '-b', 'sr-provider-base');
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(join(repo, 'py'), { recursive: true });
        writeFileSync(join(repo, path), text);
      }
      git('add', 'py');
      git('commit', '-qm', 'python helpers');
      git('checkout', '-q', '-b', 'sr-provider-head');
      writeFileSync(join(repo, 'py/a.py'), files['py/a.py'].replace('1', '10'));
      writeFileSync(join(repo, 'py/b.py'), files['py/b.py'].replace('2', '20'));
      git('commit', '-qam', 'python helpers: new values');
      await vscode.commands.executeCommand('seniorReview.openReview', { repo, base: 'sr-provider-base' });
      const r = await until('the review of the python change', () => a.controller.current !== before && a.controller.current);
      await until('impact', () => r.impactReady, 120_000);
      const impactOf = (path: string) => r.cs.files.find((f) => f.path === path)!.hunks[0].impact as { source: string; approximate: boolean; callers: Array<{ name: string }> };
      const notes = (r.cs.impact as { notes: string[] }).notes;
      assert.ok(notes.some((n) => /^VS Code call hierarchy answered vscode\.prepareCallHierarchy with an error: the provider broke: approximate text search/.test(n)), JSON.stringify([notes, r.cs.files.map((f) => [f.path, f.hunks.map((h) => h.impact)])]));
      assert.ok(!notes.some((n) => /failed twice/.test(n)), notes.join('\n'));
      assert.equal(impactOf('py/a.py').approximate, true, 'the hunk whose request failed falls back to the text search, and says why');
      assert.equal(impactOf('py/b.py').source, 'editor');
      assert.deepEqual(impactOf('py/b.py').callers.map((c) => c.name), ['use_g']);
    } finally {
      await cfg.update('impact.source', undefined, vscode.ConfigurationTarget.Workspace);
      registered.forEach((d) => d.dispose());
      git('checkout', '-q', branch);
      git('branch', '-q', '-D', 'sr-provider-head', 'sr-provider-base');
    }
  });
});
