// The language server path: nothing from the head loads (tsconfig plugins, a committed TypeScript,
// a project file extending or referencing files outside the tree), checked with the real
// typescript-language-server; and every way a server can fail ends in one clear line and the text
// fallback, never a stack trace or a hang (tiny fake servers written by the test).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeChangeSet } from '../../../src/core/analysis/analyze';
import { HunkImpact, ChangeSetImpact } from '../../../src/core/impact/impactTypes';
import { sanitizeProjectFile } from '../../../src/core/impact/projectFiles';
import { impactOptionsFromFlags } from '../../../src/cli/impactFlags';
import { cleanupRepos, tempRepo } from '../../helpers/repos';
import { MarkerBox } from '../../helpers/markers';
import { RepoBuilder } from '../../../src/demo/repoBuilder';

const LIB = 'function helper(x: number): number {\n  return x + 1;\n}\n';
const USE = '// Uses the helper.\n\nfunction useIt(): number {\n  return helper(2);\n}\n\n// End.\n';

/** Runs the built CLI as a real process; the guard only stops a hang from stalling the suite. */
function runCli(args: string[], cwd: string): { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string } {
  const cli = join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', timeout: 100_000, killSignal: 'SIGKILL' });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Whether a process is gone (or a zombie waiting to be reaped, which runs nothing). */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

async function tsRepo(headExtra: Record<string, Parameters<RepoBuilder['writeFile']>[1]> = {}, baseExtra: Record<string, string> = { 'tsconfig.json': '{"include": ["src"]}' }): Promise<RepoBuilder> {
  const r = await tempRepo();
  await r.commit({ message: 'base', files: { 'src/lib.ts': LIB, 'src/use.ts': USE, ...baseExtra } });
  await r.branch('feature');
  await r.checkout('feature');
  await r.commit({ message: 'change', files: { 'src/lib.ts': LIB.replace('x + 1', 'x + 2'), ...headExtra } });
  await r.checkout('main');
  return r;
}

describe('security: the language server', function () {
  this.timeout(150_000);
  const boxes: MarkerBox[] = [];
  after(() => {
    cleanupRepos();
    boxes.forEach((b) => b.cleanup());
  });

  it('loads no plugin, TypeScript or outside project file named by the head (real typescript-language-server)', async () => {
    const m = new MarkerBox();
    boxes.push(m);
    const mark = (tag: string) => `require('fs').appendFileSync(${JSON.stringify(m.file)}, ${JSON.stringify(`${tag}\n`)});\n`;
    // Outside the tree: a base config that would add a caller and a plugin of its own.
    writeFileSync(join(m.dir, 'caller.ts'), '// Outside the tree.\n\nfunction outsider(): number {\n  return helper(3);\n}\n\n// End.\n');
    writeFileSync(join(m.dir, 'base.json'), JSON.stringify({ compilerOptions: { plugins: [{ name: 'outside-plugin' }] }, files: ['caller.ts'] }));
    const tsconfig = `{
      // JSONC, as TypeScript reads it
      "extends": ${JSON.stringify(join(m.dir, 'base.json'))},
      "compilerOptions": { "plugins": [{ "name": "evil-plugin" }], },
      "references": [{ "path": ${JSON.stringify(m.dir)} }],
      "include": ["src"],
    }`;
    const r = await tsRepo({
      'tsconfig.json': tsconfig,
      'node_modules/evil-plugin/package.json': '{"name": "evil-plugin", "main": "index.js"}',
      'node_modules/evil-plugin/index.js': `${mark('plugin')}module.exports = () => ({ create: (info) => info.languageService });\n`,
      'node_modules/typescript/package.json': '{"name": "typescript", "version": "5.9.3", "main": "lib/typescript.js"}',
      'node_modules/typescript/lib/tsserver.js': mark('tsserver'),
      'node_modules/typescript/lib/typescript.js': mark('typescript'),
    });
    const cs = await analyzeChangeSet({ repo: r.dir, base: 'main', head: 'feature', history: false, impact: { useCache: false } });
    const m0 = cs.files.find((f) => f.path === 'src/lib.ts')!.hunks[0].impact as HunkImpact;
    assert.equal(m0.source, 'lsp', m0.note);
    assert.deepEqual(m0.callers.map((c) => c.name), ['useIt'], 'a caller outside the tree came in through extends');
    assert.equal(m.ran(), '', 'code from the head or outside the tree was loaded');
    const notes = (cs.impact as ChangeSetImpact).notes;
    assert.ok(notes.some((n) => /^project files sanitised for analysis: tsconfig\.json \(compilerOptions\.plugins, extends \/.*base\.json, references \//.test(n)), JSON.stringify(notes));
  });

  it('sanitises project files with TypeScript\'s JSONC parser: no plugins, nothing outside the tree', () => {
    const tree = '/r/.git/senior-review/trees/abc/tree';
    const exists = (p: string) => ['/r/.git/senior-review/trees/abc/tree/configs/base.json', '/r/.git/senior-review/trees/abc/tree/node_modules/@tsconfig/node20/tsconfig.json'].includes(p);
    const text = `// comment
    {
      "extends": ["./configs/base.json", "../../../../../../etc/x.json", "@tsconfig/node20/tsconfig.json", "@outside/pkg"],
      "compilerOptions": { "plugins": [{ "name": "p" }], "strict": true, /* kept */ },
      "references": [{ "path": "./packages/a" }, { "path": "../../../other" }, { "path": "/abs/elsewhere" }],
    }`;
    const out = sanitizeProjectFile(text, `${tree}/tsconfig.json`, tree, exists);
    assert.deepEqual(out.config, {
      extends: ['./configs/base.json', './node_modules/@tsconfig/node20/tsconfig.json'],
      compilerOptions: { strict: true },
      references: [{ path: './packages/a' }],
    });
    assert.deepEqual(out.dropped.sort(), ['compilerOptions.plugins', 'extends ../../../../../../etc/x.json', 'extends @outside/pkg', 'references ../../../other', 'references /abs/elsewhere'].sort());
    assert.equal(sanitizeProjectFile('{ "include": ["src"] }', `${tree}/jsconfig.json`, tree, exists).dropped.length, 0);
    const garbage = sanitizeProjectFile('not json at all {', `${tree}/tsconfig.json`, tree, exists);
    assert.deepEqual([garbage.config, garbage.dropped, garbage.changed], [{}, [], false], 'read as TypeScript reads it');
  });

  describe('failures: one clear line, the text fallback, no hang', () => {
    let r: RepoBuilder;
    let fakes: string;
    before(async () => {
      r = await tsRepo();
      fakes = mkdtempSync(join(tmpdir(), 'sr-fake-ls-'));
    });
    after(() => rmSync(fakes, { recursive: true, force: true }));

    const fake = (name: string, body: string) => {
      const p = join(fakes, name);
      writeFileSync(p, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
      return p;
    };
    const impactWith = (server: string, extra: string[] = []) => runCli(['impact', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--language-server', `.ts=${server}`, ...extra], r.dir);
    const check = (run: ReturnType<typeof runCli>, why: RegExp) => {
      assert.equal(run.signal, null, `the CLI hung and was stopped by the guard; stderr: ${run.stderr}`);
      assert.equal(run.code, 0, run.stderr);
      assert.doesNotMatch(run.stderr, /\n\s+at |Error: |EPIPE|ERR_STREAM/, 'a stack trace or raw error');
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
      assert.match(run.stderr, why);
      const out = JSON.parse(run.stdout) as { impact: ChangeSetImpact; hunks: Array<{ impact: HunkImpact }> };
      assert.equal(out.impact.approximate, true);
      assert.ok(out.hunks[0].impact.callers.some((c) => c.path === 'src/use.ts'), 'the text fallback still answers');
      assert.ok(out.impact.notes.some((n) => why.test(n)), JSON.stringify(out.impact.notes));
    };

    it('a server that exits at once (/bin/true)', () => {
      check(impactWith('/bin/true'), /true.*exited/);
    });

    it('a server binary that does not exist', () => {
      check(impactWith(join(fakes, 'no-such-server')), /no-such-server.*not found/);
    });

    it('a server that prints garbage while a child it started keeps the pipe open', () => {
      const pids = join(fakes, 'garbage.pids');
      const server = fake('garbage', `sleep 300 &\necho $! >> '${pids}'\necho $$ >> '${pids}'\necho 'Welcome! This is not LSP.'\nexec sleep 300`);
      const run = impactWith(server, ['--server-timeout', '3']);
      check(run, /garbage.*(did not answer|not LSP)/);
      for (const pid of readFileSync(pids, 'utf8').trim().split('\n').map(Number)) assert.ok(gone(pid), `process ${pid} of the server survived`);
    });

    it('a server that never answers, bounded by --server-timeout', () => {
      const pids = join(fakes, 'silent.pids');
      const server = fake('silent', `echo $$ >> '${pids}'\nexec sleep 300`);
      check(impactWith(server, ['--server-timeout', '2']), /silent.*did not answer within 2 s/);
      for (const pid of readFileSync(pids, 'utf8').trim().split('\n').map(Number)) assert.ok(gone(pid), `process ${pid} of the server survived`);
    });

    it('rejects a bad --server-timeout as usage', () => {
      for (const bad of ['0', '-1', 'soon', '1e9']) {
        const run = runCli(['impact', '--repo', r.dir, `--server-timeout=${bad}`], r.dir);
        assert.equal(run.code, 2, bad);
        assert.match(run.stderr, /^senior-review impact: --server-timeout must be/);
      }
      assert.equal((impactOptionsFromFlags({ 'server-timeout': '7' }) as { serverTimeoutMs: number }).serverTimeoutMs, 7000);
      assert.equal(existsSync(join(r.dir, '.git', 'shallow')), false);
    });
  });
});
