// The same in-host integration tests on a desktop VS Code downloaded by @vscode/test-electron, for
// machines with internet access (`npm run test:electron`); offline CI runs them in code-server.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = resolve(__dirname, '..', '..', '..');
  const repo = join(mkdtempSync(join(tmpdir(), 'sr-electron-')), 'repo');
  execFileSync(process.execPath, [join(root, 'dist', 'cli.js'), 'demo', '--dir', repo], { stdio: 'ignore' });
  execFileSync('git', ['config', 'user.name', 'Rita Reviewer'], { cwd: repo });
  execFileSync('git', ['config', 'user.email', 'rita@example.com'], { cwd: repo });
  await runTests({
    version: '1.96.4',
    extensionDevelopmentPath: root,
    extensionTestsPath: join(__dirname, 'hostRunner'),
    launchArgs: [repo, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { SENIOR_REVIEW_TEST_REPO: repo },
  });
}

main().catch((e) => {
  console.error(`integration tests failed: ${(e as Error).message}`);
  process.exit(1);
});
