// Attaches history signals to an analysed change set: `file.history`, `hunk.history` and the
// summary `changeSet.history`. Whole-repository signals come from the index at the base commit;
// line signals from blame of the changed lines only (lineSignalScope.ts), cached per file. The
// index walk, the blobs (one `cat-file --batch`) and the blames run at once.

import { RepoContext, gitDirFacts } from '../git/repository';
import { readObjects } from '../git/treeObjects';
import { silentLogger } from '../logger';
import { ChangeSet } from '../review/changeSetTypes';
import { complexityOf } from './complexity';
import { fileHistory, rankHotspots, rankingEntries } from './fileSignals';
import { IndexData, mailmapArgs } from './historyIndex';
import { IndexPeople, peopleOfIndex } from './identities';
import { HistoryOptions, historyOptions } from './historyOptions';
import { loadHistory } from './historyStore';
import { ChangeSetHistory, HunkHistory } from './historyTypes';
import { aiCommitMap, commitsInRange, hunkHistories } from './hunkSignals';
import { LineCache } from './lineCache';
import { LineRequest, baseLineAuthors, rangeLineCommits } from './lineAuthors';
import { lineSignalScope } from './lineSignalScope';

function decode(b: Buffer | null): string | null {
  return b === null || b.subarray(0, 8000).includes(0) ? null : b.toString('utf8');
}

/** What the history pass leaves for later passes (the levels' window backtest): the index at the base, its date, its people. */
export interface AttachedHistory {
  index: IndexData;
  baseTime: number;
  who: IndexPeople;
}

/**
 * `beside`: work that needs only the index (the levels' distribution); it starts as soon as the
 * index is loaded, while the files' blames and blobs are still being read, and is awaited with them.
 */
