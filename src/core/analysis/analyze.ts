// The whole analysis of one review range in one call (the CLI's commands and the tests): the
// progressive pipeline (pipeline.ts) run to its end, resolving with the final change set.

import { ChangeSet } from '../review/changeSetTypes';
import { AnalyzeOptions } from './analysisOptions';
import { AnalysisEvents, runAnalysis } from './pipeline';

export function analyzeChangeSet(opts: AnalyzeOptions, events: AnalysisEvents = {}): Promise<ChangeSet> {
  return runAnalysis(opts, events);
}
