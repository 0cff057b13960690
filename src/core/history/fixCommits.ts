// Recognises bug-fix commits (conventional `fix:`, fix/bug/regression/hotfix words, reverts) from
// their subject and body, with patterns the repository can configure.

export function fixMatcher(patterns: readonly string[]): (message: string) => boolean {
  const res = patterns.map((p) => new RegExp(p, 'im'));
  return (message) => res.some((r) => r.test(message));
}

export function isRevert(message: string): boolean {
  return /^revert\b/i.test(message) || /\bthis reverts commit [0-9a-f]{7,}/i.test(message);
}
