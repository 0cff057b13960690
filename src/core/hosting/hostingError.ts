// The one error type of hosting API calls: its kind tells the caller whether to stop (no such pull
// request, no permission, rate limit, cancelled) or to carry on with git alone (unreachable, bad answer).

export type HostingErrorKind = 'not-found' | 'permission' | 'rate-limit' | 'unreachable' | 'bad-response' | 'cancelled';

export class HostingError extends Error {
  constructor(message: string, readonly kind: HostingErrorKind) {
    super(message);
    this.name = 'HostingError';
  }
}
