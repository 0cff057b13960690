// Bundles the extension (vscode external) and the CLI (Node, with a shebang) into dist/.
// `--production` minifies for the .vsix; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // The language server and its TypeScript are spawned as separate processes from node_modules.
  external: ['vscode', 'typescript', 'typescript-language-server'],
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { ...common, entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // tsserver without diagnostics (see the file); the language server reads the TypeScript version
  // from the package.json two levels above the tsserver.js it is given.
  { ...common, entryPoints: ['src/tsserver/quietTsserver.ts'], outfile: 'dist/tsserver/lib/tsserver.js' },
];

mkdirSync('dist/tsserver', { recursive: true });
const { version } = JSON.parse(readFileSync('node_modules/typescript/package.json', 'utf8'));
writeFileSync('dist/tsserver/package.json', JSON.stringify({ name: 'senior-review-quiet-tsserver', private: true, version }, null, 2) + '\n');

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
  chmodSync('dist/cli.js', 0o755);
}
