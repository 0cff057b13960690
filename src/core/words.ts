// Counted nouns in user-facing text ("1 fix", "9 fixes"): one spelling for the CLI and the reasons.

export function plural(count: number, word: string, many = `${word}s`): string {
  return `${count} ${count === 1 ? word : many}`;
}
