import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { type CallOptions, CancelledError, GradualError, ProviderError } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusProvider } from '../src/index.js';
import { freePort } from './support/free-port.js';
import { FIXED_ANCHOR, knownSeries, prometheusMetric } from './support/known-series.js';
import { prometheusSkipNote, skipWithoutPrometheus } from './support/prometheus-availability.js';
import { type PrometheusServer, startPrometheus } from './support/prometheus-server.js';
import { type RecordingProxy, startRecordingProxy } from './support/recording-proxy.js';
import { type SilentServer, startSilentServer } from './support/silent-server.js';

const anchor = FIXED_ANCHOR;
const clock = createFakeClock({ start: anchor * 1000 });
const call = (signal = new AbortController().signal): CallOptions => ({ signal, clock });

async function rejection(promise: Promise<unknown>): Promise<GradualError> {
  try {
    await promise;
  } catch (error) {
    if (!GradualError.isInstance(error)) throw error;
    return error;
  }
  throw new Error('expected the measurement to be rejected');
}

describe('configuration errors (no server needed)', () => {
  const provider = createPrometheusProvider({ env: {} });

  it('says when no address is configured anywhere', async () => {
    const error = await rejection(provider.measure(prometheusMetric({ query: 'up' }), call()));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.code).toBe('PROMETHEUS_CONFIG');
    expect(error.message).toContain('prometheus address is not configured for metric "test-metric"');
  });

  it('refuses an address that is not a URL, without repeating it', async () => {
    const error = await rejection(provider.measure(prometheusMetric({ query: 'up', address: 'user:hunter22@nowhere' }), call()));
    expect(error.message).toContain('not in URL format');
    expect(error.message).not.toContain('hunter22');
  });

  it('refuses sigv4 with a message that says it is not supported', async () => {
    const metric = prometheusMetric({
      query: 'up',
      address: 'http://127.0.0.1:9',
      authentication: { sigv4: { region: 'eu-west-1' } },
    });
    const error = await rejection(provider.measure(metric, call()));
    expect(error.message).toContain('SigV4 (Amazon Managed Prometheus) is not supported');
    const aps = prometheusMetric({ query: 'up', address: 'https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1' });
    expect((await rejection(provider.measure(aps, call()))).message).toContain('SigV4 authentication is not supported');
  });

  it('refuses a negative timeout as Argo does', async () => {
    const error = await rejection(
      provider.measure(prometheusMetric({ query: 'up', address: 'http://127.0.0.1:9', timeout: -1 }), call()),
    );
    expect(error.message).toContain('prometheus timeout should not be negative');
  });

  it('rejects at once, without a request, when the signal has already fired', async () => {
    const silent = await startSilentServer();
    const controller = new AbortController();
    controller.abort(new Error('rollout aborted'));
    const error = await rejection(
      provider.measure(prometheusMetric({ query: 'up', address: silent.address }), call(controller.signal)),
    );
    expect(error).toBeInstanceOf(CancelledError);
    expect(silent.accepted()).toBe(0);
    await silent.close();
  });
});

