// The sign-off commit's message: the head's message with our trailers (amend) or a message of our own
// (commit), accepted only when git's own trailer parser reads our trailers back from it exactly.

import { isUtf8 } from 'node:buffer';
import { git } from '../git/runGit';
import { RepoContext } from '../git/repository';
import { CommitObject } from './commitObject';
import { Trailer, appendTrailers, lastTrailer, parseTrailerLines } from './trailers';

/**
 * Both readings must find our trailers: `interpret-trailers --parse` stops at a "---" line (as
 * `git am` would); `git log %(trailers)`, which verify uses, does not, and starts at the subject,
 * the first line that is not blank (so a message opening with a blank line loses its first paragraph).
 */
export async function carriesTrailers(message: string, trailers: readonly Trailer[], ctx: RepoContext): Promise<boolean> {
  const asLogReadsIt = message.replace(/^(?:[ \t\r\v\f]*\n)+/, '');
  for (const [input, divider] of [[message, []], [asLogReadsIt, ['--no-divider']]] as const) {
    const parsed = parseTrailerLines(await git(['interpret-trailers', '--parse', ...divider], { ...ctx, input }));
    const keys = [...new Set(trailers.map(([k]) => k))];
    for (const key of keys) {
      const ours = trailers.filter(([k]) => k === key).map(([, v]) => v);
      if (ours.length === 1 && lastTrailer(parsed, key) !== ours[0]) return false;
      const theirs = parsed.filter(([k]) => k === key).map(([, v]) => v).slice(-ours.length);
      if (ours.length > 1 && theirs.join('\n') !== ours.join('\n')) return false;
    }
  }
  return true;
}

/** git's trailer logic adds ours, joining an existing trailer block rather than starting a new one. */
async function joinWithGit(message: string, trailers: readonly Trailer[], ctx: RepoContext): Promise<string> {
  const args = ['-c', 'trailer.separators=:', 'interpret-trailers', '--no-divider', '--where', 'end', '--if-exists', 'addIfDifferent', '--if-missing', 'add'];
  for (const [k, v] of trailers) args.push('--trailer', `${k}: ${v}`);
  return git(args, { ...ctx, input: message.endsWith('\n') ? message : `${message}\n` });
}

/**
 * The head's message with our trailers, or why it cannot carry them (then a sign-off commit can).
 * Tried in order: git's own joining, then a trailer block of its own after a blank line.
 */
export async function amendedMessage(head: CommitObject, trailers: readonly Trailer[], ctx: RepoContext): Promise<{ message: string } | { refused: string }> {
  if ((head.encoding && !/^utf-?8$/i.test(head.encoding)) || !isUtf8(head.message)) return { refused: 'the head commit message is not UTF-8' };
  const text = head.message.toString('utf8');
  for (const candidate of [await joinWithGit(text, trailers, ctx), appendTrailers(text, trailers)]) {
    if (await carriesTrailers(candidate, trailers, ctx)) return { message: candidate };
  }
  return { refused: 'git would not read trailers added to the head commit message (a "---" line, or no subject line)' };
}

export async function signoffCommitMessage(branchName: string, patchHex: string, mergeBase: string, head: string, trailers: readonly Trailer[], ctx: RepoContext): Promise<{ message: string } | { refused: string }> {
  const own = `Senior review sign-off for ${branchName}\n\nApproved ${patchHex.slice(0, 12)}: the diff of ${mergeBase.slice(0, 12)}..${head.slice(0, 12)}.\n`;
  const message = appendTrailers(own, trailers);
  return (await carriesTrailers(message, trailers, ctx)) ? { message } : { refused: 'git does not read the sign-off trailers back from the sign-off message' };
}
