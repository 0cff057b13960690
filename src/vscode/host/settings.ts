// Reads the `seniorReview.*` settings into the core's option objects.
import * as vscode from 'vscode';
import { HistoryOptions } from '../../core/history/historyOptions';
import { ServerSetting } from '../../core/impact/servers';

export interface ExtensionSettings {
  baseBranch: string | undefined;
  history: Partial<HistoryOptions>;
  impact: { enabled: boolean; maxDepth: number; servers: ServerSetting[]; source: 'auto' | 'editor' };
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
    },
    writeMode: c.get<'auto' | 'amend' | 'commit'>('signoff.writeMode', 'auto'),
    reviewer: c.get<string>('signoff.reviewer') || undefined,
  };
}
