import { inspect } from 'node:util';
import { type CallOptions, GradualError } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusProvider } from '../src/index.js';
import { FIXED_ANCHOR, knownSeries, prometheusMetric } from './support/known-series.js';
import { prometheusSkipNote, skipWithoutPrometheus } from './support/prometheus-availability.js';
import { type PrometheusServer, startPrometheus, TEST_USERS } from './support/prometheus-server.js';
import { type RecordingProxy, startRecordingProxy } from './support/recording-proxy.js';
import { startTokenServer, type TokenServer } from './support/token-server.js';

const anchor = FIXED_ANCHOR;
const call = (clock = createFakeClock({ start: anchor * 1000 })): CallOptions => ({
  signal: new AbortController().signal,
  clock,
});

const SECRETS = [
  TEST_USERS.alice.password,
  TEST_USERS.internal.password,
  'internal:secret',
  'wrong-pa55word',
  Buffer.from('alice:wrong-pa55word').toString('base64'),
  Buffer.from('internal:secret').toString('base64'),
  'client-s3cret-value',
  'token-1',
];

async function failure(promise: Promise<unknown>): Promise<GradualError> {
  try {
    await promise;
  } catch (error) {
    if (!GradualError.isInstance(error)) throw error;
    return error;
  }
  throw new Error('expected the measurement to be rejected');
}

/** No secret in the message, nor anywhere a logger could print the error from. */
function expectNoSecret(error: GradualError): void {
  const printed = `${error.message}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}`;
  for (const secret of SECRETS) expect(printed).not.toContain(secret);
  expect(printed).not.toMatch(/internal@|alice@/);
}

