import type { ServerResponse } from 'node:http';
import { runAnalysis } from '@gradual/analysis';
import { type AnalysisMetric, type Logger, ProviderError, systemClock } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { createPrometheusProvider } from '@gradual/prometheus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileServer, type SeenRequest, startHostileServer } from './support/hostile-server.js';

// Issue #17: the Prometheus provider probed as an attacker or a broken dependency would, on loopback.
const json = (response: ServerResponse, status: number, body: unknown) => {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
};
const vector = (...values: string[]) => ({
  status: 'success',
  data: { resultType: 'vector', result: values.map((value, i) => ({ metric: { i: String(i) }, value: [1, value] })) },
});
const echoOf = (request: SeenRequest) => `${request.method} ${request.url} ${JSON.stringify(request.headers)} ${request.body}`;

let server: HostileServer;
/** Another origin: nothing the metric carries may ever reach it. */
let elsewhere: HostileServer;
beforeAll(async () => {
  elsewhere = await startHostileServer();
  server = await startHostileServer({
    '/echo-warn': (request, response) => json(response, 200, { ...vector('0.5'), warnings: [echoOf(request)] }),
    '/echo-error': (request, response) =>
      json(response, 400, { status: 'error', errorType: 'bad_data', error: `cannot parse: ${echoOf(request)}` }),
    '/echo-html': (request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end(`<html><body><h1>Bad gateway</h1><p>user-agent ${echoOf(request)}</p></body></html>`);
    },
    // `/away/<status>`: a redirect of that status to the other origin.
    '/away': (request, response) => {
      response.writeHead(Number(request.url.split('/')[2]), { location: `${elsewhere.url}/echo` });
      response.end();
    },
    '/unauthorized': (_request, response) => json(response, 401, { status: 'error', error: 'unauthorized' }),
    '/nan': (_request, response) => json(response, 200, vector('NaN', '+Inf', '-Inf', '0.25')),
    '/digits': (_request, response) => json(response, 200, vector(`${'1'.repeat(100_000)}x`)),
    '/result-type': (_request, response) =>
      json(response, 200, { status: 'success', data: { resultType: 'x'.repeat(10_000), result: [] } }),
    // Refuses the Basic header, as some identity providers do, then sends the form body elsewhere.
    '/token-then-away': (request, response) => {
      if (request.headers.authorization) return json(response, 401, { error: 'invalid_client' });
      response.writeHead(307, { location: `${elsewhere.url}/token` });
      response.end();
    },
    '/token-away': (_request, response) => {
      response.writeHead(307, { location: `${elsewhere.url}/token` });
      response.end();
    },
    '/token-moved': (_request, response) => {
      response.writeHead(308, { location: '/token-ok' });
      response.end();
    },
    '/token-ok': (_request, response) => json(response, 200, { access_token: 'issued-token-4', expires_in: 1e308 }),
    '/token-echo': (request, response) =>
      json(response, 401, { error: 'invalid_client', error_description: `you sent ${echoOf(request)}` }),
    '/token-endless': (_request, response, { streamed }) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const piece = Buffer.alloc(64 * 1024, ' ');
      const pump = () => {
        while (!response.destroyed) {
          streamed(piece.length);
          if (!response.write(piece)) return void response.once('drain', pump);
        }
      };
      pump();
    },
  });
});
afterAll(async () => {
  await server.close();
  await elsewhere.close();
});

const provider = createPrometheusProvider({ env: {} });
afterAll(() => provider.close());
const call = (logger?: Logger) => ({ signal: new AbortController().signal, clock: systemClock, ...(logger ? { logger } : {}) });
const metric = (prometheus: Record<string, unknown>): AnalysisMetric => ({
  name: 'hostile',
  provider: { prometheus: { query: 'up', ...prometheus } as never },
});
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => new ProviderError('test', 'expected a rejection', { code: 'NO_REJECTION' }),
    (error: unknown) => error as ProviderError,
  );