export async function attachHistory(
  cs: ChangeSet,
  partial: Partial<HistoryOptions>,
  ctx: RepoContext,
  useCache = true,
  beside?: (h: AttachedHistory) => Promise<void>,
): Promise<AttachedHistory> {
  const o = historyOptions(partial);
  const logger = ctx.logger ?? silentLogger;
  const scope = lineSignalScope(cs.files);
  // The lookup path of every file below (its path at the base, or its own when added).
  const lookups = scope.files.map((s, i) => s.basePath ?? cs.files[i].path);

  const loading = loadHistory(cs.baseCommit, o, ctx, useCache, async (h, need) => {
    const shown = new Set(lookups);
    await need.complexity([...rankingEntries(h.index, h.tree, h.baseTime, o), ...h.tree.filter((e) => shown.has(e.path))]);
  });
  // Awaited below; marked handled now so a failure elsewhere first is not an unhandled rejection.
  loading.catch(() => undefined);

  // One `cat-file --batch`: the base's .mailmap first (the blames wait for it), then every blob read
  // by id from the diff, never commit:path, so no path reaches git whatever bytes it holds.
  const oids = [...new Set(cs.files.flatMap((f, i) => (scope.files[i].text ? [f.oldOid, f.newOid] : [])).filter((x): x is string => !!x))];
  const texts = new Map<string, string | null>();
  let mailmapFound: (m: { text: string; blob: string } | null) => void = () => undefined;
  const mailmapRead = new Promise<{ text: string; blob: string } | null>((resolve) => (mailmapFound = resolve));
  const reading = readObjects([`${cs.baseCommit}:.mailmap`, ...oids], ctx, (i, type, data, oid) => {
    if (i === 0) mailmapFound(type === 'blob' && data && oid ? { text: data.toString('utf8'), blob: oid } : null);
    else texts.set(oids[i - 1], type === 'blob' ? decode(data) : null);
  });
  reading.catch(() => undefined);
  const [mailmap, { commonDir }] = await Promise.all([Promise.race([mailmapRead, reading.then(() => null)]), gitDirFacts(ctx)]);
  const mailmapGit = mailmapArgs(cs.baseCommit, mailmap !== null);
  const cache = LineCache.open(useCache ? commonDir : null, logger);

  const baseRequests: LineRequest[] = [];
  cs.files.forEach((f, i) => {
    const s = scope.files[i];
    if (s.baseLines.length && f.oldOid) baseRequests.push({ path: s.basePath!, blob: f.oldOid, lines: s.baseLines });
  });
  const baseBlame = baseLineAuthors(cs.mergeBase, mailmap?.blob ?? null, mailmapGit, baseRequests, ctx, cache);
  baseBlame.catch(() => undefined);
  const rangeCommits = await commitsInRange(cs.mergeBase, cs.headCommit, o, ctx, mailmapGit);
  const aiCommits = aiCommitMap(rangeCommits);
  const headRequests: LineRequest[] = [];
  if (aiCommits.size) {
    cs.files.forEach((f, i) => {
      const s = scope.files[i];
      if (s.headLines.length && f.newOid) headRequests.push({ path: s.headPath!, blob: f.newOid, lines: s.headLines });
    });
  }
  const headBlame = rangeLineCommits(cs.mergeBase, cs.headCommit, headRequests, ctx, cache);
  headBlame.catch(() => undefined);

  const loaded = await loading;
  const asOf = loaded.baseTime;
  const who = peopleOfIndex(loaded.index, loaded.mailmap?.text ?? null);
  const attached: AttachedHistory = { index: loaded.index, baseTime: asOf, who };
  const besideWork = beside ? beside(attached) : Promise.resolve();
  besideWork.catch(() => undefined);

  const ranking = rankHotspots(loaded.index, loaded.tree, loaded.complexity, asOf, o);
  const oidAtBase = new Map(loaded.tree.map((e) => [e.path, e.oid]));
  const [baseAuthors, headCommits] = await Promise.all([baseBlame, headBlame, reading]);
  cache.save();

  let hotspots = 0;
  let aiLines = 0;
  const partialSignals = new Set<string>();
  cs.files.forEach((f, i) => {
    const s = scope.files[i];
    const headText = s.headPath && f.newOid ? texts.get(f.newOid) ?? null : null;
    const baseText = s.basePath && f.oldOid ? texts.get(f.oldOid) ?? null : null;
    const baseOid = oidAtBase.get(lookups[i]);
    const fh = fileHistory(lookups[i], loaded.index, ranking, baseOid ? loaded.complexity[baseOid] ?? null : null, headText !== null ? complexityOf(headText) : null, asOf, o, who, false);
    if (fh.hotspot.isHotspot) hotspots++;
    fh.partial.forEach((p) => partialSignals.add(p));
    f.history = fh;
    if (f.hunks.length === 0) return;
    const hh: HunkHistory[] = hunkHistories(
      {
        hunks: f.hunks, baseText, headText,
        baseAuthors: s.baseLines.length ? baseAuthors.get(s.basePath!) ?? null : null,
        headCommits: s.headLines.length && aiCommits.size ? headCommits.get(s.headPath!) ?? null : null,
      },
      aiCommits, who, asOf, o,
    );
    f.hunks.forEach((h, k) => {
      h.history = hh[k];
      aiLines += hh[k].aiAssisted.lines;
    });
  });
  const note = scope.note(aiCommits.size > 0);

  const summary: ChangeSetHistory = {
    asOf: new Date(asOf * 1000).toISOString(),
    windowMonths: o.windowMonths,
    inactiveMonths: o.inactiveMonths,
    hotspotTopPercent: o.hotspotTopPercent,
    commitsIndexed: loaded.index.commits.length / 3,
    filesRanked: ranking.of,
    shallow: loaded.index.shallow,
    partial: [...partialSignals].sort(),
    notes: note ? [note] : [],
    cache: loaded.outcome,
    ms: Math.round(loaded.ms),
    hotspotsTouched: hotspots,
    aiAssistedLines: aiLines,
    rangeCommits,
    rangeAuthors: rangeAuthorExperience(rangeCommits, who),
  };
  cs.history = summary;
  await besideWork;
  return attached;
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
