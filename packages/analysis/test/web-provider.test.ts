import { type AnalysisMetric, CancelledError, ProviderError, systemClock } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebProvider, runAnalysis } from '../src/index.js';
import { hasOpenssl, startHttpServer, startHttpsServer, type WebTestServer } from './web-test-server.js';

let server: WebTestServer;
let tls: WebTestServer | undefined;
const openssl = hasOpenssl();
beforeAll(async () => {
  server = await startHttpServer();
  if (openssl) tls = await startHttpsServer();
});
afterAll(async () => {
  await server.close();
  await tls?.close();
});

const provider = createWebProvider({ maxResponseBytes: 16 * 1024 });
const options = (signal = new AbortController().signal) => ({ signal, clock: systemClock });
const metric = (web: Record<string, unknown>): AnalysisMetric => ({ name: 'web-metric', provider: { web: web as never } });
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error as Error,
  );

describe('createWebProvider over real HTTP on loopback', () => {
  it.each([
    ['{$.data.ok}', true],
    ['$.data.ok', true],
    ['{.data.ok}', true],
    // webmetric.go getValue: the raw value, no coercion; a selected string stays a string.
    ['{$.data.rate}', '0.97'],
    ['{$.data.name}', 'checkout'],
    ['{$.data.values}', [0.97, 0.99]],
    // getValue: only the first match is handed over.
    ['{$.data.values[*]}', 0.97],
    ['{$.data.*}', true],
  ])('jsonPath %s selects %j', async (jsonPath, expected) => {
    const measurement = await provider.measure(metric({ url: `${server.url}/ok`, jsonPath }), options());
    expect(measurement.value).toEqual(expected);
    // Displayed as json.Marshal writes it.
    expect(measurement.display).toBe(JSON.stringify(expected));
  });

  it('a body that is not JSON is a string value, as in Argo', async () => {
    const measurement = await provider.measure(metric({ url: `${server.url}/not-json`, jsonPath: '{$.x}' }), options());
    expect(measurement.value).toBe('hello');
    expect(measurement.display).toBe('hello');
  });

  it('never shows the basic-auth credentials of the URL, even when the server echoes the header', async () => {
    const url = server.url.replace('http://', 'http://user:pa55w0rd@');
    const measurement = await provider.measure(metric({ url: `${url}/echo-text` }), options());
    expect(server.seen.at(-1)?.headers.authorization).toBe(`Basic ${Buffer.from('user:pa55w0rd').toString('base64')}`);
    // Issue #17: masked in the value the conditions see and the run keeps, not only in the display.
    expect(measurement.value).toBe('you sent: Basic *****');
    expect(measurement.display).toBe('you sent: Basic *****');
  });

  it('without jsonPath the whole body is the result', async () => {
    const measurement = await provider.measure(metric({ url: `${server.url}/ok` }), options());
    expect(measurement.value).toEqual({ data: { ok: true, rate: '0.97', values: [0.97, 0.99], name: 'checkout' } });
    expect(measurement.metadata).toEqual({ url: `${server.url}/ok` });
  });

  it('sends method, headers and jsonBody', async () => {
    const measurement = await provider.measure(
      metric({ url: `${server.url}/echo`, method: 'POST', headers: [{ key: 'X-Token', value: 't0k' }], jsonBody: { q: 1 } }),
      options(),
    );
    expect(server.seen.at(-1)?.headers['x-token']).toBe('t0k');
    // An echoed header value is a credential whatever the header's name (issue #17).
    expect(measurement.value).toEqual({ method: 'POST', body: '{"q":1}', auth: null, token: '*****', type: 'application/json' });
  });

  it('sends a string body with PUT', async () => {
    const measurement = await provider.measure(metric({ url: `${server.url}/echo`, method: 'PUT', body: 'plain' }), options());
    expect(measurement.value).toMatchObject({ method: 'PUT', body: 'plain' });
  });

  it('turns credentials in the URL into basic auth and never prints them', async () => {
    const url = server.url.replace('http://', 'http://user:pa55w0rd@');
    const measurement = await provider.measure(metric({ url: `${url}/echo` }), options());
    expect(server.seen.at(-1)?.headers.authorization).toBe(`Basic ${Buffer.from('user:pa55w0rd').toString('base64')}`);
    expect((measurement.value as { auth: string }).auth).toBe('Basic *****');
    const error = await rejection(provider.measure(metric({ url: `${url}/error?token=abc` }), options()));
    expect(error.message).not.toContain('pa55w0rd');
    expect(error.message).not.toContain('token=abc');
  });

  it.each([
    ['a non-2xx answer', { url: '/error' }, 'GET http://HOST/error: received non 2xx response code: 500'],
    [
      'a path that matches nothing',
      { url: '/ok', jsonPath: '{$.data.missing}' },
      'GET http://HOST/ok: Could not find JSONPath in body: {$.data.missing}',
    ],
    ['a body over the size limit', { url: '/big' }, 'GET http://HOST/big failed: response body is larger than 16384 bytes'],
    [
      'a server that does not answer in timeoutSeconds',
      { url: '/slow', timeoutSeconds: 0.05 },
      'GET http://HOST/slow timed out after 0.05s',
    ],
    ['an invalid metric', { url: 'ftp://x' }, 'metric "web-metric": provider.web.url must be an http or https URL'],
  ])('%s is a ProviderError', async (_name, web, message) => {
    const url = web.url.startsWith('/') ? `${server.url}${web.url}` : web.url;
    const error = await rejection(provider.measure(metric({ ...web, url }), options()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message.startsWith(message.replace('http://HOST', server.url))).toBe(true);
  });

  it('a refused connection is a ProviderError naming the cause', async () => {
    const closed = await startHttpServer();
    await closed.close();
    const error = await rejection(provider.measure(metric({ url: `${closed.url}/x` }), options()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toBe(`GET ${closed.url}/x failed: ECONNREFUSED`);
  });

  it('aborting the signal cancels a call in flight promptly', async () => {
    const controller = new AbortController();
    const pending = rejection(
      provider.measure(metric({ url: `${server.url}/slow`, timeoutSeconds: 30 }), options(controller.signal)),
    );
    await new Promise((resolve) => setImmediate(resolve));
    const started = performance.now();
    controller.abort(new Error('stop'));
    const error = await pending;
    expect(CancelledError.isCancellation(error)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  // Skipped only where no openssl exists to make the test server's certificate.
  it.skipIf(!openssl)('refuses a self-signed certificate unless insecure', async () => {
    const url = `${tls?.url}/ok`;
    const error = await rejection(provider.measure(metric({ url, jsonPath: '{$.data.ok}' }), options()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toContain('failed: ');
    const measurement = await provider.measure(metric({ url, jsonPath: '{$.data.ok}', insecure: true }), options());
    expect(measurement.value).toBe(true);
  });

  it('validates its metric', () => {
    expect(provider.validate?.(metric({ url: `${server.url}/ok` }))).toEqual([]);
    expect(provider.validate?.(metric({ url: 'x', method: 'DELETE', body: 'a', jsonBody: {}, timeoutSeconds: -1 }))).toEqual([
      { path: 'provider.web.url', message: 'must be an http or https URL' },
      { path: 'provider.web.method', message: 'must be GET, POST or PUT' },
      { path: 'provider.web.jsonBody', message: 'body and jsonBody are mutually exclusive' },
      { path: 'provider.web.timeoutSeconds', message: 'must be a positive number' },
    ]);
  });

  it('sends a secretKeyRef arg in a header and keeps its value out of the run status', async () => {
    const template = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'web' },
      spec: {
        args: [{ name: 'base' }, { name: 'token', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } }],
        metrics: [
          {
            name: 'echo',
            successCondition: 'result.token != nil',
            provider: { web: { url: '{{args.base}}/echo', headers: [{ key: 'X-Token', value: '{{args.token}}' }] } },
          },
        ],
      },
    };
    const result = await runAnalysis({
      templates: [template],
      args: [{ name: 'base', value: server.url }],
      providers: [provider],
      resolveSecret: async () => 'web-s3cret-token',
      clock: createFakeClock({ auto: true }),
    });
    expect(result.phase).toBe('Successful');
    expect(server.seen.at(-1)?.headers['x-token']).toBe('web-s3cret-token');
    expect(result.metricResults[0]?.measurements[0]?.value).toContain('"token":"*****"');
    expect(JSON.stringify(result)).not.toContain('web-s3cret-token');
  });

  // Review finding: the URL path in messages and metadata is percent-encoded, and only the raw secret was masked.
  it('masks a secret in the URL path in its percent-encoded and base64 forms too', async () => {
    const secret = 'p@ss w/rd{1}';
    const template = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'web' },
      spec: {
        args: [
          { name: 'base' },
          { name: 'host' },
          { name: 'token', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } },
          { name: 'pw', valueFrom: { secretKeyRef: { name: 'api', key: 'pw' } } },
        ],
        metrics: [
          { name: 'bad', consecutiveErrorLimit: 0, provider: { web: { url: '{{args.base}}/error/{{args.token}}' } } },
          { name: 'echo', successCondition: 'false', provider: { web: { url: '{{args.base}}/echo-path/{{args.token}}' } } },
          {
            name: 'auth',
            successCondition: 'false',
            provider: { web: { url: '{{args.base}}/echo', headers: [{ key: 'Authorization', value: 'Basic {{args.token}}' }] } },
          },
          // The URL's password goes out as `Basic base64(user:pw)`; this server prints it back.
          {
            name: 'basic',
            successCondition: 'false',
            provider: { web: { url: 'http://user:{{args.pw}}@{{args.host}}/echo-text' } },
          },
        ],
      },
    };
    const result = await runAnalysis({
      templates: [template],
      args: [
        { name: 'base', value: server.url },
        { name: 'host', value: server.url.replace('http://', '') },
      ],
      providers: [provider],
      resolveSecret: async (ref) => (ref.key === 'pw' ? 's3cr3t-pw' : secret),
      clock: createFakeClock({ auto: true }),
    });
    const text = JSON.stringify(result);
    expect(result.metricResults[0]?.measurements[0]?.message).toBe(
      `GET ${server.url}/error/*****: received non 2xx response code: 404`,
    );
    expect(result.metricResults[3]?.measurements[0]?.value).toMatch(
      /^you sent: Basic [A-Za-z0-9+/]{0,4}\*{5}[A-Za-z0-9+/=]{0,4}$/,
    );
    expect(result.metricResults[1]?.measurements[0]?.metadata?.['url']).toBe(`${server.url}/echo-path/*****`);
    for (const form of [secret, encodeURIComponent(secret), encodeURI(secret), 'p@ss%20w/rd%7B1%7D']) {
      expect(text).not.toContain(form);
    }
    expect(text).not.toContain('s3cr3t-pw');
    expect(text).not.toContain(Buffer.from('user:s3cr3t-pw').toString('base64').slice(4, -4));
  });

  it('drives an analysis run with {{args}} in the URL', async () => {
    const template = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'web' },
      spec: {
        args: [{ name: 'base' }],
        metrics: [
          {
            name: 'ok',
            successCondition: 'result == true',
            provider: { web: { url: '{{args.base}}/ok', jsonPath: '{$.data.ok}' } },
          },
        ],
      },
    };
    const result = await runAnalysis({
      templates: [template],
      args: [{ name: 'base', value: server.url }],
      providers: [provider],
      clock: createFakeClock({ auto: true }),
    });
    expect(result.phase).toBe('Successful');
    expect(result.metricResults[0]?.measurements[0]?.value).toBe('true');
  });
});
