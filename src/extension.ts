// The extension entry: activate() builds the host adapter and registers each feature; nothing else.

import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // Features are registered here as they land (src/vscode/*/register).
}

export function deactivate(): void {}
