// Parses argv, dispatches to a command and maps every failure to one clear stderr line and an
// exit code (1 failure, 2 usage); a stack trace is shown only with SENIOR_REVIEW_DEBUG=1. Everything
// written, logger lines and errors included, passes the credential masker first.

import { parseArgs } from 'node:util';
import { GitError } from '../core/git/gitError';
import { streamLogger } from '../core/logger';
import { secretValues } from '../core/hosting/hostTokens';
import { makeMasker } from '../core/hosting/maskCredentials';
import { printable } from '../core/printable';
import { CliIo, EXIT, UsageError } from './cliTypes';
import { COMMANDS } from './commandTable';
import { StatusLine } from './progressLine';

function helpText(): string {
  const lines = ['Usage: senior-review <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  lines.push('', 'Run `senior-review <command> --help` for its options.');
  return lines.join('\n') + '\n';
}

export async function runCli(argv: string[], rawIo: Omit<CliIo, 'logger'>): Promise<number> {
  const mask = makeMasker(secretValues(rawIo.env));
  const statusLine = new StatusLine((t) => rawIo.stderr(mask(t)), rawIo.stderrIsTTY === true);
  const io = { ...rawIo, stdout: (t: string) => rawIo.stdout(mask(t)), stderr: statusLine.write, statusLine };
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version') {
    io.stdout('senior-review 0.1.0\n');
    return EXIT.ok;
  }
  const cmd = COMMANDS.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`senior-review: unknown command '${printable(name, 80)}' (try --help)\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`Usage: ${cmd.usage}\n${cmd.summary}\n`);
    return EXIT.ok;
  }
  try {
    const { values, positionals } = parseArgs({ args: rest, options: cmd.options, allowPositionals: false, strict: true });
    const logger = streamLogger(io.stderr, values.verbose === true);
    return await cmd.run(values, positionals, { ...io, logger });
  } catch (e) {
    return reportError(cmd.name, e, io.stderr, io.env);
  }
}

function reportError(cmd: string, e: unknown, stderr: (s: string) => void, env: NodeJS.ProcessEnv): number {
  const err = e as Error & { code?: string };
  if (env.SENIOR_REVIEW_DEBUG === '1' && err?.stack) stderr(err.stack + '\n');
  if (e instanceof UsageError || (typeof err?.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS'))) {
    stderr(`senior-review ${cmd}: ${oneLine(err.message)}\n`);
    return EXIT.usage;
  }
  if (e instanceof GitError) {
    stderr(`senior-review ${cmd}: ${oneLine(err.message)}\n`);
    // A malformed ref is bad input, like a bad flag; everything else git says is a failure.
    return e.code === 'InvalidRef' ? EXIT.usage : EXIT.failure;
  }
  stderr(`senior-review ${cmd}: ${oneLine(err?.message ?? String(e))}\n`);
  return EXIT.failure;
}

/** The first line of a message, with anything a terminal would act on escaped. */
function oneLine(s: string): string {
  return printable(s.split('\n')[0].trim());
}
