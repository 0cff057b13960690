// A small TypeScript project with history and a feature branch, for the pipeline's tests: real
// callers for the real language server, commits for history, hunks of different risk.
import { RepoBuilder } from '../../../src/demo/repoBuilder';
import { tempRepo } from '../../helpers/repos';

const LIB = `export function total(xs: number[]): number {
  let sum = 0;
  for (const x of xs) sum += x;
  return sum;
}

export function average(xs: number[]): number {
  return xs.length ? total(xs) / xs.length : 0;
}

export function label(n: number): string {
  return \`n=\${n}\`;
}
`;
const APP = `import { average, total, label } from './lib';

export function report(xs: number[]): string {
  return label(total(xs)) + ' ' + label(average(xs));
}

export function summary(xs: number[]): number {
  return total(xs) + average(xs);
}
`;
const CLI = `import { report } from './app';

export function main(): void {
  console.log(report([1, 2, 3]));
}
`;
const TEST = `import { summary } from '../src/app';
describe('summary', () => {
  it('adds', () => { summary([1]); });
});
`;

/** The repository: `main` with a few months of history, `feature` changing two functions and a doc. */
export async function fixtureProject(): Promise<RepoBuilder> {
  const r = await tempRepo('2024-01-01T00:00:00Z');
  const a = { name: 'Ada', email: 'ada@example.com' };
  const b = { name: 'Bo', email: 'bo@example.com' };
  await r.commit({ message: 'base', author: a, files: { 'tsconfig.json': '{"compilerOptions":{"strict":true,"module":"commonjs"},"include":["src","test"]}', 'src/lib.ts': LIB, 'src/app.ts': APP, 'src/cli.ts': CLI, 'test/app.test.ts': TEST, 'README.md': '# fixture\n' } });
  for (let k = 0; k < 6; k++) {
    await r.commit({ message: k % 2 ? `fix: label ${k}` : `tweak ${k}`, author: k % 3 ? a : b, files: { 'src/lib.ts': LIB.replace('n=', `n${k}=`) } });
  }
  await r.commit({ message: 'settle', author: a, files: { 'src/lib.ts': LIB } });
  await r.branch('feature');
  await r.checkout('feature');
  await r.commit({
    message: 'feature: weighted totals',
    author: b,
    files: {
      'src/lib.ts': LIB.replace('for (const x of xs) sum += x;', 'for (const x of xs) sum += x * 1;\n  if (sum < 0) return 0;').replace('return `n=${n}`;', 'return `n = ${n}`;'),
      'src/app.ts': APP.replace("' ' + label", "' / ' + label"),
      'README.md': '# fixture\n\nWeighted totals.\n',
    },
  });
  await r.checkout('main');
  return r;
}
