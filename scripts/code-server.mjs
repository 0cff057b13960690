// `node scripts/code-server.mjs install|path`: install the offline VS Code (code-server) or print its entry.
import { ensureCodeServer, installed } from './code-server-lib.mjs';

const cmd = process.argv[2];
try {
  if (cmd === 'install') console.log(ensureCodeServer());
  else if (cmd === 'path') {
    const p = installed();
    if (!p) throw new Error('code-server is not installed: run node scripts/code-server.mjs install');
    console.log(p);
  } else throw new Error('usage: node scripts/code-server.mjs install|path');
} catch (e) {
  console.error(`code-server: ${e.message.split('\n')[0]}`);
  process.exit(1);
}
