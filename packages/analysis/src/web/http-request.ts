import { request as httpsRequest } from 'node:https';
import { BodyTooLargeError, readCappedBody } from '@gradual/core/adapter';
import { isSameOrigin } from './same-origin.js';

/** One HTTP exchange, after any redirects within the origin. */
export type HttpOutcome =
  | { kind: 'response'; status: number; body: string }
  /** A redirect to another origin, not followed; `origin` is the target's scheme, host and port only. */
  | { kind: 'cross-origin-redirect'; status: number; origin: string }
  /** A redirect without a usable `Location`, or one redirect too many. */
  | { kind: 'bad-redirect'; status: number; reason: string };

/** What to send. */
export interface HttpRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  insecure: boolean;
  signal: AbortSignal;
  maxBytes: number;
}

/** As browsers and Go's http.Client: more redirects than this is a loop. */
export const MAX_REDIRECTS = 10;

/**
 * Sends a request and follows redirects only within its origin (scheme,
 * host and port), or from http to https on the same host: the headers,
 * user and body of a metric never reach another origin, so a redirect to
 * one is reported instead of followed. 301/302/303 turn a POST into a GET
 * without a body, as fetch does; 307/308 repeat the request. Bodies larger
 * than `maxBytes` are refused while they stream in; `signal` bounds the
 * whole exchange in time, body included.
 */
export async function httpRequest(input: HttpRequest): Promise<HttpOutcome> {
  let url = input.url;
  let method = input.method;
  let body = input.body;
  const headers = { ...input.headers };
  for (let hop = 0; ; hop++) {
    const answer = await sendOnce({ ...input, url, method, headers, ...(body === undefined ? {} : { body }) });
    if (answer.location === undefined) return { kind: 'response', status: answer.status, body: answer.body };
    if (hop === MAX_REDIRECTS)
      return { kind: 'bad-redirect', status: answer.status, reason: `stopped after ${MAX_REDIRECTS} redirects` };
    if (!URL.canParse(answer.location, url.href))
      return { kind: 'bad-redirect', status: answer.status, reason: 'the Location header is not a URL' };
    const next = new URL(answer.location, url);
    if (!isSameOrigin(url, next)) return { kind: 'cross-origin-redirect', status: answer.status, origin: next.origin };
    if (answer.status === 303 || ((answer.status === 301 || answer.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      delete headers['content-type'];
    }
    url = next;
  }
}

interface RawAnswer {
  status: number;
  body: string;
  /** Set for a redirect (3xx with a Location header). */
  location?: string | undefined;
}

const isRedirect = (status: number) => [301, 302, 303, 307, 308].includes(status);

async function sendOnce(input: HttpRequest): Promise<RawAnswer> {
  if (input.insecure && input.url.protocol === 'https:') return insecureRequest(input);
  const response = await fetch(input.url, {
    method: input.method,
    headers: input.headers,
    ...(input.body === undefined ? {} : { body: input.body }),
    signal: input.signal,
    // Followed here, not by fetch: fetch keeps custom headers (X-Api-Key) and the body across origins.
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  if (isRedirect(response.status) && location !== null) {
    await response.body?.cancel();
    return { status: response.status, body: '', location };
  }
  return { status: response.status, body: await readCappedBody(response, input.maxBytes) };
}

function insecureRequest(input: HttpRequest): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      input.url,
      { method: input.method, headers: input.headers, rejectUnauthorized: false, signal: input.signal },
      (response) => {
        const status = response.statusCode ?? 0;
        const location = response.headers.location;
        if (isRedirect(status) && location !== undefined) {
          response.destroy();
          resolve({ status, body: '', location });
          return;
        }
        const declared = Number(response.headers['content-length']);
        if (Number.isFinite(declared) && declared > input.maxBytes) {
          request.destroy(new BodyTooLargeError(input.maxBytes));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > input.maxBytes) {
            request.destroy(new BodyTooLargeError(input.maxBytes));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ status, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
        response.on('aborted', () => reject(input.signal.reason ?? new Error('the server closed the connection')));
      },
    );
    request.on('error', reject);
    if (input.body !== undefined) request.write(input.body);
    request.end();
  });
}
