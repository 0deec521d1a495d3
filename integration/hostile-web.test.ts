import { createWebProvider, runAnalysis } from '@gradual/analysis';
import { type AnalysisMetric, type Logger, ProviderError, systemClock } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileServer, startHostileServer } from './support/hostile-server.js';

// Issue #17: the web provider probed as an attacker or a broken dependency would, on loopback.
let server: HostileServer;
/** Another origin: nothing the metric carries may ever reach it. */
let elsewhere: HostileServer;
beforeAll(async () => {
  server = await startHostileServer({
    // 10^5 levels of nesting in 200 KB: within the size cap, deeper than anything recursive should walk.
    '/deep': (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    },
  });
  elsewhere = await startHostileServer();
});
afterAll(async () => {
  await server.close();
  await elsewhere.close();
});

const provider = createWebProvider();
const call = () => ({ signal: new AbortController().signal, clock: systemClock });
const metric = (web: Record<string, unknown>): AnalysisMetric => ({ name: 'hostile', provider: { web: web as never } });
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => new ProviderError('test', 'expected a rejection', { code: 'NO_REJECTION' }),
    (error: unknown) => error as ProviderError,
  );
const withUser = (url: string, user: string, password: string) => url.replace('http://', `http://${user}:${password}@`);

describe('web provider: credentials never leave their origin', () => {
  it.each([
    [302, 'GET'],
    [307, 'GET'],
    [307, 'POST'],
    [308, 'PUT'],
  ])('a %i redirect of a %s to another origin is refused, and the other origin receives nothing', async (status, method) => {
    const before = elsewhere.seen.length;
    const error = await rejection(
      provider.measure(
        metric({
          url: `${withUser(server.url, 'deploy-bot', 'pw-123456')}/redirect?status=${status}&to=${encodeURIComponent(`${elsewhere.url}/echo`)}&token=qs-tok-9`,
          method,
          headers: [
            { key: 'X-Api-Key', value: 'api-key-value-1' },
            { key: 'X-Custom', value: 'opaque-credential-2' },
          ],
          ...(method === 'GET' ? {} : { jsonBody: { secret: 'body-secret-3' } }),
        }),
        call(),
      ),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.code).toBe('WEB_REDIRECT');
    expect(error.message).toBe(
      `${method} ${server.url}/redirect: HTTP ${status} redirects to another origin (${elsewhere.url}), which is not followed so that the metric's credentials stay with ${server.url}; set url to the final address`,
    );
    expect(elsewhere.seen.length).toBe(before);
  });

  it('a redirect within the origin is followed with the headers, which stay masked in what is shown', async () => {
    const measurement = await provider.measure(
      metric({ url: `${server.url}/redirect?status=307&to=/echo`, headers: [{ key: 'X-Api-Key', value: 'api-key-value-1' }] }),
      call(),
    );
    expect(server.seen.at(-1)?.url).toBe('/echo');
    expect(server.seen.at(-1)?.headers['x-api-key']).toBe('api-key-value-1');
    expect((measurement.value as { headers: Record<string, string> }).headers['x-api-key']).toBe('*****');
  });

  it('a redirect loop stops after 10 redirects', async () => {
    const error = await rejection(provider.measure(metric({ url: `${server.url}/redirect?status=302` }), call()));
    expect(error.message).toBe(`GET ${server.url}/redirect: HTTP 302 redirect not followed: stopped after 10 redirects`);
  });
});

describe('web provider: echoed credentials are masked by value, whatever the header is called', () => {
  it('in the value, the display, the messages, the logs and the run JSON', async () => {
    const logs: string[] = [];
    const logger: Logger = {
      debug: (message, fields) => logs.push(message, JSON.stringify(fields ?? {})),
      info: (message, fields) => logs.push(message, JSON.stringify(fields ?? {})),
      warn: (message, fields) => logs.push(message, JSON.stringify(fields ?? {})),
      error: (message, fields) => logs.push(message, JSON.stringify(fields ?? {})),
    };
    const web = (path: string) => ({
      url: `${withUser(server.url, 'deploy-bot', 'pw-123456')}${path}?token=qs-tok-9&apiKey=qs-key-8`,
      headers: [
        { key: 'X-Auth', value: 'x-auth-value-7' },
        { key: 'X-Tenant-Magic', value: 'opaque-credential-2' },
        { key: 'Authorization-Extra', value: 'Bearer bearer-value-5' },
      ],
    });
    const result = await runAnalysis({
      templates: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisTemplate',
          metadata: { name: 'echo' },
          spec: {
            metrics: [
              { name: 'json', successCondition: 'false', provider: { web: web('/echo') } },
              { name: 'text', successCondition: 'false', provider: { web: web('/echo-text') } },
            ],
          },
        },
      ],
      providers: [provider],
      clock: createFakeClock({ auto: true }),
      logger,
    });
    // The server did get them: this is an echo, not a request that failed.
    expect(server.seen.at(-1)?.headers['x-auth']).toBe('x-auth-value-7');
    const stored = JSON.stringify(result) + logs.join('\n');
    for (const secret of [
      'x-auth-value-7',
      'opaque-credential-2',
      'bearer-value-5',
      'qs-tok-9',
      'qs-key-8',
      'pw-123456',
      Buffer.from('deploy-bot:pw-123456').toString('base64'),
    ])
      expect(stored).not.toContain(secret);
    const json = result.metricResults[0]?.measurements[0]?.value ?? '';
    expect(json).toContain('"x-auth":"*****"');
    expect(json).toContain('"authorization-extra":"Bearer *****"');
    // The user name is masked where it stands alone, never inside a longer word.
    expect(json).toContain('"authorization":"Basic *****"');
    expect(json).toContain('"user-agent"');
  });

  it('a user name of 3+ characters is not masked inside our own words', async () => {
    const measurement = await provider.measure(metric({ url: `${withUser(server.url, 'user', 'pw-123456')}/echo` }), call());
    expect(measurement.display).toContain('"user-agent":');
    expect(measurement.display).not.toContain('*****-agent');
  });
});

