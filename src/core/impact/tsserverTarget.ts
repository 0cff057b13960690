/** The environment variable that tells dist/tsserver (quietTsserver.ts) which tsserver.js to run. */
export const QUIET_TSSERVER_TARGET = 'SENIOR_REVIEW_TSSERVER';
