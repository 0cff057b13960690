// Finds sign-off trailer blocks in the message of a commit the host made when merging: GitHub's and
// GitLab's squash messages list every commit's message ("* " before each), git's own squash indents them.

import { Trailer, TRAILER, lastTrailer } from './trailers';

/**
 * A trailer line as the hosts' squash messages leave it: indented (git merge --squash indents each
 * message by four spaces), bulleted ("* " or "- ", when a message begins with its trailers), or ending
 * in CR (messages written in a browser). The key is a git trailer key; the value is the rest of the line.
 */
const LINE = /^[ \t]*(?:[*-][ \t]+)?([A-Za-z0-9][A-Za-z0-9-]*):[ \t]?(.*?)\r?$/;

/**
 * Every run of consecutive trailer lines that carries a Senior-Review-Patch-Id, in the order of the
 * message. A run ends at the first line that is not a trailer (a blank line, another commit's text),
 * so trailers of two commits listed one after the other never merge into one block.
 */
export function signoffBlocks(message: string): Trailer[][] {
  const blocks: Trailer[][] = [];
  let run: Trailer[] = [];
  const close = () => {
    if (lastTrailer(run, TRAILER.patchId) !== null) blocks.push(run);
    run = [];
  };
  for (const line of message.split('\n')) {
    const m = LINE.exec(line);
    if (m) run.push([m[1], m[2]]);
    else close();
  }
  close();
  return blocks;
}
