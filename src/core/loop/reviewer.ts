// Who the reviewer is for the loop's records: the identity given ("Name <email>"), else git's
// user.name and user.email, in the one form the session keys, trailers and comments share.

import { RepoContext } from '../git/repository';
import { gitIdentity } from '../signoff/signoffPlan';
import { formatIdentity, parseIdentity } from '../signoff/trailers';

/** A given identity that is not "Name <email>": bad input, not a failure. */
export class IdentityError extends Error {}

export async function resolveReviewer(given: string | undefined, ctx: RepoContext): Promise<string> {
  if (given !== undefined) {
    const id = parseIdentity(given);
    if (!id) throw new IdentityError(`the identity must be "Name <email>" (got '${given.split('\n')[0].slice(0, 80)}')`);
    return formatIdentity(id.name, id.email);
  }
  const id = await gitIdentity(ctx);
  return formatIdentity(id.name, id.email);
}
