import { type Clock, ProviderError } from '@gradual/core';
import type { PrometheusOAuth2 } from './prometheus-metric.js';

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

/**
 * Creates a cache of OAuth 2 client-credentials tokens (RFC 6749 §4.4).
 * Expiry is judged on the injected rollout clock. Concurrent callers share
 * one token request; each still stops waiting when its own signal fires.
 * Credentials are sent in the Authorization header first and, if the server
 * refuses that, in the form body, as Go's oauth2 package auto-detects.
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
  let refusal = '';
  for (const attempt of attempts) {
    let response: Response;
    try {
      response = await fetchImpl(config.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...attempt.headers },
        body: attempt.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string | undefined } | undefined }).cause;
      throw new ProviderError('prometheus', `could not reach ${where}: ${cause?.code ?? (error as Error).message}`, {
        code: 'PROMETHEUS_AUTH',
      });
    }
    const text = await response.text();
    let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // reported below with the status
    }
    if (response.ok && typeof body.access_token === 'string' && body.access_token !== '') {
      const seconds = Number(body.expires_in);
      return {
        token: body.access_token,
        expiresAt: Number.isFinite(seconds) && seconds > 0 ? clock.now() + seconds * 1000 : Number.POSITIVE_INFINITY,
      };
    }
    const reason =
      typeof body.error === 'string'
        ? `: ${body.error}${typeof body.error_description === 'string' ? ` (${body.error_description})` : ''}`
        : '';
    refusal = `HTTP ${response.status}${reason}`;
    if (response.ok)
      throw new ProviderError('prometheus', `${where} answered without an access_token`, { code: 'PROMETHEUS_AUTH' });
    if (response.status !== 400 && response.status !== 401) break;
  }
  throw new ProviderError('prometheus', `${where} refused the client credentials (${refusal})`, { code: 'PROMETHEUS_AUTH' });
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
