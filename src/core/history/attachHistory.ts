// Attaches history signals to an analysed change set: `file.history`, `hunk.history` and the
// summary `changeSet.history`. Whole-repository signals come from the index at the base commit;
// only the changed files are blamed.

import { mapLimit } from '../concurrency';
import { RepoContext, readBlob, readBlobAt } from '../git/repository';
import { isArgumentSafe } from '../git/gitPath';
import { ChangeSet } from '../review/changeSetTypes';
import { complexityOf } from './complexity';
import { fileHistory, rankHotspots } from './fileSignals';
import { IndexData, mailmapArgs } from './historyIndex';
import { HistoryOptions, historyOptions } from './historyOptions';
import { loadHistory } from './historyStore';
import { ChangeSetHistory, FileHistory, HunkHistory } from './historyTypes';
import { aiCommitMap, commitsInRange, hunkHistories, touchedBaseLines } from './hunkSignals';
import { addedLines } from '../review/lineMap';

function decode(b: Buffer | null): string | null {
  return b === null || b.subarray(0, 8000).includes(0) ? null : b.toString('utf8');
}

export async function attachHistory(cs: ChangeSet, partial: Partial<HistoryOptions>, ctx: RepoContext, useCache = true): Promise<void> {
  const o = historyOptions(partial);
  // The lookup path of every file below (its path at the base, or its own when added).
  const shown = cs.files.map((f) => (f.status === 'added' ? f.path : f.oldPath ?? f.path));
  const loaded = await loadHistory(cs.baseCommit, o, ctx, useCache, shown);
  const asOf = loaded.baseTime;
  const ranking = rankHotspots(loaded.index, loaded.tree, loaded.complexity, asOf, o);
  const oidAtBase = new Map(loaded.tree.map((e) => [e.path, e.oid]));
  const hasMailmap = (await readBlobAt(cs.baseCommit, '.mailmap', ctx)) !== null;
  const mailmap = mailmapArgs(cs.baseCommit, hasMailmap);
  const rangeCommits = await commitsInRange(cs.mergeBase, cs.headCommit, o, ctx, mailmap);
  const aiCommits = aiCommitMap(rangeCommits);
  let hotspots = 0;
  let aiLines = 0;
  const partialSignals = new Set<string>();
  const notes: string[] = [];

  await mapLimit(cs.files, 4, async (f) => {
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
    );
    if (fh.hotspot.isHotspot) hotspots++;
    fh.partial.forEach((p) => partialSignals.add(p));
    f.history = fh;
    if (f.hunks.length === 0) return;
    const hh: HunkHistory[] = await hunkHistories(
      { hunks: f.hunks, basePath, headPath, baseText, headText, blame },
      cs.mergeBase, cs.headCommit, aiCommits, loaded.index, asOf, o, ctx, mailmap,
    );
    f.hunks.forEach((h, i) => {
      h.history = hh[i];
      aiLines += hh[i].aiAssisted.lines;
    });
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
    rangeAuthors: rangeAuthorExperience(rangeCommits, loaded.index),
  };
  cs.history = summary;
}

/** How many commits each author of the range had made before the base (from the index). */
function rangeAuthorExperience(commits: ReadonlyArray<{ authorName: string; authorEmail: string }>, index: IndexData): ChangeSetHistory['rangeAuthors'] {
  const counts = new Map<number, number>();
  for (let i = 1; i < index.commits.length; i += 3) counts.set(index.commits[i], (counts.get(index.commits[i]) ?? 0) + 1);
  const seen = new Map<string, ChangeSetHistory['rangeAuthors'][number]>();
  for (const c of commits) {
    const key = c.authorEmail.toLowerCase();
    if (seen.has(key)) continue;
    const idx = index.authors.findIndex((a) => a.toLowerCase().endsWith(`<${key}>`));
    seen.set(key, { name: c.authorName, email: c.authorEmail, commitsBeforeBase: idx < 0 ? 0 : counts.get(idx) ?? 0 });
  }
  return [...seen.values()];
}
