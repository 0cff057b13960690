// The inputs of the risk score for one unit of review (a hunk, a file, a commit or a whole PR),
// as plain numbers: `null` means the signal was unavailable (and is said so), never "zero".

export interface RiskInputs {
  /** All changed lines; the shares of tests, documentation and configuration or data below (the rest is program source). */
  linesAdded: number;
  linesRemoved: number;
  testLinesAdded: number;
  testLinesRemoved: number;
  docLinesAdded: number;
  docLinesRemoved: number;
  configLinesAdded: number;
  configLinesRemoved: number;
  /** Files and top-level directories the unit spreads over. */
  files: number;
  dirs: number;
  /** Call-graph impact: transitive callers, the files and top-level directories they live in. */
  callers: number | null;
  callerFiles: number | null;
  callerDirs: number | null;
  /** Exported API or tests reached through the callers. */
  entryPoints: number | null;
  /** The window of the history figures, in months before the base (the reasons say "in the last 12 months"). */
  windowMonths: number;
  /**
   * History of the touched files. For a multi-file unit each figure pair comes from one file, the
   * one whose signal weighs most, so a reason never combines two files' figures: the hotspot
   * figures (commits in the window, rank among `hotspotOf` source files at base, path) and the fix
   * figures (fixes and commits in the window, their share, path) may come from different files.
   */
  fileCommitsWindow: number | null;
  hotspotPercentile: number | null;
  hotspotRank: number | null;
  hotspotOf: number | null;
  hotspotPath: string | null;
  isHotspot: boolean | null;
  /** How many of the unit's files are hotspots (a PR can touch several). */
  hotspotsTouched: number | null;
  fixesWindow: number | null;
  fixCommitsWindow: number | null;
  /** fixesWindow / fixCommitsWindow when that file had at least 3 commits in the window, else 0. */
  fixShare: number | null;
  fixPath: string | null;
  /** Share of touched lines (or of the files' commits) by authors inactive for months. */
  knowledgeLossShare: number | null;
  inactiveMonths: number | null;
  /** Months since the oldest touched file was created. */
  ageMonths: number | null;
  /** The change's authors' commits before the base: to these files (all authors together), and to the repository (the least experienced). */
  authorFileCommits: number | null;
  authorRepoCommits: number | null;
  /** People among the change's authors, and how many of them never changed these files / never committed to the repository before the base. */
  authors: number | null;
  authorsNewToFiles: number | null;
  authorsNewToRepo: number | null;
  /** Share of added lines that come from AI-assisted commits. */
  aiAssistedShare: number;
  /** The unit only changes tests / touches at least one test file. */
  testsOnly: boolean;
  touchesTests: boolean;
  /** The change is itself a bug fix (fixes are more often followed by fixes). */
  isFix: boolean | null;
}

export function emptyInputs(): RiskInputs {
  return {
    linesAdded: 0, linesRemoved: 0, testLinesAdded: 0, testLinesRemoved: 0, docLinesAdded: 0, docLinesRemoved: 0, configLinesAdded: 0, configLinesRemoved: 0,
    files: 0, dirs: 0,
    callers: null, callerFiles: null, callerDirs: null, entryPoints: null,
    windowMonths: 12,
    fileCommitsWindow: null, hotspotPercentile: null, hotspotRank: null, hotspotOf: null, hotspotPath: null, isHotspot: null, hotspotsTouched: null,
    fixesWindow: null, fixCommitsWindow: null, fixShare: null, fixPath: null,
    knowledgeLossShare: null, inactiveMonths: null, ageMonths: null,
    authorFileCommits: null, authorRepoCommits: null, authors: null, authorsNewToFiles: null, authorsNewToRepo: null,
    aiAssistedShare: 0, testsOnly: false, touchesTests: false, isFix: null,
  };
}

const TEST_RE = /(^|\/)(tests?|__tests__|spec|specs)\/|\.(test|spec)\.[a-z0-9]+$|_test\.(go|py|rb)$|(^|\/)test_[^/]*\.py$/i;

export function isTestPath(path: string): boolean {
  return TEST_RE.test(path);
}

// A template of a page (`formatters.md.ejs`) is documentation too.
const DOC_RE = /\.(md|markdown|mdx|txt|rst|adoc)(\.[a-z0-9]+)?$|(^|\/)(docs?|documentation)\//i;

/** Documentation: prose that a defect cannot live in the way it lives in code. */
export function isDocPath(path: string): boolean {
  return DOC_RE.test(path);
}

// Program source by extension (with markup, styles, templates and interface schemas): what a
// defect lives in. Manifests, lockfiles, CI and build configuration and data files are left out: a
// dependency bump rewritten by the next bump (often titled "fix(deps): ...") is not a defect the
// first one introduced.
const SOURCE_RE = /\.(c|cc|cpp|cxx|h|hh|hpp|cs|fs|go|java|kt|kts|scala|groovy|swift|m|mm|rs|zig|dart|js|jsx|mjs|cjs|ts|tsx|mts|cts|vue|svelte|astro|py|pyx|rb|php|pl|pm|lua|ex|exs|erl|hs|ml|mli|clj|cljs|elm|r|jl|sh|bash|sql|sol|html?|css|scss|sass|less|ejs|hbs|handlebars|pug|erb|twig|liquid|njk|graphql|gql|proto)$/i;

/** Program source that is neither a test nor documentation. */
export function isSourcePath(path: string): boolean {
  return SOURCE_RE.test(path) && !isTestPath(path) && !isDocPath(path);
}

/** Adds a file's (or hunk's) changed lines to `i`, by kind: source, tests, documentation or configuration. */
export function addLines(i: RiskInputs, path: string, added: number, removed: number): void {
  i.linesAdded += added;
  i.linesRemoved += removed;
  if (isTestPath(path)) {
    i.testLinesAdded += added;
    i.testLinesRemoved += removed;
  } else if (isDocPath(path)) {
    i.docLinesAdded += added;
    i.docLinesRemoved += removed;
  } else if (!SOURCE_RE.test(path)) {
    i.configLinesAdded += added;
    i.configLinesRemoved += removed;
  }
}

/** Program source lines of a unit: all lines less tests, documentation and configuration. */
export const codeLinesAdded = (i: RiskInputs): number => i.linesAdded - i.testLinesAdded - i.docLinesAdded - i.configLinesAdded;
export const codeLinesRemoved = (i: RiskInputs): number => i.linesRemoved - i.testLinesRemoved - i.docLinesRemoved - i.configLinesRemoved;

export function topDir(path: string): string {
  const i = path.indexOf('/');
  return i < 0 ? '.' : path.slice(0, i);
}
