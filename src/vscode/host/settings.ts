// Reads the `seniorReview.*` settings into the core's option objects.
import * as vscode from 'vscode';
import { HistoryOptions } from '../../core/history/historyOptions';
import { ServerSetting } from '../../core/impact/servers';
import { DEFAULT_SERVER_TIMEOUT_S } from '../../core/impact/lspClient';

export interface ExtensionSettings {
  baseBranch: string | undefined;
  history: Partial<HistoryOptions>;
  impact: { enabled: boolean; maxDepth: number; servers: ServerSetting[]; source: 'auto' | 'editor'; serverTimeoutMs: number };
  writeMode: 'auto' | 'amend' | 'commit';
  reviewer: string | undefined;
}

export function readSettings(): ExtensionSettings {
  const c = vscode.workspace.getConfiguration('seniorReview');
  return {
    baseBranch: c.get<string>('baseBranch') || undefined,
    history: {
      windowMonths: c.get<number>('history.windowMonths'),
      inactiveMonths: c.get<number>('history.inactiveMonths'),
      hotspotTopPercent: c.get<number>('history.hotspotTopPercent'),
    },
    impact: {
      enabled: c.get<boolean>('impact.enabled', true),
      maxDepth: c.get<number>('impact.maxDepth', 5),
      servers: c.get<ServerSetting[]>('impact.languageServers', []),
      source: c.get<'auto' | 'editor'>('impact.source', 'auto'),
      serverTimeoutMs: Math.min(3600, Math.max(1, c.get<number>('impact.serverTimeoutSeconds', DEFAULT_SERVER_TIMEOUT_S))) * 1000,
    },
    writeMode: c.get<'auto' | 'amend' | 'commit'>('signoff.writeMode', 'auto'),
    reviewer: c.get<string>('signoff.reviewer') || undefined,
  };
}