const withUser = (url: string, user: string, password: string) => url.replace('http://', `http://${user}:${password}@`);
const oauth2 = (path: string) => ({
  authentication: {
    oauth2: { tokenUrl: `${server.url}${path}`, clientId: 'gradual-client', clientSecret: 'client-secret-6', scopes: ['read'] },
  },
});

describe('Prometheus provider: credentials never leave their origin', () => {
  it.each([
    301, 302, 307, 308,
  ])('a %i on a query is reported, not followed, and the other origin receives nothing', async (status) => {
    const before = elsewhere.seen.length;
    const error = await rejection(
      provider.measure(
        metric({
          address: withUser(`${server.url}/away/${status}`, 'deploy-bot', 'pw-123456'),
          headers: [{ key: 'X-Api-Key', value: 'api-key-value-1' }],
        }),
        call(),
      ),
    );
    expect(error.code).toBe('PROMETHEUS_RESPONSE');
    expect(error.message).toContain(`answered HTTP ${status} for metric "hostile", a redirect to ${elsewhere.url}/echo`);
    expect(elsewhere.seen.length).toBe(before);
  });

  it('the token request does not re-send client_secret on a 307 to another origin after a 401 to Basic', async () => {
    const before = elsewhere.seen.length;
    const error = await rejection(
      provider.measure(metric({ address: `${server.url}/echo-warn`, ...oauth2('/token-then-away') }), call()),
    );
    expect(error.code).toBe('PROMETHEUS_AUTH');
    expect(error.message).toBe(
      `the OAuth2 token endpoint ${server.url}/token-then-away answered HTTP 307, a redirect that is not followed: it leads to another origin (${elsewhere.url}), and the client secret never leaves ${server.url}; set tokenUrl to the final address`,
    );
    expect(elsewhere.seen.length).toBe(before);
    // The form-body attempt did go to the configured origin: the secret stayed there.
    expect(server.seen.at(-1)?.body).toContain('client_secret=client-secret-6');
  });

  it('a 307 on the first token request (Basic header) is not followed to another origin either', async () => {
    const before = elsewhere.seen.length;
    const error = await rejection(
      provider.measure(metric({ address: `${server.url}/echo-warn`, ...oauth2('/token-away') }), call()),
    );
    expect(error.code).toBe('PROMETHEUS_AUTH');
    expect(elsewhere.seen.length).toBe(before);
  });

  it('a 308 within the token endpoint origin is followed; a huge expires_in means no known expiry', async () => {
    const measurement = await provider.measure(metric({ address: `${server.url}/echo-warn`, ...oauth2('/token-moved') }), call());
    expect(measurement.value).toEqual([0.5]);
    expect(server.seen.at(-1)?.headers.authorization).toBe('Bearer issued-token-4');
  });
});

