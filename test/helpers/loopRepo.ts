// Repositories for the review-loop tests: a 60-line file changed in two far-apart places and a
// second file, on a feature branch by an author, with a reviewer identity configured.
import { RepoBuilder } from '../../src/demo/repoBuilder';
import { tempRepo } from './repos';
import { AUTHOR, REVIEWER } from './signoffRepo';

export const RITA = `${REVIEWER.name} <${REVIEWER.email}>`;

/** Lines "line 1" … "line n", with replacements by line number. */
export function numbered(n: number, edits: Record<number, string> = {}): string {
  return Array.from({ length: n }, (_, i) => edits[i + 1] ?? `line ${i + 1}`).join('\n') + '\n';
}

export async function loopRepo(): Promise<RepoBuilder> {
  const r = await tempRepo('2025-02-01T00:00:00Z');
  await r.commit({ message: 'base', author: AUTHOR, files: { 'src/big.ts': numbered(60), 'src/other.ts': numbered(10), 'src/far.ts': numbered(5) } });
  await r.branch('feature');
  await r.checkout('feature');
  await r.commit({ message: 'feature', author: AUTHOR, files: { 'src/big.ts': numbered(60, { 10: 'feature ten', 50: 'feature fifty' }), 'src/other.ts': numbered(10, { 5: 'feature five' }) } });
  await r.git('config', 'user.name', REVIEWER.name);
  await r.git('config', 'user.email', REVIEWER.email);
  return r;
}
