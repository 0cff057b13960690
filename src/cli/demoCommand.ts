// `senior-review demo --dir DIR`: writes the demo repository that `npm start` and the tests use.

import { resolve } from 'node:path';
import { createDemoRepo, DEMO_FEATURE_BRANCH } from '../demo/demoRepo';
import { CliCommand, UsageError, stringOpt } from './cliTypes';
import { printable } from '../core/printable';

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'Create the demo repository (a billing service with a feature branch under review)',
  usage: 'senior-review demo --dir DIR   (DIR: new, empty, or a previous demo, which is replaced)',
  options: { dir: { type: 'string' } },
  async run(values, _positionals, io) {
    const dir = stringOpt(values, 'dir');
    if (!dir) throw new UsageError('--dir is required');
    const abs = resolve(io.cwd, dir);
    await createDemoRepo(abs);
    io.stdout(`demo repository written to ${printable(abs)} (HEAD on ${DEMO_FEATURE_BRANCH}, base main)\n`);
    return 0;
  },
};