describe('Prometheus provider: echoed credentials are masked by value, whatever the header is called', () => {
  const settings = {
    headers: [
      { key: 'X-Auth', value: 'x-auth-value-7' },
      { key: 'X-Scope-OrgID', value: 'tenant-credential-3' },
    ],
  };
  const secrets = ['x-auth-value-7', 'tenant-credential-3', 'pw-123456', Buffer.from('deploy-bot:pw-123456').toString('base64')];
  const at = (path: string) => ({ ...settings, address: withUser(`${server.url}${path}`, 'deploy-bot', 'pw-123456') });

  it('in warnings (metadata and logs), error messages and HTML snippets, and the run JSON', async () => {
    const logs: string[] = [];
    const logger: Logger = {
      debug: (message, fields) => logs.push(message, JSON.stringify(fields ?? {})),
      info: (message, fields) => logs.push(message, JSON.stringify(fields ?? {})),
      warn: (message, fields) => logs.push(message, JSON.stringify(fields ?? {})),
      error: (message, fields) => logs.push(message, JSON.stringify(fields ?? {})),
    };
    const result = await runAnalysis({
      templates: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisTemplate',
          metadata: { name: 'echo' },
          spec: {
            metrics: ['/echo-warn', '/echo-error', '/echo-html'].map((path) => ({
              name: path.slice(1),
              successCondition: 'false',
              consecutiveErrorLimit: 0,
              provider: { prometheus: { query: 'up', ...at(path) } },
            })),
          },
        },
      ],
      providers: [provider],
      clock: createFakeClock({ auto: true }),
      logger,
    });
    expect(server.seen.at(-1)?.headers['x-auth']).toBe('x-auth-value-7');
    const stored = JSON.stringify(result) + logs.join('\n');
    for (const secret of secrets) expect(stored).not.toContain(secret);
    expect(result.metricResults[0]?.measurements[0]?.metadata?.['warnings']).toContain('"x-auth":"*****"');
    expect(logs.join('\n')).toContain('Prometheus returned warnings');
    expect(result.metricResults[1]?.measurements[0]?.message).toContain('"x-auth":"*****"');
    // Our words stay whole: the user name is masked only where it stands alone.
    expect(result.metricResults[2]?.measurements[0]?.message).toMatch(
      /^Prometheus at .* answered HTTP 502 \(text\/html\).*"Bad gateway user-agent GET/,
    );
  });

  it('the client secret echoed by the token endpoint is masked', async () => {
    const error = await rejection(
      provider.measure(metric({ address: `${server.url}/echo-warn`, ...oauth2('/token-echo') }), call()),
    );
    expect(error.code).toBe('PROMETHEUS_AUTH');
    expect(error.message).toContain('invalid_client (you sent POST /token-echo');
    expect(error.message).not.toContain('client-secret-6');
  });

  it('a URL user name of 3+ characters is not masked inside our own words', async () => {
    const error = await rejection(
      provider.measure(metric({ address: withUser(`${server.url}/unauthorized`, 'user', 'pw-123456') }), call()),
    );
    expect(error.code).toBe('PROMETHEUS_AUTH');
    expect(error.message).toContain("check provider.prometheus.authentication or the address' user and password");
    const html = await rejection(
      provider.measure(metric({ address: withUser(`${server.url}/echo-html`, 'user', 'pw-123456') }), call()),
    );
    expect(html.message).toContain('user-agent');
    expect(html.message).not.toContain('*****-agent');
  });
});

describe('Prometheus provider: every body is capped in bytes and in time', () => {
  it('an endless chunked body stops at maxResponseBytes (10 MiB by default)', { timeout: 15_000 }, async () => {
    const start = server.streamedBytes();
    const error = await rejection(provider.measure(metric({ address: `${server.url}/endless` }), call()));
    expect(error.code).toBe('PROMETHEUS_RESPONSE_TOO_LARGE');
    expect(error.message).toBe(
      `Prometheus at ${server.url}/endless answered metric "hostile" with the body is larger than 10485760 bytes; reading stopped there (raise maxResponseBytes of createPrometheusProvider if the answer is genuine)`,
    );
    expect(server.streamedBytes() - start).toBeLessThan(40 * 1024 * 1024);
  });

  it('a 200 MB body is not read past the cap (it took 16-22 s and 1.6 GB for 100 MB)', { timeout: 15_000 }, async () => {
    const start = server.streamedBytes();
    const small = createPrometheusProvider({ env: {}, maxResponseBytes: 1024 * 1024 });
    const error = await rejection(small.measure(metric({ address: `${server.url}/huge/${200 * 1024 * 1024}` }), call()));
    small.close();
    expect(error.code).toBe('PROMETHEUS_RESPONSE_TOO_LARGE');
    expect(error.message).toContain('larger than 1048576 bytes');
    expect(server.streamedBytes() - start).toBeLessThan(40 * 1024 * 1024);
  });

  it('a slow drip is cut at the timeout', { timeout: 15_000 }, async () => {
    const error = await rejection(provider.measure(metric({ address: `${server.url}/drip`, timeout: 1 }), call()));
    expect(error.code).toBe('PROMETHEUS_TIMEOUT');
  });

  it('an endless token answer stops at 1 MiB', { timeout: 15_000 }, async () => {
    const error = await rejection(
      provider.measure(metric({ address: `${server.url}/echo-warn`, ...oauth2('/token-endless') }), call()),
    );
    expect(error.message).toBe(`the OAuth2 token endpoint ${server.url}/token-endless answered with more than 1048576 bytes`);
  });

  it('an error page of 100,000 `<` is described at once (it took 53 s)', { timeout: 5_000 }, async () => {
    const started = performance.now();
    const error = await rejection(provider.measure(metric({ address: `${server.url}/angles` }), call()));
    expect(error.message).toBe(
      `Prometheus at ${server.url}/angles answered HTTP 500 (text/html) for metric "hostile", which is not Prometheus' JSON API: "${'<'.repeat(120)}…"`,
    );
    expect(performance.now() - started).toBeLessThan(4_000);
  });
});

