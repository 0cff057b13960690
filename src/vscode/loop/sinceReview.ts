// "Since your last review" in the editor: the classification of an opened change set against the
// reviewer's last review (core/loop/interdiff), and what the tree shows under its filter.
import { RepoContext } from '../../core/git/repository';
import { ChangeSet, ChangedFile, Hunk } from '../../core/review/changeSetTypes';
import { SinceReview, asksAgain, attachSinceReview, sinceLastReview } from '../../core/loop/interdiff';
import { Logger } from '../../core/logger';

/**
 * Classifies `cs` (hunk.reviewState, cs.sinceReview) when the reviewer reviewed this range before,
 * so the checklist asks only for what changed. A failure (the reviewed head gone from the repository)
 * is logged and the review opens without the filter: nothing is hidden then.
 */
export async function classifySinceReview(cs: ChangeSet, reviewer: string, gitDir: string, ctx: RepoContext, logger: Logger): Promise<SinceReview | null> {
  try {
    const since = await sinceLastReview(cs, { reviewer, gitDir, ctx });
    if (since) attachSinceReview(cs, since);
    return since;
  } catch (e) {
    logger.warn(`since your last review: ${(e as Error).message}`);
    return null;
  }
}

/** The filter is on by default whenever there was an earlier review; `choice` is the reviewer's toggle. */
export function sinceFilterOn(since: SinceReview | null, choice: boolean | null): boolean {
  return !!since && (choice ?? true);
}

/** Under the filter: hunks that are changed or new (a file without hunks cannot be classified, so it stays). */
export function shownHunks(f: ChangedFile, on: boolean): Hunk[] {
  return on ? f.hunks.filter(asksAgain) : f.hunks;
}

export function shownFiles(files: readonly ChangedFile[], on: boolean): ChangedFile[] {
  return on ? files.filter((f) => f.hunks.length === 0 || f.hunks.some(asksAgain)) : [...files];
}

/** The tree's row for the filter: what the last review was and what changed since. */
export function sinceRow(since: SinceReview, on: boolean): { label: string; detail: string; tooltip: string } {
  const c = since.counts;
  const what = since.signoff ? `your sign-off ${since.signoff.commit.slice(0, 7)}` : `your review at ${since.reviewedHead.slice(0, 7)}`;
  return {
    label: 'Since your last review',
    detail: `${c.changed} changed · ${c.new} new · ${c.unchanged} unchanged${c.gone ? ` · ${c.gone} gone` : ''}${on ? '' : ' · showing all'}`,
    tooltip: `Compared with ${what}. ${on ? 'Only changed and new hunks are shown' : 'All hunks are shown'}; Toggle "Since Your Last Review" switches.`,
  };
}

/** " · changed since your review" / " · new since your review" for a hunk's row. */
export function reviewStateTag(h: Hunk): string {
  return h.reviewState === 'changed' || h.reviewState === 'new' ? ` · ${h.reviewState} since your review` : '';
}
