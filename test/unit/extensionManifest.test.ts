// The extension's manifest against its code: every contributed command is registered, every
// registered command is contributed, and every %key% has a string in package.nls.json.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');

describe('extension manifest', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const nls = JSON.parse(readFileSync(join(ROOT, 'package.nls.json'), 'utf8'));
  const sources = readdirSync(join(ROOT, 'src', 'vscode'), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => readFileSync(join(e.parentPath ?? e.path, e.name), 'utf8'))
    .join('\n');

  it('registers exactly the commands it contributes', () => {
    const contributed = (pkg.contributes.commands as Array<{ command: string }>).map((c) => c.command).sort();
    const registered = [...sources.matchAll(/registerCommand\('([^']+)'/g)].map((m) => m[1]).sort();
    assert.ok(contributed.length >= 12);
    assert.deepEqual(registered, contributed);
  });

  it('has a string for every %key% and the VS Code 1.96 engine', () => {
    const keys = [...JSON.stringify(pkg).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
    assert.ok(keys.length > 20);
    assert.deepEqual(keys.filter((k) => !(k in nls)), []);
    assert.equal(pkg.engines.vscode, '^1.96.0');
    assert.equal(pkg.devDependencies['@types/vscode'], '1.96.0');
  });
});
