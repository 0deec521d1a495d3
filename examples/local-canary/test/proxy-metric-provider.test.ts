import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AnalysisMetric, type MetricProvider, ProviderError, type TrafficState } from '@gradual/core';
import { describeMetricProviderConformance } from '@gradual/core/conformance';
import { createFakeClock, type FakeClock } from '@gradual/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProxyMetricProvider } from '../src/metrics/create-proxy-metric-provider.js';
import { get, startRoutingFixture } from './support/start-routing-fixture.js';

const metric = (address: string, window = '10s'): AnalysisMetric => ({
  name: 'success-rate',
  provider: { localProxy: { address, service: 'canary.demo.svc', window } },
});

// A server that accepts and never answers: the "slow" fixture.
async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/metrics`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describeMetricProviderConformance({
  name: 'localProxy (examples/local-canary)',
  create: async () => {
    const fixture = await startRoutingFixture();
    const silent = await silentServer();
    return {
      provider: createProxyMetricProvider(),
      fixtures: {
        ok: metric(`${fixture.proxy.url}/metrics`),
        // A port nobody listens on any more.
        broken: metric(`${fixture.v1.url.replace(/:\d+$/, ':1')}/metrics`),
        slow: metric(silent.url),
      },
      cleanup: async () => {
        await silent.close();
        await fixture.close();
      },
    };
  },
});

const allOnCanary: TrafficState = {
  canaryWeight: 100,
  stableRevision: 'rev-stable',
  canaryRevision: 'rev-canary',
  headerRoutes: [],
  mirrorRoutes: [],
  experiments: [],
};

// The first call of a history scrapes, sleeps on the clock, scrapes again: `during` runs while it sleeps.
async function firstMeasurement(
  provider: MetricProvider,
  m: AnalysisMetric,
  clock: FakeClock,
  during: () => Promise<void> = async () => {},
) {
  const call = { signal: new AbortController().signal, clock };
  const pending = provider.measure(m, call);
  await vi.waitFor(() => expect(clock.pending()).toBe(1), { timeout: 2_000, interval: 5 });
  await during();
  await clock.advance(1_000);
  return pending;
}

describe('localProxy measurements', () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it('is the canary success rate over the last window, [] when the canary served nothing', async () => {
    const fixture = await startRoutingFixture({ failShare: 0.25 });
    close = () => fixture.close();
    const clock = createFakeClock({ start: 1_000_000 });
    const provider = createProxyMetricProvider();
    const call = () => ({ signal: new AbortController().signal, clock });
    const m = metric(`${fixture.proxy.url}/metrics`, '10s');
    expect((await firstMeasurement(provider, m, clock)).value).toEqual([]);
    await fixture.router.apply(allOnCanary, call());
    for (let i = 0; i < 20; i++) await get(fixture.proxy.url);
    await clock.advance(10_000);
    const measured = await provider.measure(m, call());
    expect(measured.value).toEqual([0.75]);
    expect(measured.metadata).toMatchObject({ requests: '20', failures: '5' });
    // Nothing new in the next window: no traffic, no verdict against the canary.
    await clock.advance(10_000);
    expect((await provider.measure(m, call())).value).toEqual([]);
  });

  it('measures real traffic on its first call, rather than [] against itself', async () => {
    const fixture = await startRoutingFixture({ failShare: 0.25 });
    close = () => fixture.close();
    const clock = createFakeClock({ start: 1_000_000 });
    await fixture.router.apply(allOnCanary, { signal: new AbortController().signal, clock });
    const provider = createProxyMetricProvider();
    const measured = await firstMeasurement(provider, metric(`${fixture.proxy.url}/metrics`, '10s'), clock, async () => {
      for (let i = 0; i < 20; i++) await get(fixture.proxy.url);
    });
    expect(measured.value).toEqual([0.75]);
    expect(measured.metadata).toMatchObject({ spanMs: '1000', requests: '20', failures: '5' });
  });

  it('keeps one history per window: a 10 s metric does not shorten a 60 s one on the same service', async () => {
    const fixture = await startRoutingFixture({ failShare: 0.25 });
    close = () => fixture.close();
    const clock = createFakeClock({ start: 1_000_000 });
    const call = () => ({ signal: new AbortController().signal, clock });
    await fixture.router.apply(allOnCanary, call());
    const provider = createProxyMetricProvider();
    const long = metric(`${fixture.proxy.url}/metrics`, '60s');
    const short = metric(`${fixture.proxy.url}/metrics`, '10s');
    await firstMeasurement(provider, long, clock);
    await firstMeasurement(provider, short, clock);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 20; i++) await get(fixture.proxy.url);
      await clock.advance(10_000);
      expect((await provider.measure(short, call())).metadata).toMatchObject({ requests: '20' });
    }
    expect((await provider.measure(long, call())).metadata).toMatchObject({ requests: '40', failures: '10' });
  });

  it('reports a window it cannot read as a ProviderError', async () => {
    const provider = createProxyMetricProvider();
    const error = await provider
      .measure(metric('http://127.0.0.1:1/metrics', 'soon'), { signal: new AbortController().signal, clock: createFakeClock() })
      .catch((e: unknown) => e);
    expect(ProviderError.isInstance(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/window/);
  });

  it('validates its provider block', () => {
    const provider = createProxyMetricProvider();
    const issues = provider.validate?.({
      name: 'x',
      provider: { localProxy: { address: 'http://127.0.0.1:1', window: 'soon' } },
    });
    expect(issues?.map((issue) => issue.path)).toEqual(['provider.localProxy.service', 'provider.localProxy.window']);
  });
});
