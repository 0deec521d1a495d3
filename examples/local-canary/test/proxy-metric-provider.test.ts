import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnalysisMetric } from '@gradual/core';
import { createFakeClock, describeMetricProviderConformance } from '@gradual/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
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
    expect((await provider.measure(m, call())).value).toEqual([]);
    await fixture.router.apply(
      {
        canaryWeight: 100,
        stableRevision: 'rev-stable',
        canaryRevision: 'rev-canary',
        headerRoutes: [],
        mirrorRoutes: [],
        experiments: [],
      },
      call(),
    );
    for (let i = 0; i < 20; i++) await get(fixture.proxy.url);
    await clock.advance(10_000);
    const measured = await provider.measure(m, call());
    expect(measured.value).toEqual([0.75]);
    expect(measured.metadata).toMatchObject({ requests: '20', failures: '5' });
    // Nothing new in the next window: no traffic, no verdict against the canary.
    await clock.advance(10_000);
    expect((await provider.measure(m, call())).value).toEqual([]);
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
