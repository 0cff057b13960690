// The core's Logger on a VS Code LogOutputChannel (credentials masked like the CLI's output), and
// cancellation tokens as AbortSignals.
import * as vscode from 'vscode';
import { Logger } from '../../core/logger';
import { secretValues } from '../../core/hosting/hostTokens';
import { makeMasker } from '../../core/hosting/maskCredentials';

/** The CLI's masker over the extension host's environment: for the log and for every message we show. */
export const maskForDisplay = makeMasker(secretValues(process.env));

export function channelLogger(channel: vscode.LogOutputChannel): Logger {
  const mask = maskForDisplay;
  return {
    trace: (m) => channel.trace(mask(m)),
    info: (m) => channel.info(mask(m)),
    warn: (m) => channel.warn(mask(m)),
    error: (m) => channel.error(mask(m)),
  };
}

export function toSignal(token: vscode.CancellationToken): AbortSignal {
  const ac = new AbortController();
  if (token.isCancellationRequested) ac.abort();
  token.onCancellationRequested(() => ac.abort());
  return ac.signal;
}