describe('Prometheus provider: malformed answers and non-finite values', () => {
  it('malformed JSON is a clear error', async () => {
    const error = await rejection(provider.measure(metric({ address: `${server.url}/malformed` }), call()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toContain(`Prometheus at ${server.url}/malformed answered HTTP 200`);
  });

  it('NaN and ±Inf are kept as numbers and shown as Argo shows them', async () => {
    const measurement = await provider.measure(metric({ address: `${server.url}/nan` }), call());
    expect(measurement.value).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.25]);
    expect(measurement.display).toBe('[NaN,+Inf,-Inf,0.25]');
  });

  it('a 100,000-digit sample value is refused in linear time', { timeout: 5_000 }, async () => {
    const error = await rejection(provider.measure(metric({ address: `${server.url}/digits` }), call()));
    expect(error.message).toContain('a vector sample is not [time, "value"]');
  });

  it('a resultType of 10,000 characters is not quoted back', async () => {
    const error = await rejection(provider.measure(metric({ address: `${server.url}/result-type` }), call()));
    expect(error.message).toBe('Prometheus metric type not supported (resultType an unexpected string) (metric "hostile")');
  });
});

describe('Prometheus provider: bad values are our errors, naming the field', () => {
  it.each([
    [2_147_484, 'must be at most 86400 seconds (one day)'],
    [2 ** 32, 'must be at most 86400 seconds (one day)'],
    [1e308, 'must be at most 86400 seconds (one day)'],
    [Number.NaN, 'must be a whole number of seconds'],
    [Number.POSITIVE_INFINITY, 'must be a whole number of seconds'],
  ])('timeout %s is refused by validate and by measure (it timed out at once or threw RangeError)', async (timeout, message) => {
    const bad = metric({ address: `${server.url}/nan`, timeout });
    expect(provider.validate(bad)).toEqual([{ path: 'provider.prometheus.timeout', message }]);
    const error = await rejection(provider.measure(bad, call()));
    expect(error.code).toBe('PROMETHEUS_CONFIG');
    expect(error.message).toBe(`metric "hostile" has an invalid prometheus provider: provider.prometheus.timeout: ${message}`);
  });

  it("a header value HTTP cannot carry is a validation issue, not Node's TypeError", async () => {
    const bad = metric({ address: `${server.url}/nan`, headers: [{ key: 'X-Team', value: 'caf\u00e9 \u2603' }] });
    expect(provider.validate(bad)).toEqual([
      {
        path: 'provider.prometheus.headers[0].value',
        message: 'must be a string of Latin-1 text without line breaks or control characters',
      },
    ]);
    expect((await rejection(provider.measure(bad, call()))).code).toBe('PROMETHEUS_CONFIG');
  });

  it('the largest timeout works', async () => {
    const measurement = await provider.measure(metric({ address: `${server.url}/nan`, timeout: 86_400 }), call());
    expect(measurement.display).toBe('[NaN,+Inf,-Inf,0.25]');
  });

  it('maxResponseBytes must be a whole number above 0', () => {
    expect(() => createPrometheusProvider({ maxResponseBytes: -1 })).toThrow(
      'createPrometheusProvider: maxResponseBytes must be a whole number above 0, not -1',
    );
  });
});