describe.skipIf(skipWithoutPrometheus)(`basic auth and TLS against a real Prometheus${prometheusSkipNote}`, () => {
  let server: PrometheusServer;
  let host: string;
  beforeAll(async () => {
    server = await startPrometheus({ openMetrics: knownSeries(anchor), tls: true, basicAuthUsers: ['alice', 'internal'] });
    host = server.address.replace('https://', '');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('works with authentication.basicAuth and insecure: true', async () => {
    const provider = createPrometheusProvider();
    const metric = prometheusMetric({
      address: server.address,
      insecure: true,
      query: 'sort(gradual_test_gauge)',
      authentication: { basicAuth: { username: 'alice', password: TEST_USERS.alice.password } },
    });
    expect((await provider.measure(metric, call())).value).toEqual([1, 2]);
    provider.close();
  });

  it("works with the seed's credentials in the address, verifying the certificate against tls.ca", async () => {
    const provider = createPrometheusProvider({ tls: { ca: server.certPem as string } });
    const metric = prometheusMetric({ address: `https://internal:secret@${host}`, query: 'vector(1)' });
    expect((await provider.measure(metric, call())).value).toEqual([1]);
    provider.close();
  });

  it('says the credentials were refused, without any credential in the error', async () => {
    const provider = createPrometheusProvider();
    const wrong = prometheusMetric({
      address: server.address,
      insecure: true,
      query: 'vector(1)',
      authentication: { basicAuth: { username: 'alice', password: 'wrong-pa55word' } },
    });
    const error = await failure(provider.measure(wrong, call()));
    expect(error.code).toBe('PROMETHEUS_AUTH');
    expect(error.message).toBe(
      `Prometheus at ${server.address} refused the credentials of metric "test-metric" (HTTP 401 Unauthorized); check provider.prometheus.authentication or the address' user and password`,
    );
    expectNoSecret(error);

    const wrongUserinfo = prometheusMetric({
      address: `https://internal:wrong-pa55word@${host}`,
      insecure: true,
      query: 'vector(1)',
    });
    const second = await failure(provider.measure(wrongUserinfo, call()));
    expect(second.code).toBe('PROMETHEUS_AUTH');
    expectNoSecret(second);

    const none = await failure(
      provider.measure(prometheusMetric({ address: server.address, insecure: true, query: 'vector(1)' }), call()),
    );
    expect(none.code).toBe('PROMETHEUS_AUTH');
    provider.close();
  });

  it('refuses a self-signed certificate unless insecure or trusted, and says how to fix it', async () => {
    const provider = createPrometheusProvider();
    const metric = prometheusMetric({ address: `https://internal:secret@${host}`, query: 'vector(1)' });
    const error = await failure(provider.measure(metric, call()));
    expect(error.code).toBe('PROMETHEUS_TLS');
    expect(error.message).toContain(`the TLS certificate of Prometheus at ${server.address} was not accepted`);
    expect(error.message).toContain('insecure: true');
    expectNoSecret(error);
    provider.close();
  });

  it('explains plain http sent to an HTTPS server', async () => {
    const provider = createPrometheusProvider();
    const metric = prometheusMetric({ address: `http://internal:secret@${host}`, query: 'vector(1)' });
    const error = await failure(provider.measure(metric, call()));
    expect(error.message).toContain('answered HTTP 400');
    expect(error.message).toContain('HTTP request to an HTTPS server');
    expectNoSecret(error);
    provider.close();
  });
});

describe.skipIf(skipWithoutPrometheus)(`OAuth 2 client credentials in front of a real Prometheus${prometheusSkipNote}`, () => {
  let server: PrometheusServer;
  let gateway: RecordingProxy;
  let tokens: TokenServer;
  const oauth2 = () => ({
    tokenUrl: tokens.tokenUrl,
    clientId: 'gradual',
    clientSecret: 'client-s3cret-value',
    scopes: ['metrics:read'],
  });
  beforeAll(async () => {
    server = await startPrometheus({ openMetrics: knownSeries(anchor) });
    // Prometheus has no bearer-token auth of its own; an auth gateway in front of it checks the token.
    gateway = await startRecordingProxy(server.address);
    tokens = await startTokenServer({ id: 'gradual', secret: 'client-s3cret-value', expiresIn: 60 });
  });
  afterAll(async () => {
    await tokens?.close();
    await gateway?.close();
    await server?.stop();
  });

  it('sends the token as Bearer, caches it until it expires on the rollout clock, then fetches a new one', async () => {
    const provider = createPrometheusProvider();
    const clock = createFakeClock({ start: anchor * 1000 });
    const metric = prometheusMetric({ address: gateway.address, query: 'vector(5)', authentication: { oauth2: oauth2() } });
    gateway.behaviour = { requireAuthorization: 'Bearer token-1' };
    expect((await provider.measure(metric, call(clock))).value).toEqual([5]);
    await clock.advance(40_000);
    expect((await provider.measure(metric, call(clock))).value).toEqual([5]);
    expect(tokens.issued).toEqual(['token-1']);
    // 60 s token, renewed 10 s before it expires.
    await clock.advance(15_000);
    gateway.behaviour = { requireAuthorization: 'Bearer token-2' };
    expect((await provider.measure(metric, call(clock))).value).toEqual([5]);
    expect(tokens.issued).toEqual(['token-1', 'token-2']);
    provider.close();
  });

  it('shares one token request between concurrent measurements', async () => {
    const provider = createPrometheusProvider();
    const before = tokens.issued.length;
    gateway.behaviour = { requireAuthorization: `Bearer token-${before + 1}` };
    const metric = prometheusMetric({ address: gateway.address, query: 'vector(6)', authentication: { oauth2: oauth2() } });
    const results = await Promise.all(Array.from({ length: 5 }, () => provider.measure(metric, call())));
    expect(results.map((result) => result.value)).toEqual(Array(5).fill([6]));
    expect(tokens.issued.length).toBe(before + 1);
    provider.close();
  });

  it('forgets a token that Prometheus refused, and fetches a new one next time', async () => {
    const provider = createPrometheusProvider();
    const metric = prometheusMetric({ address: gateway.address, query: 'vector(7)', authentication: { oauth2: oauth2() } });
    gateway.behaviour = { requireAuthorization: 'Bearer revoked' };
    const error = await failure(provider.measure(metric, call()));
    expect(error.code).toBe('PROMETHEUS_AUTH');
    const issued = tokens.issued.length;
    gateway.behaviour = { requireAuthorization: `Bearer token-${issued + 1}` };
    expect((await provider.measure(metric, call())).value).toEqual([7]);
    provider.close();
  });

  it('reports refused client credentials without the secret', async () => {
    const provider = createPrometheusProvider();
    const metric = prometheusMetric({
      address: gateway.address,
      query: 'vector(1)',
      authentication: { oauth2: { ...oauth2(), clientSecret: 'wrong-pa55word' } },
    });
    const error = await failure(provider.measure(metric, call()));
    expect(error.code).toBe('PROMETHEUS_AUTH');
    expect(error.message).toBe(
      `the OAuth2 token endpoint ${tokens.tokenUrl} refused the client credentials (HTTP 401: invalid_client)`,
    );
    expectNoSecret(error);
    provider.close();
  });
});
