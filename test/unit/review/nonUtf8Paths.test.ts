// File names that are not UTF-8 keep their identity end to end: two names differing in one
// invalid byte stay two files with two hunk ids, and analyze, checklist and approve succeed on a
// repository where `caf\xe9.js` (program source, so blamed and analysed) is modified and `x\xff.ts` and `x\xfe.ts` are added.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { computeChangeSet } from '../../../src/core/review/changeSet';
import { resolveRange } from '../../../src/core/review/resolveRange';
import { runGit } from '../../../src/core/git/runGit';
import { readBlobAt } from '../../../src/core/git/repository';
import { decodeGitPath, encodeGitPath } from '../../../src/core/git/gitPath';
import { decodeIndex } from '../../../src/core/history/indexFormat';
import { RepoBuilder } from '../../../src/demo/repoBuilder';
import { cli, cleanupRepos, tempRepo } from '../../helpers/repos';
import { ALL_CHECKS, AUTHOR, REVIEWER } from '../../helpers/signoffRepo';

const CAFE = Buffer.from('caf\xe9.js', 'latin1');
const XFF = Buffer.from('x\xff.ts', 'latin1');
const XFE = Buffer.from('x\xfe.ts', 'latin1');

function writeBytesNamed(r: RepoBuilder, name: Buffer, content: string): void {
  writeFileSync(Buffer.concat([Buffer.from(`${r.dir}/`), name]), content);
}

async function latin1Repo(): Promise<RepoBuilder> {
  const r = await tempRepo('2025-01-01T00:00:00Z');
  writeBytesNamed(r, CAFE, '// un café\nexport const deux = 2;\n');
  await r.commit({ message: 'base', author: AUTHOR, files: { 'src/main.ts': 'export const main = 1;\n' } });
  await r.branch('feature');
  await r.checkout('feature');
  writeBytesNamed(r, CAFE, '// un café\nexport const trois = 3;\n');
  // The same content under two names that differ in one byte that is not UTF-8.
  writeBytesNamed(r, XFF, 'export const same = 1;\n');
  writeBytesNamed(r, XFE, 'export const same = 1;\n');
  await r.commit({ message: 'Latin-1 names', author: AUTHOR });
  await r.git('config', 'user.name', REVIEWER.name);
  await r.git('config', 'user.email', REVIEWER.email);
  return r;
}

