// One request for a JSON document to a hosting API: redirects of a GET are followed by hand so that
// credentials stay with the origin they were given for (a write is never redirected), and one deadline
// covers every hop, the headers and the body.

import { HostingError } from './hostingError';

export const DEFAULT_HTTP_TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 5;
/** A pull request or a page of 50 is far below this; more means a wrong or hostile server. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface JsonRequest {
  url: string;
  /** Sent on every hop. */
  headers: Record<string, string>;
  /** Sent only to the origin of `url`: dropped for good at the first hop to another origin. */
  credentials: Record<string, string>;
  /** What is being fetched, for messages ("pull request #7"). */
  what: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** GET unless given; a write sends `body` as JSON and follows no redirect. */
  method?: 'GET' | 'POST' | 'PUT';
  body?: unknown;
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  /** The parsed body of a 2xx answer; undefined otherwise. */
  json: unknown;
}

/**
 * The next hop of a redirect: refuses anything but http(s) and any https → http downgrade, and says
 * whether credentials may travel (only to `credentialOrigin`, scheme, host and port alike).
 */
export function redirectHop(from: URL, location: string, credentialOrigin: string, what: string): { url: URL; keepCredentials: boolean } {
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    throw new HostingError(`${what}: ${from.host} redirected to an invalid address`, 'bad-response');
  }
  if (to.protocol !== 'https:' && to.protocol !== 'http:') throw new HostingError(`${what}: ${from.host} redirected to a ${to.protocol} address; refused`, 'bad-response');
  if (from.protocol === 'https:' && to.protocol === 'http:') throw new HostingError(`${what}: ${from.host} redirected from https to http (${to.host}); refused`, 'bad-response');
  return { url: to, keepCredentials: to.origin === credentialOrigin };
}

function plainHost(location: string, from: URL): string {
  try {
    return new URL(location, from).host;
  } catch {
    return 'an invalid address';
  }
}

async function readBody(res: Response, what: string): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new HostingError(`${what}: the response is larger than ${MAX_BODY_BYTES / 1024 / 1024} MiB`, 'bad-response');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Our own timer and controller rather than AbortSignal.any([signal, AbortSignal.timeout(ms)]): the
 * composite holds its sources weakly, so once the timeout signal was garbage-collected it never fired
 * and a body that never ended stalled until undici's own 300 s body timeout (seen: 305 s).
 */
export async function getJson(req: JsonRequest): Promise<JsonResponse> {
  const timeoutMs = req.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const ac = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, timeoutMs);
  const onAbort = () => ac.abort();
  if (req.signal?.aborted) ac.abort();
  req.signal?.addEventListener('abort', onAbort, { once: true });
  let url = new URL(req.url);
  const credentialOrigin = url.origin;
  let withCredentials = true;
  try {
    for (let hop = 0; ; hop++) {
      const method = req.method ?? 'GET';
      const write = method !== 'GET';
      const res = await fetch(url, {
        method,
        headers: { ...req.headers, ...(write ? { 'Content-Type': 'application/json' } : {}), ...(withCredentials ? req.credentials : {}) },
        body: write ? JSON.stringify(req.body ?? {}) : undefined,
        redirect: 'manual', signal: ac.signal,
      });
      const location = res.headers.get('location');
      if (REDIRECT_STATUSES.has(res.status) && location !== null) {
        await res.body?.cancel();
        // A write is not replayed elsewhere: the API it was meant for answers it or it fails.
        if (write) throw new HostingError(`${req.what}: ${url.host} redirected a ${method} (to ${plainHost(location, url)}); refused`, 'bad-response');
        if (hop >= MAX_REDIRECTS) throw new HostingError(`${req.what}: more than ${MAX_REDIRECTS} redirects from ${new URL(req.url).host}`, 'bad-response');
        const next = redirectHop(url, location, credentialOrigin, req.what);
        url = next.url;
        withCredentials &&= next.keepCredentials;
        continue;
      }
      const text = await readBody(res, req.what);
      if (!res.ok) return { status: res.status, headers: res.headers, json: undefined };
      if (text.trim() === '' && res.status === 204) return { status: res.status, headers: res.headers, json: null };
      try {
        return { status: res.status, headers: res.headers, json: JSON.parse(text) };
      } catch {
        throw new HostingError(`${req.what}: ${url.host} did not answer with JSON`, 'bad-response');
      }
    }
  } catch (e) {
    if (e instanceof HostingError) throw e;
    if (timedOut) throw new HostingError(`${req.what}: ${url.host} did not send a complete response within ${timeoutMs / 1000} s`, 'unreachable');
    if (req.signal?.aborted) throw new HostingError(`${req.what}: cancelled`, 'cancelled');
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new HostingError(`${req.what}: ${url.host} is unreachable (${cause?.code ?? cause?.message ?? (e as Error).message})`, 'unreachable');
  } finally {
    clearTimeout(timer);
    req.signal?.removeEventListener('abort', onAbort);
  }
}
