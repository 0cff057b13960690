// Installs the built extension, unpacked, into a VS Code extensions folder: package.json,
// package.nls.json, dist/, media/, schemas/ and the runtime packages it spawns (the language
// server and its TypeScript), linked from this checkout's node_modules.
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** `withTests`: also the in-host test runner and tests (out/test/integration) and mocha. */
export function installUnpacked(extensionsDir, { withTests = false } = {}) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const dir = join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'node_modules'), { recursive: true });
  for (const f of ['package.json', 'package.nls.json', 'README.md']) cpSync(join(ROOT, f), join(dir, f));
  for (const d of ['dist', 'media', 'schemas']) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  for (const m of ['typescript', 'typescript-language-server', ...(withTests ? ['mocha'] : [])]) symlinkSync(join(ROOT, 'node_modules', m), join(dir, 'node_modules', m));
  if (withTests) cpSync(join(ROOT, 'out', 'test', 'integration'), join(dir, 'test-host'), { recursive: true, filter: (f) => !f.endsWith('.map') });
  return dir;
}
