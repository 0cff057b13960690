// The checklist panel's path shortening (media/pathShortening.js, run in the webview): directories
// leave from the middle, the first one and the file name stay whole.
import assert from 'node:assert/strict';
import { join } from 'node:path';

const { pathCandidates, fitPath } = require(join(__dirname, '..', '..', '..', '..', 'media', 'pathShortening.js')) as {
  pathCandidates: (path: string) => string[];
  fitPath: (el: { title: string; textContent: string; scrollWidth: number; clientWidth: number }, path: string) => string;
};

describe('checklist path shortening', () => {
  it('drops directories from the middle, keeping the first directory and the file name', () => {
    assert.deepEqual(pathCandidates('packages/vite/src/node/server/index.ts'), [
      'packages/vite/src/node/server/index.ts',
      'packages/…/src/node/server/index.ts',
      'packages/…/node/server/index.ts',
      'packages/…/server/index.ts',
      'packages/…/index.ts',
      '…/index.ts',
    ]);
    assert.deepEqual(pathCandidates('src/invoice.ts'), ['src/invoice.ts', '…/invoice.ts']);
    assert.deepEqual(pathCandidates('README.md'), ['README.md']);
    for (const c of pathCandidates('a/b/c/d/a-long-file-name.test.ts')) assert.ok(c.endsWith('/a-long-file-name.test.ts') || c === 'a/b/c/d/a-long-file-name.test.ts');
  });

  it('shows the longest form that fits the box, with the whole path as its tooltip', () => {
    // A box that measures text as one unit per character, like a monospace line.
    const box = (width: number) => ({ title: '', _text: '', get textContent() { return this._text; }, set textContent(v: string) { this._text = v; }, get scrollWidth() { return this._text.length; }, clientWidth: width });
    const path = 'packages/vite/src/node/server/index.ts';
    for (const [width, shown] of [[80, path], [30, 'packages/…/server/index.ts'], [20, 'packages/…/index.ts'], [12, '…/index.ts'], [5, '…/index.ts']] as const) {
      const el = box(width);
      assert.equal(fitPath(el, path), shown, `width ${width}`);
      assert.equal(el.textContent, shown);
      assert.equal(el.title, path);
    }
  });
});
