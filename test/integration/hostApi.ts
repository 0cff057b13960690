// What every in-host test starts from: the extension's API (activating it if need be), and a wait for
// a state of the editor, which changes asynchronously (a hang ends with the name of what never came).
import * as vscode from 'vscode';
import type { SeniorReviewApi } from '../../src/extension';

export const EXTENSION = 'senior-review.senior-review';

export async function api(): Promise<SeniorReviewApi> {
  const ext = vscode.extensions.getExtension<SeniorReviewApi>(EXTENSION)!;
  return ext.isActive ? ext.exports : ext.activate();
}

export async function until<T>(what: string, fn: () => T | undefined | null | false, ms = 120_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
