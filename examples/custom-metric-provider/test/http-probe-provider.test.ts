import { readFileSync } from 'node:fs';
import { runAnalysis } from '@gradual/analysis';
import { type AnalysisMetric, type Clock, GradualError, systemClock } from '@gradual/core';
import { describeMetricProviderConformance } from '@gradual/core/conformance';
import { createFakeClock } from '@gradual/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpProbeProvider } from '../src/create-http-probe-provider.js';
import { percentile } from '../src/percentile.js';
import { startHealthServer } from './support/start-health-server.js';

const metric = (block: Record<string, unknown>): AnalysisMetric => ({ name: 'probe', provider: { httpProbe: block } as never });

describeMetricProviderConformance({
  name: 'httpProbe (examples/custom-metric-provider)',
  create: async () => {
    const healthy = await startHealthServer(() => 200);
    const silent = await startHealthServer(() => 'hang');
    return {
      provider: createHttpProbeProvider(),
      fixtures: {
        ok: metric({ url: healthy.url, requests: 3 }),
        // Nothing listens on port 1; the URL carries a password that must never show.
        broken: metric({ url: 'http://probe:s3cret-pw@127.0.0.1:1/healthz', requests: 2 }),
        slow: metric({ url: silent.url, requests: 1, timeout: '1m' }),
      },
      secrets: ['s3cret-pw'],
      cleanup: async () => {
        await healthy.close();
        await silent.close();
      },
    };
  },
});

describe('httpProbe measurements', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });
  const call = (clock: Clock = systemClock) => ({ signal: new AbortController().signal, clock });

  it('is the share of good answers and the p95 latency on the injected clock', async () => {
    const server = await startHealthServer((n) => (n % 4 === 3 ? 503 : 200));
    closers.push(server.close);
    // A clock that moves 7 ms each time it is read: every probe takes 7 ms.
    const fake = createFakeClock();
    let t = 0;
    const ticking: Clock = { now: () => (t += 7), sleep: fake.sleep };
    const measured = await createHttpProbeProvider().measure(metric({ url: server.url, requests: 20 }), call(ticking));
    expect(measured.value).toEqual({ successRate: 0.75, p95Ms: 7, requests: 20 });
    expect(measured.display).toBe('success 75.0%, p95 7 ms');
  });

  it('sends URL credentials as Basic auth and never shows them', async () => {
    const server = await startHealthServer(() => 200);
    closers.push(server.close);
    const url = server.url.replace('http://', 'http://probe:s3cret-pw@');
    const measured = await createHttpProbeProvider().measure(metric({ url, requests: 1 }), call());
    expect(server.seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('probe:s3cret-pw').toString('base64')}`);
    expect(JSON.stringify(measured)).not.toContain('s3cret-pw');
    expect(measured.metadata?.url).toContain('probe:***@');
  });

  it('times out on the injected clock: a probe that never answers fails after `timeout`', async () => {
    const silent = await startHealthServer(() => 'hang');
    closers.push(silent.close);
    const clock = createFakeClock();
    const pending = createHttpProbeProvider()
      .measure(metric({ url: silent.url, requests: 1, timeout: '2s' }), call(clock))
      .catch((error: unknown) => error);
    // Let the request reach the server, then move time past the timeout.
    while (silent.seen.length === 0) await new Promise((resolve) => setImmediate(resolve));
    await clock.advance(2_000);
    const error = await pending;
    expect(GradualError.hasCode(error, 'UNREACHABLE')).toBe(true);
    expect(String(error)).toMatch(/no answer within 2000 ms/);
  });

  it.each([
    [{}, ['provider.httpProbe.url']],
    [{ url: 'ftp://x' }, ['provider.httpProbe.url']],
    [{ url: 'http://x', requests: 0 }, ['provider.httpProbe.requests']],
    [
      { url: 'http://x', timeout: 'soon', successCodes: ['200'] },
      ['provider.httpProbe.timeout', 'provider.httpProbe.successCodes'],
    ],
    [{ url: 'https://x', requests: 100, timeout: '500ms', successCodes: [200, 204] }, []],
  ])('validates %j', (block, paths) => {
    expect(
      createHttpProbeProvider()
        .validate?.(metric(block))
        .map((issue) => issue.path),
    ).toEqual(paths);
  });

  it('percentile is by nearest rank', () => {
    expect(percentile([5, 1, 3, 2, 4], 95)).toBe(5);
    expect(percentile([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentile([], 95)).toBeNaN();
  });
});

describe("the example template through @gradual/analysis' runAnalysis", () => {
  const template = readFileSync(new URL('../manifests/analysistemplate-http-probe.yaml', import.meta.url), 'utf8');
  // One measurement (count 1), so the run needs no interval sleeps: a fake clock that is never advanced.
  const once = template.replace('count: 3', 'count: 1');

  it.each([
    ['a healthy canary is Successful', () => 200, 'Successful'],
    ['a canary failing 1 probe in 10 is Failed', (n: number) => (n % 10 === 9 ? 500 : 200), 'Failed'],
  ])('%s', async (_, answer, phase) => {
    const server = await startHealthServer(answer);
    try {
      const result = await runAnalysis({
        templates: [once],
        args: [{ name: 'canary-url', value: server.url }],
        providers: [createHttpProbeProvider()],
        clock: createFakeClock({ start: Date.UTC(2026, 0, 1) }),
      });
      expect(result.phase).toBe(phase);
      expect(server.seen).toHaveLength(20);
    } finally {
      await server.close();
    }
  });
});