describe('network failures (loopback, no Prometheus needed)', () => {
  const provider = createPrometheusProvider({ env: {} });
  let silent: SilentServer;
  beforeAll(async () => {
    silent = await startSilentServer();
  });
  afterAll(async () => {
    provider.close();
    await silent.close();
  });

  it('gives a connection-refused error that names the address and metric', async () => {
    const port = await freePort();
    const error = await rejection(
      provider.measure(prometheusMetric({ query: 'up', address: `http://127.0.0.1:${port}` }, 'success-rate'), call()),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.code).toBe('PROMETHEUS_UNREACHABLE');
    expect(error.message).toBe(
      `could not query Prometheus at http://127.0.0.1:${port} (metric "success-rate"): connection refused (ECONNREFUSED)`,
    );
  });

  it('gives up on a server that never answers within the timeout (wall time)', async () => {
    const started = performance.now();
    const error = await rejection(
      provider.measure(prometheusMetric({ query: 'up', address: silent.address, timeout: 1 }), call()),
    );
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.code).toBe('PROMETHEUS_TIMEOUT');
    expect(error.message).toBe(
      `Prometheus at ${silent.address} did not answer the query of metric "test-metric" within the timeout of 1s`,
    );
    expect(elapsed).toBeGreaterThanOrEqual(950);
    // Generous upper bound: two shared cores under load delay timers, but nowhere near the 30 s default.
    expect(elapsed).toBeLessThan(4000);
  });

  it('cancels an in-flight query when the signal fires, as a CancelledError', async () => {
    const controller = new AbortController();
    const connected = silent.nextConnection();
    const pending = provider.measure(prometheusMetric({ query: 'up', address: silent.address }), call(controller.signal));
    await connected;
    const started = performance.now();
    controller.abort(new Error('rollout aborted'));
    const error = await rejection(pending);
    expect(error).toBeInstanceOf(CancelledError);
    expect(CancelledError.isCancellation(error)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe.skipIf(skipWithoutPrometheus)(`errors from a real Prometheus${prometheusSkipNote}`, () => {
  let server: PrometheusServer;
  let proxy: RecordingProxy;
  const provider = createPrometheusProvider({ env: {} });
  beforeAll(async () => {
    server = await startPrometheus({ openMetrics: knownSeries(anchor) });
    proxy = await startRecordingProxy(server.address);
  });
  afterAll(async () => {
    provider.close();
    await proxy?.close();
    await server?.stop();
  });

  it("passes on Prometheus' 400 for a bad query, with its message", async () => {
    const error = await rejection(
      provider.measure(prometheusMetric({ address: server.address, query: 'sum(rate(up[5m])' }), call()),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.code).toBe('PROMETHEUS_QUERY');
    expect(error.message).toMatch(
      new RegExp(
        `^Prometheus at ${server.address} rejected the query of metric "test-metric" \\(HTTP 400, bad_data\\): .*parse error`,
      ),
    );
  });

  it("passes on Prometheus' 422 when a query cannot run", async () => {
    // Both series end up with the same labels, which PromQL refuses at execution.
    const query = 'label_replace(gradual_test_gauge, "instance", "same", "", "")';
    const error = await rejection(provider.measure(prometheusMetric({ address: server.address, query }), call()));
    expect(error.code).toBe('PROMETHEUS_SERVER');
    expect(error.message).toContain('could not run the query of metric "test-metric" (HTTP 422, execution)');
    expect(error.message).toContain('same labelset');
  });

  it('reports a 5xx with its status and error', async () => {
    proxy.behaviour = {
      answer: {
        status: 503,
        contentType: 'application/json',
        body: '{"status":"error","errorType":"unavailable","error":"too many queries"}',
      },
    };
    const error = await rejection(provider.measure(prometheusMetric({ address: proxy.address, query: 'up' }), call()));
    proxy.behaviour = {};
    expect(error.code).toBe('PROMETHEUS_SERVER');
    expect(error.message).toBe(
      `Prometheus at ${proxy.address} could not run the query of metric "test-metric" (HTTP 503, unavailable): too many queries`,
    );
  });

  it('reports an HTML page from a proxy as not Prometheus JSON, with its status', async () => {
    proxy.behaviour = {
      answer: {
        status: 502,
        contentType: 'text/html; charset=utf-8',
        body: '<html><body><h1>502 Bad Gateway</h1>nginx</body></html>',
      },
    };
    const error = await rejection(provider.measure(prometheusMetric({ address: proxy.address, query: 'up' }), call()));
    expect(error.message).toBe(
      `Prometheus at ${proxy.address} answered HTTP 502 (text/html) for metric "test-metric", which is not Prometheus' JSON API: "502 Bad Gateway nginx"`,
    );
    proxy.behaviour = { answer: { status: 200, contentType: 'text/html', body: '<html><title>Sign in</title></html>' } };
    const login = await rejection(provider.measure(prometheusMetric({ address: proxy.address, query: 'up' }), call()));
    proxy.behaviour = {};
    expect(login.code).toBe('PROMETHEUS_RESPONSE');
    expect(login.message).toContain('answered HTTP 200 (text/html)');
  });

  it('reports a redirect with its target (without credentials) instead of following it', async () => {
    proxy.behaviour = {
      answer: {
        status: 301,
        contentType: 'text/html',
        body: '<a>Moved</a>',
        headers: { location: 'https://bob:pa55w0rd@prometheus.example/' },
      },
    };
    const error = await rejection(provider.measure(prometheusMetric({ address: proxy.address, query: 'up' }), call()));
    proxy.behaviour = {};
    expect(error.code).toBe('PROMETHEUS_RESPONSE');
    expect(error.message).toBe(
      `Prometheus at ${proxy.address} answered HTTP 301 for metric "test-metric", a redirect to https://prometheus.example/; redirects are not followed, so set the address to where Prometheus really is`,
    );
  });

  it('reports JSON that is not a query result', async () => {
    proxy.behaviour = {
      rewrite: () => ({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: 'x' }] } }),
    };
    const error = await rejection(provider.measure(prometheusMetric({ address: proxy.address, query: 'up' }), call()));
    proxy.behaviour = {};
    expect(error.code).toBe('PROMETHEUS_RESPONSE');
    expect(error.message).toContain('with JSON that is not a query result');
  });

  it('keeps Prometheus warnings as measurement metadata, in Argo format', async () => {
    proxy.behaviour = { rewrite: (body) => ({ ...body, warnings: ['partial data', 'store down'] }) };
    const logged: unknown[] = [];
    const log = (message: string, fields?: Record<string, unknown>) => logged.push([message, fields]);
    const measurement = await provider.measure(prometheusMetric({ address: proxy.address, query: 'sort(gradual_test_gauge)' }), {
      ...call(),
      logger: { debug: log, info: log, warn: log, error: log },
    });
    proxy.behaviour = {};
    expect(measurement.value).toEqual([1, 2]);
    expect(measurement.metadata?.warnings).toBe('"partial data", "store down"');
    expect(logged).toEqual([
      ['Prometheus returned warnings', { metric: 'test-metric', warnings: '"partial data", "store down"' }],
    ]);
  });

  it('uses options.address, then PROMETHEUS_ADDRESS, when the metric has none', async () => {
    const fromOptions = createPrometheusProvider({ address: server.address, env: { PROMETHEUS_ADDRESS: 'http://127.0.0.1:9' } });
    expect((await fromOptions.measure(prometheusMetric({ query: 'vector(7)' }), call())).value).toEqual([7]);
    const fromEnv = createPrometheusProvider({ env: { PROMETHEUS_ADDRESS: server.address } });
    expect((await fromEnv.measure(prometheusMetric({ query: 'vector(8)' }), call())).value).toEqual([8]);
    // The metric's own address wins over both.
    const metricWins = createPrometheusProvider({
      address: 'http://127.0.0.1:9',
      env: { PROMETHEUS_ADDRESS: 'http://127.0.0.1:9' },
    });
    expect((await metricWins.measure(prometheusMetric({ address: server.address, query: 'vector(9)' }), call())).value).toEqual([
      9,
    ]);
    for (const provider of [fromOptions, fromEnv, metricWins]) provider.close();
  });

  it('sets metric headers on every request, overwriting', async () => {
    const metric = prometheusMetric({
      address: proxy.address,
      query: 'vector(1)',
      headers: [
        { key: 'X-Scope-OrgID', value: 'tenant_a' },
        { key: 'User-Agent', value: 'gradual-test' },
      ],
    });
    proxy.requests.length = 0;
    await provider.measure(metric, call());
    expect(proxy.requests[0]?.headers['x-scope-orgid']).toBe('tenant_a');
    expect(proxy.requests[0]?.headers['user-agent']).toBe('gradual-test');
  });

  it("evaluates at the rollout clock's time and passes the timeout on to Prometheus", async () => {
    proxy.requests.length = 0;
    await provider.measure(prometheusMetric({ address: proxy.address, query: 'vector(1)', timeout: 7 }), call());
    // A fake clock at 0 means epoch 0, not "now" (prometheus-query's default for a falsy time).
    await provider.measure(prometheusMetric({ address: proxy.address, query: 'vector(1)' }), {
      signal: new AbortController().signal,
      clock: createFakeClock({ start: 0 }),
    });
    const [first, second] = proxy.requests.map((request) => new URL(request.url, proxy.address).searchParams);
    expect(first?.get('time')).toBe(String(anchor));
    expect(first?.get('timeout')).toBe('7s');
    expect(second?.get('time')).toBe('0');
    expect(second?.get('timeout')).toBe('30s');
  });
});

// Review finding: only user and password were masked, and values under 3 characters not at all, so a
// proxy echoing `Authorization: Basic base64(user:pass)` in an error body leaked a recoverable password.
describe('a proxy that echoes the request headers in its error page', () => {
  const provider = createPrometheusProvider({ env: {} });
  let echo: Server;
  let address = '';
  beforeAll(async () => {
    echo = createServer((request, response) => {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`bad gateway; you sent authorization=${request.headers.authorization} url=${request.url}`);
    });
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    address = `http://127.0.0.1:${(echo.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    provider.close();
    echo.close();
  });

  it.each([
    ['basicAuth', { username: 'alice', password: 'pw' }],
    ['basicAuth, a one-character password', { username: 'operations', password: 'x' }],
    ['basicAuth, a password with URL-special characters', { username: 'bob', password: 'p@ss w/rd%' }],
    ['userinfo of the address', { username: 'carol', password: 'c4r0l-pass', userinfo: true }],
  ])('%s: neither the password nor base64(user:pass) shows', async (_name, auth) => {
    const { username, password } = auth;
    const metric = prometheusMetric(
      'userinfo' in auth
        ? { query: 'up', address: address.replace('http://', `http://${username}:${password}@`) }
        : { query: 'up', address, authentication: { basicAuth: { username, password } } },
    );
    const error = await rejection(provider.measure(metric, call()));
    expect(error.message).toContain('you sent authorization=Basic *****');
    const basic = Buffer.from(`${username}:${password}`).toString('base64');
    expect(error.message).not.toContain(basic);
    expect(error.message).not.toContain(password);
    expect(error.message).not.toContain(encodeURIComponent(password));
  });
});
