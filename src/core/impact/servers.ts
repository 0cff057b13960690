// Which language server analyses which files: typescript-language-server (shipped with the
// extension, on the TypeScript it ships) for TS/JS, and any LSP server with call hierarchy that the
// user maps to other file extensions. The reviewed tree's own TypeScript only when it is trusted.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ServerCommand } from './lspClient';
import { QUIET_TSSERVER_TARGET } from './tsserverTarget';

export interface ServerSetting {
  /** File extensions, e.g. [".py"]. */
  extensions: string[];
  command: string;
  args?: string[];
  languageId: string;
  initializationOptions?: unknown;
}

const TS_LANGUAGES: Record<string, string> = {
  '.ts': 'typescript', '.tsx': 'typescriptreact', '.mts': 'typescript', '.cts': 'typescript',
  '.js': 'javascript', '.jsx': 'javascriptreact', '.mjs': 'javascript', '.cjs': 'javascript',
};

function resolvePackageDir(name: string): string | null {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

// Logged by typescript-language-server when tsserver exits under it (e.g. out of memory: "Exited.
// Code: null. Signal: SIGABRT"); it then lives on and answers every request with nothing.
const TSSERVER_EXITED = /\[tsserver\] Exited\. Code: \S+\. Signal: \S+/;

/**
 * The file types an analysis tree needs for these settings: TypeScript's sources, declarations and
 * JSON (package.json, project files, imported data); null (every file) once the user names a server
 * of their own, whose projects may read anything (go.mod, pyproject.toml, Cargo.toml).
 */
export function treeFileTypes(settings: readonly ServerSetting[]): string[] | null {
  return settings.length ? null : [...Object.keys(TS_LANGUAGES), '.json'];
}

/** The typescript-language-server command, or null when it is not installed. */
export function typescriptServer(opts: { tree: string; trusted: boolean }): ServerCommand | null {
  const tls = resolvePackageDir('typescript-language-server');
  const ts = resolvePackageDir('typescript');
  if (!tls || !ts) return null;
  const ours = join(ts, 'lib', 'tsserver.js');
  // Without a valid path of ours the server would fall back to the tree's own TypeScript.
  if (!existsSync(ours)) return null;
  const workspaceTs = join(opts.tree, 'node_modules', 'typescript', 'lib', 'tsserver.js');
  // Ours runs through the build's tsserver without diagnostics (dist/tsserver, see quietTsserver.ts):
  // beside this bundle (dist/cli.js, dist/extension.js), or, compiled for the tests, in the dist/
  // beside the node_modules that hold our TypeScript; without a build, ours as it is.
  const quiet = [join(__dirname, 'tsserver', 'lib', 'tsserver.js'), join(ts, '..', '..', 'dist', 'tsserver', 'lib', 'tsserver.js')].find((p) => existsSync(p)) ?? '';
  // Untrusted trees never get to run their own TypeScript (or its plugins).
  const tsserver = opts.trusted && existsSync(workspaceTs) ? workspaceTs : quiet || ours;
  // The quiet tsserver runs exactly the TypeScript resolved here, never one found from where it lies.
  const env = {
    ...(tsserver === quiet ? { [QUIET_TSSERVER_TARGET]: ours } : {}),
    // A young generation of 4 MB semi-spaces instead of Node's 16 MB, in the language server and the
    // tsserver it starts (which inherits its environment): vite's 138-file range peaked with the
    // head's tsserver at 654-668 MB against 720-729 MB (3 runs each), at 1.05 x the wall time (3
    // interleaved pairs). 8 MB saved little (710-721 MB); tsserver's live heap is what remains.
    NODE_OPTIONS: '--max-semi-space-size=4',
  };
  return {
    name: 'typescript-language-server',
    command: process.execPath,
    args: [join(tls, 'lib', 'cli.mjs'), '--stdio'],
    languages: TS_LANGUAGES,
    initializationOptions: {
      tsserver: { path: tsserver, useSyntaxServer: 'never', logVerbosity: 'off' },
      disableAutomaticTypingAcquisition: true,
      plugins: [],
      preferences: { includeCompletionsForModuleExports: false },
      hostInfo: 'senior-review',
    },
    deadLog: TSSERVER_EXITED,
    env,
    shippedTypeScript: tsserver !== workspaceTs,
  };
}

// Languages with functions to call, where a text search for a changed name finds candidate calls
// when no server is configured. Documentation, data, configuration, lockfiles, snapshots, markup
// and styles are not among them: a "caller" of a line of pnpm-lock.yaml is noise.
const CALLABLE_LANGUAGE = /\.(c|cc|cpp|cxx|h|hh|hpp|cs|fs|go|java|kt|kts|scala|groovy|swift|m|mm|rs|zig|dart|js|jsx|mjs|cjs|ts|tsx|mts|cts|vue|svelte|astro|py|pyx|rb|php|pl|pm|lua|ex|exs|erl|hs|ml|mli|clj|cljs|elm|r|jl|sh|bash|sol)$/i;

/** Whether callers are computed for the file: code, or an extension the user gave a server for. */
export function computesCallers(path: string, settings: readonly ServerSetting[]): boolean {
  const ext = /\.[^./]+$/.exec(path)?.[0]?.toLowerCase() ?? '';
  return CALLABLE_LANGUAGE.test(path) || settings.some((s) => s.extensions.map((e) => e.toLowerCase()).includes(ext));
}

export function serverFor(path: string, settings: readonly ServerSetting[], opts: { tree: string; trusted: boolean }): ServerCommand | null {
  const ext = /\.[^./]+$/.exec(path)?.[0]?.toLowerCase() ?? '';
  const custom = settings.find((s) => s.extensions.map((e) => e.toLowerCase()).includes(ext));
  if (custom) {
    return {
      name: custom.command.split('/').pop() ?? custom.command,
      command: custom.command,
      args: custom.args ?? [],
      languages: Object.fromEntries(custom.extensions.map((e) => [e, custom.languageId])),
      initializationOptions: custom.initializationOptions,
      // A configured server may be typescript-language-server too (another version); no other server logs this line.
      deadLog: TSSERVER_EXITED,
    };
  }
  return ext in TS_LANGUAGES ? typescriptServer(opts) : null;
}