describe('web provider: every body is capped in bytes and in time', () => {
  it('an endless chunked body stops at 10 MiB', { timeout: 15_000 }, async () => {
    const start = server.streamedBytes();
    const error = await rejection(provider.measure(metric({ url: `${server.url}/endless` }), call()));
    expect(error.code).toBe('WEB_RESPONSE_TOO_LARGE');
    expect(error.message).toBe(`GET ${server.url}/endless failed: response body is larger than 10485760 bytes`);
    expect(server.streamedBytes() - start).toBeLessThan(40 * 1024 * 1024);
  });

  it('a 200 MB body is not read past the cap', { timeout: 15_000 }, async () => {
    const start = server.streamedBytes();
    const error = await rejection(provider.measure(metric({ url: `${server.url}/huge?bytes=${200 * 1024 * 1024}` }), call()));
    expect(error.code).toBe('WEB_RESPONSE_TOO_LARGE');
    expect(server.streamedBytes() - start).toBeLessThan(40 * 1024 * 1024);
  });

  it('a slow drip is cut at timeoutSeconds', { timeout: 15_000 }, async () => {
    const error = await rejection(provider.measure(metric({ url: `${server.url}/drip`, timeoutSeconds: 1 }), call()));
    expect(error.code).toBe('WEB_TIMEOUT');
    expect(error.message).toBe(`GET ${server.url}/drip timed out after 1s`);
  });

  it('a body of 100,000 `<` is handed over as a string at once', { timeout: 5_000 }, async () => {
    const measurement = await provider.measure(metric({ url: `${server.url}/angles?status=200` }), call());
    expect(measurement.value).toBe('<'.repeat(100_000));
    const error = await rejection(provider.measure(metric({ url: `${server.url}/angles` }), call()));
    expect(error.message).toBe(`GET ${server.url}/angles: received non 2xx response code: 500`);
  });

  it('a body nested 10^5 levels deep is refused before anything walks it', { timeout: 5_000 }, async () => {
    const error = await rejection(provider.measure(metric({ url: `${server.url}/deep` }), call()));
    expect(error.code).toBe('WEB_RESPONSE_TOO_DEEP');
    expect(error.message).toBe(`GET ${server.url}/deep: the response body is nested deeper than 100 levels`);
  });
});

describe('web provider: malformed and non-finite values', () => {
  it('malformed JSON is handed over as a string, as Argo does', async () => {
    const measurement = await provider.measure(metric({ url: `${server.url}/malformed` }), call());
    expect(typeof measurement.value).toBe('string');
  });

  it('numbers beyond a double (1e999) are ±Infinity, shown as +Inf and -Inf, not null', async () => {
    const body = encodeURIComponent('{"up":1e999,"down":-1e999,"ok":0.5}');
    const measurement = await provider.measure(metric({ url: `${server.url}/json?body=${body}` }), call());
    expect(measurement.value).toEqual({ up: Number.POSITIVE_INFINITY, down: Number.NEGATIVE_INFINITY, ok: 0.5 });
    expect(measurement.display).toBe('{"up":+Inf,"down":-Inf,"ok":0.5}');
    const scalar = await provider.measure(metric({ url: `${server.url}/json?body=1e999` }), call());
    expect(scalar.display).toBe('+Inf');
  });
});

describe('web provider: bad values are our errors, naming the field', () => {
  it('timeoutSeconds 2.01 works (it threw RangeError: 2009.9999999999998 ms)', async () => {
    const measurement = await provider.measure(metric({ url: `${server.url}/json?body=1`, timeoutSeconds: 2.01 }), call());
    expect(measurement.value).toBe(1);
  });

  it.each([
    [1e9, 'provider.web.timeoutSeconds must be at most 86400 seconds (one day)'],
    [Number.POSITIVE_INFINITY, 'provider.web.timeoutSeconds must be at most 86400 seconds (one day)'],
    [Number.NaN, 'provider.web.timeoutSeconds must be a positive number'],
    [0, 'provider.web.timeoutSeconds must be a positive number'],
  ])('timeoutSeconds %s is refused by validate and by measure', async (timeoutSeconds, issue) => {
    const bad = metric({ url: `${server.url}/json?body=1`, timeoutSeconds });
    const [path, ...message] = issue.split(' ');
    expect(provider.validate?.(bad)).toEqual([{ path, message: message.join(' ') }]);
    const error = await rejection(provider.measure(bad, call()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toBe(`metric "hostile": ${issue}`);
  });

  it('a header fetch would choke on is a validation issue, not a TypeError', () => {
    expect(
      provider.validate?.(
        metric({
          url: server.url,
          headers: [
            { key: 'Bad Name', value: 'x' },
            { key: 'X-Ok', value: 'line\nbreak' },
            { key: 'X-Wide', value: 'caf\u00e9 \u2603' },
          ],
        }),
      ),
    ).toEqual([
      { path: 'provider.web.headers[0].key', message: 'must be a valid HTTP header name' },
      { path: 'provider.web.headers[1].value', message: 'must be Latin-1 text without line breaks or control characters' },
      { path: 'provider.web.headers[2].value', message: 'must be Latin-1 text without line breaks or control characters' },
    ]);
  });

  it('maxResponseBytes must be a whole number of bytes', () => {
    expect(() => createWebProvider({ maxResponseBytes: Number.NaN })).toThrow(
      'maxResponseBytes must be a whole number of bytes above 0, not NaN',
    );
  });
});
