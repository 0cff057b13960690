// Attaches history signals to an analysed change set: `file.history`, `hunk.history` and the
// summary `changeSet.history`. Whole-repository signals come from the index at the base commit;
// only the changed files are blamed.

import { mapLimit } from '../concurrency';
import { RepoContext, readBlob, readBlobAt } from '../git/repository';
import { isArgumentSafe } from '../git/gitPath';
import { ChangeSet, ChangedFile } from '../review/changeSetTypes';
import { complexityOf } from './complexity';
import { fileHistory, rankHotspots } from './fileSignals';
import { IndexData, mailmapArgs } from './historyIndex';
import { IndexPeople, peopleOfIndex } from './identities';
import { HistoryOptions, historyOptions } from './historyOptions';
import { loadHistory } from './historyStore';
import { ChangeSetHistory, FileHistory, HunkHistory } from './historyTypes';
import { aiCommitMap, commitsInRange, hunkHistories, touchedBaseLines } from './hunkSignals';
import { addedLines } from '../review/lineMap';

function decode(b: Buffer | null): string | null {
  return b === null || b.subarray(0, 8000).includes(0) ? null : b.toString('utf8');
}

/** What the history pass leaves for later passes (the levels' window backtest): the index at the base, its date, its people. */
export interface AttachedHistory {
  index: IndexData;
  baseTime: number;
  who: IndexPeople;
}

/** `onFile`: called as each changed file's signals are attached (for a progress line). */
export async function attachHistory(cs: ChangeSet, partial: Partial<HistoryOptions>, ctx: RepoContext, useCache = true, onFile?: (done: number, total: number) => void): Promise<AttachedHistory> {
  const o = historyOptions(partial);
  // The lookup path of every file below (its path at the base, or its own when added).
  const shown = cs.files.map((f) => (f.status === 'added' ? f.path : f.oldPath ?? f.path));
  const loaded = await loadHistory(cs.baseCommit, o, ctx, useCache, shown);
  const asOf = loaded.baseTime;
  const ranking = rankHotspots(loaded.index, loaded.tree, loaded.complexity, asOf, o);
  const oidAtBase = new Map(loaded.tree.map((e) => [e.path, e.oid]));
  const mailmapBlob = await readBlobAt(cs.baseCommit, '.mailmap', ctx);
  const mailmap = mailmapArgs(cs.baseCommit, mailmapBlob !== null);
  const who = peopleOfIndex(loaded.index, mailmapBlob?.toString('utf8') ?? null);
  const rangeCommits = await commitsInRange(cs.mergeBase, cs.headCommit, o, ctx, mailmap);
  const aiCommits = aiCommitMap(rangeCommits);
  let hotspots = 0;
  let aiLines = 0;
  const partialSignals = new Set<string>();
  const notes: string[] = [];

  const oneFile = async (f: ChangedFile): Promise<void> => {
    const basePath = f.status === 'added' ? null : (f.oldPath ?? f.path);
    const headPath = f.status === 'deleted' ? null : f.path;
    const text = f.kind === 'text' && !f.tooLarge;
    // By blob id from the diff, not commit:path: no path reaches git, whatever bytes it holds.
    const [baseText, headText] = text
      ? await Promise.all([
          basePath && f.oldOid ? readBlob(f.oldOid, ctx).then(decode) : null,
          headPath && f.newOid ? readBlob(f.newOid, ctx).then(decode) : null,
        ])
      : [null, null];
    // git blame takes the path as an argument, and an argument cannot carry bytes that are not UTF-8.
    const blame = [basePath, headPath].every((p) => p === null || isArgumentSafe(p));
    const blameNeeded = (basePath && f.hunks.some((h) => touchedBaseLines(h).length)) || (headPath && aiCommits.size && f.hunks.some((h) => addedLines(h).length));
    if (!blame && blameNeeded) notes.push(`${f.path}: not blamed, as git blame takes the file name as an argument, which cannot carry bytes that are not UTF-8 (knowledge loss and AI-assisted lines not computed)`);
    const lookup = basePath ?? f.path;
    const baseOid = oidAtBase.get(lookup);
    const fh: FileHistory = fileHistory(
      lookup,
      loaded.index,
      ranking,
      baseOid ? loaded.complexity[baseOid] ?? null : null,
      headText !== null ? complexityOf(headText) : null,
      asOf,
      o,
      who,
    );
    if (fh.hotspot.isHotspot) hotspots++;
    fh.partial.forEach((p) => partialSignals.add(p));
    f.history = fh;
    if (f.hunks.length === 0) return;
    const hh: HunkHistory[] = await hunkHistories(
      { hunks: f.hunks, basePath, headPath, baseText, headText, blame },
      cs.mergeBase, cs.headCommit, aiCommits, who, asOf, o, ctx, mailmap,
    );
    f.hunks.forEach((h, i) => {
      h.history = hh[i];
      aiLines += hh[i].aiAssisted.lines;
    });
  };
  let filesDone = 0;
  await mapLimit(cs.files, 4, async (f) => {
    await oneFile(f);
    onFile?.(++filesDone, cs.files.length);
  });

  const summary: ChangeSetHistory = {
    asOf: new Date(asOf * 1000).toISOString(),
    windowMonths: o.windowMonths,
    inactiveMonths: o.inactiveMonths,
    hotspotTopPercent: o.hotspotTopPercent,
    commitsIndexed: loaded.index.commits.length / 3,
    filesRanked: ranking.of,
    shallow: loaded.index.shallow,
    partial: [...partialSignals].sort(),
    notes: notes.sort(),
    cache: loaded.outcome,
    ms: Math.round(loaded.ms),
    hotspotsTouched: hotspots,
    aiAssistedLines: aiLines,
    rangeCommits,
    rangeAuthors: rangeAuthorExperience(rangeCommits, who),
  };
  cs.history = summary;
  return { index: loaded.index, baseTime: asOf, who };
}

/** Per person among the range's authors: how many commits they had made before the base (from the index). */
function rangeAuthorExperience(commits: ReadonlyArray<{ authorName: string; authorEmail: string }>, who: IndexPeople): ChangeSetHistory['rangeAuthors'] {
  const seen = new Map<string, ChangeSetHistory['rangeAuthors'][number]>();
  for (const c of commits) {
    const person = who.people.personOf(c.authorName, c.authorEmail);
    // Unknown at the base: one entry per email (as git tells authors apart without other evidence).
    const key = person === null ? `e:${c.authorEmail.toLowerCase()}` : `p:${person}`;
    if (seen.has(key)) continue;
    seen.set(key, { name: c.authorName, email: c.authorEmail, commitsBeforeBase: person === null ? 0 : who.commits.get(person) ?? 0, person });
  }
  return [...seen.values()];
}
