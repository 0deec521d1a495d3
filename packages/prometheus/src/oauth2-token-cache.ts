import { type Clock, ProviderError } from '@gradual/core';
import { BodyTooLargeError, createRedactor, readCappedBody } from '@gradual/core/adapter';
import type { PrometheusOAuth2 } from './prometheus-metric.js';
import { isSameOrigin } from './same-origin.js';

/** What a token request needs besides the credentials. */
export interface TokenRequestOptions {
  signal: AbortSignal;
  clock: Clock;
  /** Wall-clock limit of the token request itself. */
  timeoutMs: number;
}

/** Client-credentials tokens, cached until they expire. */
export interface OAuth2TokenCache {
  /** A valid access token, fetched only when none is cached or it expires within 10 s. */
  token(config: PrometheusOAuth2, options: TokenRequestOptions): Promise<string>;
  /** Forgets the token of `config`, e.g. after Prometheus answered 401. */
  invalidate(config: PrometheusOAuth2): void;
}

interface Entry {
  token: string;
  /** Epoch ms on the rollout clock; Infinity when the server gave no `expires_in`. */
  expiresAt: number;
}

// As Go's oauth2 package: a token is renewed this long before it expires.
const EXPIRY_MARGIN_MS = 10_000;
/** Largest token response read: a token answer is a few kilobytes. */
export const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;
/** Redirects followed within the token endpoint's origin before giving up. */
const MAX_TOKEN_REDIRECTS = 10;

/**
 * Creates a cache of OAuth 2 client-credentials tokens (RFC 6749 §4.4).
 * Expiry is judged on the injected rollout clock. Concurrent callers share
 * one token request; each still stops waiting when its own signal fires.
 * Credentials are sent in the Authorization header first and, if the server
 * refuses that, in the form body, as Go's oauth2 package auto-detects.
 * A 307/308 redirect is followed only within the endpoint's origin: the
 * client secret is never sent anywhere else. Answers are read up to 1 MiB.
 */
export function createOAuth2TokenCache(fetchImpl: typeof fetch = fetch): OAuth2TokenCache {
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Entry>>();
  const keyOf = (config: PrometheusOAuth2) =>
    JSON.stringify([config.tokenUrl, config.clientId, config.clientSecret, [...(config.scopes ?? [])].sort()]);

  return {
    async token(config, options) {
      const key = keyOf(config);
      const cached = entries.get(key);
      if (cached && options.clock.now() < cached.expiresAt - EXPIRY_MARGIN_MS) return cached.token;
      let pending = inFlight.get(key);
      if (!pending) {
        // Shared by concurrent callers, so not tied to any one caller's signal; bounded by its own timeout.
        pending = requestToken(fetchImpl, config, options.clock, options.timeoutMs).finally(() => inFlight.delete(key));
        inFlight.set(key, pending);
      }
      const entry = await raceSignal(pending, options.signal);
      entries.set(key, entry);
      return entry.token;
    },
    invalidate(config) {
      entries.delete(keyOf(config));
    },
  };
}

async function requestToken(fetchImpl: typeof fetch, config: PrometheusOAuth2, clock: Clock, timeoutMs: number): Promise<Entry> {
  const where = `the OAuth2 token endpoint ${safeUrl(config.tokenUrl)}`;
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (config.scopes && config.scopes.length > 0) form.set('scope', config.scopes.join(' '));
  const basic = Buffer.from(`${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.clientSecret)}`).toString(
    'base64',
  );
  const attempts: { headers: Record<string, string>; body: URLSearchParams }[] = [
    { headers: { authorization: `Basic ${basic}` }, body: form },
    { headers: {}, body: new URLSearchParams([...form, ['client_id', config.clientId], ['client_secret', config.clientSecret]]) },
  ];
  // The endpoint may echo what it got (an error page, a proxy): what it says is masked before it is shown.
  const redact = createRedactor({ oauth2: config });
  const signal = AbortSignal.timeout(timeoutMs);
  let refusal = '';
  for (const attempt of attempts) {
    let response: Response;
    let text: string;
    try {
      response = await postWithinOrigin(fetchImpl, config.tokenUrl, where, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...attempt.headers },
        body: attempt.body,
        signal,
      });
      text = await readCappedBody(response, MAX_TOKEN_RESPONSE_BYTES);
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      if (BodyTooLargeError.isInstance(error))
        throw new ProviderError('prometheus', `${where} answered with more than ${MAX_TOKEN_RESPONSE_BYTES} bytes`, {
          code: 'PROMETHEUS_AUTH',
        });
      if (signal.aborted)
        throw new ProviderError('prometheus', `${where} did not answer within ${timeoutMs / 1000}s`, { code: 'PROMETHEUS_AUTH' });
      const cause = (error as { cause?: { code?: string | undefined } | undefined }).cause;
      throw new ProviderError(
        'prometheus',
        `could not reach ${where}: ${redact(cut(String(cause?.code ?? (error as Error).message), 200))}`,
        { code: 'PROMETHEUS_AUTH' },
      );
    }
    let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // reported below with the status
    }
    if (body === null || typeof body !== 'object') body = {};
    if (response.ok && typeof body.access_token === 'string' && body.access_token !== '') {
      const seconds = Number(body.expires_in);
      const expiresAt = clock.now() + seconds * 1000;
      return {
        token: body.access_token,
        // A huge or malformed expires_in means "no expiry known", never NaN or a date past what a Date holds.
        expiresAt: Number.isFinite(expiresAt) && seconds > 0 ? expiresAt : Number.POSITIVE_INFINITY,
      };
    }
    const reason =
      typeof body.error === 'string'
        ? `: ${redact(cut(body.error, 200))}${typeof body.error_description === 'string' ? ` (${redact(cut(body.error_description, 500))})` : ''}`
        : '';
    refusal = `HTTP ${response.status}${reason}`;
    if (response.ok)
      throw new ProviderError('prometheus', `${where} answered without an access_token`, { code: 'PROMETHEUS_AUTH' });
    if (response.status !== 400 && response.status !== 401) break;
  }
  throw new ProviderError('prometheus', `${where} refused the client credentials (${refusal})`, { code: 'PROMETHEUS_AUTH' });
}

/**
 * POSTs and follows 307/308 redirects itself (fetch would re-send the body,
 * client secret included, to any origin): within the endpoint's origin they
 * are followed, anywhere else, and any other redirect, they are refused.
 */
async function postWithinOrigin(fetchImpl: typeof fetch, tokenUrl: string, where: string, init: RequestInit): Promise<Response> {
  let url = new URL(tokenUrl);
  for (let hop = 0; ; hop++) {
    const response = await fetchImpl(url, { ...init, redirect: 'manual' });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) return response;
    await response.body?.cancel();
    const next = URL.canParse(location, url.href) ? new URL(location, url.href) : undefined;
    const refuse = (why: string) =>
      new ProviderError('prometheus', `${where} answered HTTP ${response.status}, a redirect that is not followed: ${why}`, {
        code: 'PROMETHEUS_AUTH',
      });
    if (!next) throw refuse('its Location is not a URL');
    if (!isSameOrigin(url, next))
      throw refuse(
        `it leads to another origin (${next.origin}), and the client secret never leaves ${url.origin}; set tokenUrl to the final address`,
      );
    if (response.status !== 307 && response.status !== 308)
      throw refuse('a token request must stay a POST; set tokenUrl to the final address');
    if (hop === MAX_TOKEN_REDIRECTS) throw refuse(`more than ${MAX_TOKEN_REDIRECTS} redirects`);
    url = next;
  }
}

function cut(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function safeUrl(text: string): string {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}
