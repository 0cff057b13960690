// Installs code-server 4.96.4 (VS Code 1.96, Node 20) offline from the npm registry and Debian's
// packages, caches it under .cache/, and starts it on 127.0.0.1: the real VS Code the extension is
// run and tested in. Node built-ins only.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VERSION = '4.96.4';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = join(ROOT, '.cache', `code-server-${VERSION}`);
const PKG = join(CACHE, 'package');
const MARKER = join(CACHE, '.installed');
const APT = ['libkrb5-dev', 'pkg-config', 'ripgrep'];

function run(cmd, args, cwd, quiet = true) {
  execFileSync(cmd, args, { cwd, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', env: { ...process.env, npm_config_loglevel: 'error' } });
}

function aptInstall() {
  const missing = APT.filter((p) => {
    try { execFileSync('dpkg', ['-s', p], { stdio: 'ignore' }); return false; } catch { return true; }
  });
  if (!missing.length) return;
  if (process.getuid?.() !== 0) throw new Error(`missing Debian packages ${missing.join(' ')} (install them as root)`);
  run('apt-get', ['update', '-qq'], ROOT);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], ROOT);
}

export function installed() {
  return existsSync(MARKER) ? join(PKG, 'out', 'node', 'entry.js') : null;
}

export function ensureCodeServer(log = (m) => process.stderr.write(`${m}\n`)) {
  const entry = installed();
  if (entry) return entry;
  const t0 = Date.now();
  aptInstall();
  rmSync(CACHE, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  log(`installing code-server ${VERSION} into ${CACHE} (about two minutes, once)`);
  run('npm', ['pack', `code-server@${VERSION}`, '--pack-destination', CACHE], CACHE);
  run('tar', ['xzf', `code-server-${VERSION}.tgz`], CACHE);
  const vscode = join(PKG, 'lib', 'vscode');
  // @vscode/proxy-agent is pinned to a git commit, which needs the network: use the registry tarball.
  const shrinkPath = join(vscode, 'npm-shrinkwrap.json');
  const shrink = JSON.parse(readFileSync(shrinkPath, 'utf8'));
  const pa = shrink.packages['node_modules/@vscode/proxy-agent'];
  const meta = JSON.parse(execFileSync('npm', ['view', `@vscode/proxy-agent@${pa.version}`, 'dist', '--json'], { encoding: 'utf8' }));
  pa.resolved = meta.tarball;
  pa.integrity = meta.integrity;
  writeFileSync(shrinkPath, JSON.stringify(shrink, null, 2));
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], vscode);
  run('npm', ['rebuild', 'node-pty', '@vscode/spdlog', 'kerberos', 'native-watchdog', '@parcel/watcher', '@vscode/deviceid'], vscode);
  if (!existsSync(join(vscode, 'node_modules.asar'))) symlinkSync('node_modules', join(vscode, 'node_modules.asar'));
  const rg = join(vscode, 'node_modules', '@vscode', 'ripgrep', 'bin');
  mkdirSync(rg, { recursive: true });
  rmSync(join(rg, 'rg'), { force: true });
  symlinkSync('/usr/bin/rg', join(rg, 'rg'));
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], join(vscode, 'extensions'));
  run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], PKG);
  run('npm', ['rebuild', 'argon2'], PKG);
  writeFileSync(MARKER, new Date().toISOString());
  log(`code-server installed in ${Math.round((Date.now() - t0) / 1000)} s`);
  return join(PKG, 'out', 'node', 'entry.js');
}

/**
 * Ends code-server and resolves once it has exited (SIGKILL after 10 s): its folders are removed
 * next, and a server still writing its workspace storage made that removal fail (ENOTEMPTY).
 */
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}

/** Starts code-server and resolves once it answers HTTP. */
export async function startCodeServer({ folder, port, userDataDir, extensionsDir, env = {} }) {
  const entry = ensureCodeServer();
  const args = [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, folder];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`code-server exited: ${output.slice(-500)}`);
    try {
      const r = await fetch(`${url}healthz`);
      if (r.ok) return { url, process: child, output: () => output, stop: () => stopChild(child) };
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('code-server did not answer within 60 s');
}
