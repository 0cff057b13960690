// The last hotspot report, kept beside the history index: a report is a function of the commit,
// the settings and whether the clone is shallow, so asking again for the same one reads it back
// instead of loading the index, the tree and the blobs (a warm `hotspots` is then one small file).

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Logger } from '../logger';
import { Check, arrayOf, isBoolean, isInteger, isString, optional, shape } from '../jsonShape';
import { cachePath, readCache, writeCache } from './indexCache';
import { FileHistory } from './historyTypes';

/** What a report holds apart from how this run obtained it (`cache`, `ms`). */
export interface ReportBody {
  asOf: string;
  commit: string;
  windowMonths: number;
  commitsIndexed: number;
  filesRanked: number;
  shallow: boolean;
  files: FileHistory[];
}

interface StoredReport {
  key: string;
  report: ReportBody;
}

const REPORT_FILE = 'hotspots-v1.json';

const isNumber: Check = (v) => typeof v === 'number';
const orNull = (check: Check): Check => (v) => v === null || check(v);
const isLines = shape({ added: isInteger, deleted: isInteger });
const isComplexity = shape({ total: isInteger, max: isInteger, lines: isInteger });
const isAuthor = shape({ name: isString, email: isString, person: isInteger, commits: isInteger, share: isNumber, lastCommit: isString, active: isBoolean });
const isFile = shape({
  path: isString, known: isBoolean, excluded: isBoolean,
  commits: shape({ window: isInteger, allTime: isInteger }),
  churn: optional(shape({ window: isLines, allTime: isLines })),
  fixes: shape({ window: isInteger, allTime: isInteger, reverts: isInteger, share: isNumber, windowShare: isNumber }),
  aiAssistedCommits: isInteger,
  complexity: shape({ base: orNull(isComplexity), head: orNull(isComplexity), delta: orNull(isNumber) }),
  hotspot: shape({ score: isNumber, percentile: isNumber, rank: isInteger, of: isInteger, isHotspot: isBoolean }),
  age: shape({ created: orNull(isString), lastChanged: orNull(isString), createdMonthsAgo: orNull(isNumber), lastChangedMonthsAgo: orNull(isNumber) }),
  ownership: shape({ authors: arrayOf(isAuthor), mainAuthor: orNull(isAuthor), fragmentation: isNumber, inactiveAuthorShare: isNumber }),
  partial: arrayOf(isString),
});
const isStoredReport = shape({
  key: isString,
  report: shape({ asOf: isString, commit: isString, windowMonths: isNumber, commitsIndexed: isInteger, filesRanked: isInteger, shallow: isBoolean, files: arrayOf(isFile) }),
});

/**
 * Bumped when a report's numbers are computed differently. 2: people numbered from the sorted
 * identities. 3: a person named by the first identity in sorting order on a tie; a file's earlier
 * names not counted in its churn where it is touched under its own name. 4: line counts by content
 * alone, no checkout's .gitattributes (historyIndex.ts LINE_COUNTS).
 */
const REPORT_FORMAT = 4;

/** The cache key of a report: everything its content depends on. */
export function reportKey(parts: { commit: string; shallow: boolean; options: unknown; since: number | null; limit: number | null; churn: boolean }): string {
  return createHash('sha256').update(JSON.stringify([REPORT_FORMAT, parts.commit, parts.shallow, parts.options, parts.since, parts.limit, parts.churn])).digest('hex');
}

const fileOf = (gitDir: string) => join(cachePath(gitDir, 'history'), REPORT_FILE);

/** The stored report for `key`, or null (another report is simply replaced later; a damaged file is rebuilt with a warning). */
export function readReport(gitDir: string, key: string, logger: Logger): ReportBody | null {
  const stored = readCache<StoredReport>(fileOf(gitDir), isStoredReport, logger);
  return stored && stored.key === key ? stored.report : null;
}

export function writeReport(gitDir: string, key: string, report: ReportBody, logger: Logger): void {
  writeCache(fileOf(gitDir), { key, report } satisfies StoredReport, logger);
}
