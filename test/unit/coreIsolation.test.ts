// The core must run without an editor: no file under src/core may import `vscode`.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('src/core isolation', () => {
  it('has no vscode import anywhere below src/core', () => {
    const root = join(__dirname, '..', '..', '..', 'src', 'core');
    const files = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => join(e.parentPath ?? e.path, e.name));
    assert.ok(files.length > 5, 'expected to find the core sources');
    const offenders = files.filter((f) => /(from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"])/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
