// `npm run screenshots`: refreshes the README's screenshots in docs/screenshots/ by running the
// end-to-end suite alone with its screenshot folder pointed there (npm test keeps them in .cache/).
import { resolve } from 'node:path';

process.env.SENIOR_REVIEW_SHOTS = resolve(import.meta.dirname, '..', 'docs', 'screenshots');
const { run } = await import('./test-suites/20-editor-e2e.mjs');
const r = await run();
console.log(`\n${r.passed} passed, ${r.failed} failed`);
process.exit(r.failed ? 1 : 0);