describe('file names that are not UTF-8', () => {
  after(cleanupRepos);

  it('keep one identity per byte string in the change set', async () => {
    const r = await latin1Repo();
    const ctx = { cwd: r.dir };
    const cs = await computeChangeSet(r.dir, await resolveRange({ base: 'main', head: 'feature' }, ctx), ctx);
    assert.equal(cs.files.length, 3);
    assert.equal(new Set(cs.files.map((f) => f.path)).size, 3, `three distinct paths, got ${JSON.stringify(cs.files.map((f) => f.path))}`);
    const ids = cs.files.flatMap((f) => f.hunks.map((h) => h.id));
    assert.equal(ids.length, 3);
    assert.equal(new Set(ids).size, 3, 'identical hunks under different names have different ids');
    // Oracle: git's own list of names, as bytes.
    const names = (await runGit(['diff', '--name-only', '-z', 'main', 'feature'], ctx)).stdout;
    assert.equal(names.toString('latin1'), [CAFE, XFE, XFF].map((b) => b.toString('latin1') + '\0').join(''));
    // Each path gives back exactly git's bytes, and the JSON field says so for those that are not UTF-8.
    assert.deepEqual(cs.files.map((f) => encodeGitPath(f.path).toString('hex')), [CAFE, XFE, XFF].map((b) => b.toString('hex')));
    assert.deepEqual(cs.files.map((f) => f.pathBytes), [CAFE, XFE, XFF].map((b) => b.toString('base64')));
    // Reading a blob by the id the diff gave, or by commit and name, works whatever the name.
    const blob = await runGit(['cat-file', 'blob', cs.files[0].newOid!], ctx);
    assert.equal(blob.stdout.toString('utf8'), '// un café\nexport const trois = 3;\n');
    assert.equal((await readBlobAt('feature', cs.files[0].path, ctx))?.toString('utf8'), '// un café\nexport const trois = 3;\n');
    assert.equal((await readBlobAt('main', cs.files[0].path, ctx))?.toString('utf8'), '// un café\nexport const deux = 2;\n');
    assert.equal(await readBlobAt('main', cs.files[2].path, ctx), null, 'absent at the base');
    const odd = Buffer.from('odd \xe9\nname blob 7.txt', 'latin1');
    writeBytesNamed(r, odd, 'odd\n');
    await r.commit({ message: 'odd name' });
    assert.equal((await readBlobAt('HEAD', decodeGitPath(odd), ctx))?.toString('utf8'), 'odd\n');
    assert.equal(await readBlobAt('HEAD', decodeGitPath(Buffer.from('odd \xe9\nname blob 8.txt', 'latin1')), ctx), null);
  });

  it('decode and encode any bytes losslessly, UTF-8 names unchanged', () => {
    const samples = [
      'plain/ascii.ts', 'ünï cödé.md', '\u{1F080}/astral.ts', 'dir/new "name"\n.txt',
    ].map((s) => Buffer.from(s, 'utf8'));
    // Invalid UTF-8: lone bytes, a truncated sequence, an overlong form, an encoded surrogate, past U+10FFFF.
    samples.push(CAFE, XFF, Buffer.from([0xe2, 0x82]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf4, 0x90, 0x80, 0x80]), Buffer.from([0x61, 0xe9, 0xe2, 0x82, 0xac, 0xff]));
    const decoded = samples.map((b) => decodeGitPath(b));
    assert.equal(new Set(decoded).size, samples.length);
    samples.forEach((b, i) => assert.equal(encodeGitPath(decoded[i]).toString('hex'), b.toString('hex'), `sample ${i}`));
    // Valid UTF-8 decodes exactly as Node does (so every existing name keeps its id).
    for (const b of samples.slice(0, 4)) assert.equal(decodeGitPath(b), b.toString('utf8'));
    assert.equal(decodeGitPath(Buffer.from([0x61, 0xe9, 0xe2, 0x82, 0xac, 0xff])), 'a\udce9€\udcff');
  });

  it('rebuild a history index written when such names were stored as U+FFFD', async () => {
    const r = await latin1Repo();
    const args = ['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--no-impact'];
    assert.equal((await cli(args)).code, 0);
    const dir = join(r.dir, '.git', 'senior-review', 'history');
    const index = decodeIndex(readFileSync(join(dir, 'history-index-v3.bin')));
    assert.ok(typeof index !== 'string' && index.files[decodeGitPath(CAFE)], 'the index keys the name losslessly');
    // What an earlier version cached: the JSON index, with the name decoded lossily. It is never read.
    const old = join(dir, 'history-index-v2.json');
    writeFileSync(old, JSON.stringify({ version: 2, tip: (await r.git('rev-parse', 'main')).trim(), files: { 'caf\ufffd.js': [0, 1, 0] } }));
    rmSync(join(dir, 'history-index-v3.bin'));
    // The whole analysis is cached too: without it, the next run reads the history index.
    rmSync(join(r.dir, '.git', 'senior-review', 'analysis'), { recursive: true, force: true });
    const again = await cli(args);
    assert.equal(again.code, 0, again.stderr);
    const out = JSON.parse(again.stdout) as { files: Array<{ status: string; history: { known: boolean } }>; timings: { passes: { history: { cache: string } } } };
    assert.equal(out.timings.passes.history.cache, 'cold');
    assert.equal(out.files.find((f) => f.status === 'modified')?.history.known, true);
    assert.equal(existsSync(old), false, 'the earlier format is removed');
  });

  it('are analysed and approved from the command line', async () => {
    const r = await latin1Repo();
    const a = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--no-impact']);
    assert.equal(a.code, 0, a.stderr);
    const out = JSON.parse(a.stdout) as { files: Array<{ path: string; pathBytes?: string; status: string; history: { known: boolean } }>; history: { notes: string[] } };
    assert.equal(new Set(out.files.map((f) => f.path)).size, 3);
    assert.deepEqual(out.files.map((f) => Buffer.from(f.pathBytes ?? '', 'base64').toString('hex')), [CAFE, XFE, XFF].map((b) => b.toString('hex')));
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'schemas', 'analyze.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
    assert.ok(validate(out), JSON.stringify(validate.errors));
    const cafe = out.files.find((f) => f.status === 'modified');
    assert.ok(cafe?.history.known, 'the modified file has its history at the base');
    // The one signal that needs the name as an argument is skipped, and says so.
    assert.equal(out.history.notes.length, 1, out.history.notes.join('\n'));
    assert.match(out.history.notes[0], /^line signals: knowledge loss \(git blame at the merge base\) computed for 0 files, not for 1: 1 whose name is not UTF-8 \(git blame takes names as arguments\)/);

    // With call-graph impact (the default): the language server cannot open such a name, and says so.
    const withImpact = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(withImpact.code, 0, withImpact.stderr);
    assert.ok((JSON.parse(withImpact.stdout) as { impact: { notes: string[] } }).impact.notes.some((n) => /file name is not UTF-8, so no language server can open it/.test(n)));

    const md = await cli(['analyze', '--repo', r.dir, '--base', 'main', '--head', 'feature', '--no-impact', '--format', 'markdown']);
    assert.equal(md.code, 0, md.stderr);
    // Shown lossy but readable: the byte as \xNN (escaped once more for Markdown).
    assert.match(md.stdout, /^\| caf\\\\xe9\.js \| modified \|/m);
    assert.match(md.stdout, /^\| x\\\\xfe\.ts \| added \|/m);

    const check = await cli(['checklist', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(check.code, 0, check.stderr);

    const ok = await cli(['approve', '--repo', r.dir, '--base', 'main', '--head', 'feature', ...ALL_CHECKS, '--visit-all', '--yes']);
    assert.equal(ok.code, 0, ok.stderr);
    const v = await cli(['verify', '--repo', r.dir, '--base', 'main', '--head', 'feature']);
    assert.equal(v.code, 0, v.stderr);
  });
});
