import { type CallOptions, ProviderError } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusProvider } from '../src/index.js';
import { FIXED_ANCHOR, knownSeries, prometheusMetric, SERVICES, seedSuccessRateQuery } from './support/known-series.js';
import { prometheusSkipNote, skipWithoutPrometheus } from './support/prometheus-availability.js';
import { type PrometheusServer, startPrometheus } from './support/prometheus-server.js';
import { pushSamples } from './support/remote-write.js';

// Evaluation time is the injected clock's, so the data sits at a fixed instant.
const anchor = FIXED_ANCHOR;
const clock = createFakeClock({ start: anchor * 1000 });
const call = (): CallOptions => ({ signal: new AbortController().signal, clock });

describe.skipIf(skipWithoutPrometheus)(`results from a real Prometheus${prometheusSkipNote}`, () => {
  let server: PrometheusServer;
  const provider = createPrometheusProvider();
  const measure = (query: string, extra: Record<string, unknown> = {}) =>
    provider.measure(prometheusMetric({ address: server.address, query, ...(extra as object) }), call());

  beforeAll(async () => {
    server = await startPrometheus({ openMetrics: knownSeries(anchor) });
  });
  afterAll(async () => {
    provider.close();
    await server?.stop();
  });

  describe("the seed's success-rate query", () => {
    it('returns [~0.99] for 200s at 9.9/s and 500s at 0.1/s', async () => {
      const measurement = await measure(seedSuccessRateQuery(SERVICES.healthy));
      expect(measurement.value).toEqual([expect.closeTo(0.99, 6)]);
      expect(measurement.display).toMatch(/^\[0\.99\d*\]$/);
      expect(measurement.metadata?.ResolvedPrometheusQuery).toBe(seedSuccessRateQuery(SERVICES.healthy));
    });

    it('returns [~0.908] (below 0.95) for 500s at 1/s', async () => {
      const measurement = await measure(seedSuccessRateQuery(SERVICES.failing));
      expect(measurement.value).toEqual([expect.closeTo(9.9 / 10.9, 6)]);
    });

    it('returns [] for a service without series', async () => {
      const measurement = await measure(seedSuccessRateQuery(SERVICES.absent));
      expect(measurement.value).toEqual([]);
      expect(measurement.display).toBe('[]');
    });
  });

  it('turns a scalar into a number', async () => {
    const measurement = await measure('scalar(sum(gradual_test_gauge))');
    expect(measurement.value).toBe(3);
    expect(measurement.display).toBe('3');
    expect(measurement.metadata?.evaluationTime).toBe(new Date(anchor * 1000).toISOString());
  });

  it('turns a vector into an array, one number per series, also for one series', async () => {
    expect((await measure('sort(gradual_test_gauge)')).value).toEqual([1, 2]);
    const one = await measure('gradual_test_gauge{instance="b"}');
    expect(one.value).toEqual([2]);
    expect(one.display).toBe('[2]');
  });

  it('keeps NaN (0/0) and ±Inf, displayed as Argo displays them', async () => {
    const nan = await measure('0/0');
    expect(nan.value).toBeNaN();
    expect(nan.display).toBe('NaN');
    const vector = await measure('vector(0)/0');
    expect((vector.value as number[])[0]).toBeNaN();
    expect(vector.display).toBe('[NaN]');
    const inf = await measure('vector(1)/0');
    expect(inf.value).toEqual([Number.POSITIVE_INFINITY]);
    expect(inf.display).toBe('[+Inf]');
    expect((await measure('-1/0')).display).toBe('-Inf');
  });

  it('flattens a matrix (rangeQuery) into one array, series by series', async () => {
    const measurement = await measure('sort(gradual_test_gauge)', {
      rangeQuery: { start: 'now() - duration("1m")', end: 'now()', step: '30s' },
    });
    // Samples at anchor-60, -30, 0 for instance a (1) then b (2).
    expect(measurement.value).toEqual([1, 1, 1, 2, 2, 2]);
    expect(measurement.display).toBe('[1,1,1,2,2,2]');
    expect(measurement.metadata?.rangeStart).toBe(new Date((anchor - 60) * 1000).toISOString());
    expect(measurement.metadata?.rangeStep).toBe('30s');
  });

  it('evaluates rangeQuery times with date() as Argo does', async () => {
    const iso = new Date((anchor - 20) * 1000).toISOString().replace('.000Z', 'Z');
    const measurement = await measure('gradual_test_gauge{instance="a"}', {
      rangeQuery: { start: `date("${iso}") - duration("20s")`, end: `date("${iso}")`, step: '10s' },
    });
    expect(measurement.value).toEqual([1, 1, 1]);
  });

  it('reports an unparsable rangeQuery.start as Argo words it', async () => {
    await expect(
      measure('gradual_test_gauge', { rangeQuery: { start: 'now() - duration("??")', end: 'now()', step: '1m' } }),
    ).rejects.toThrow('failed to parse rangeQuery.start as time: time: invalid duration "??"');
    await expect(measure('gradual_test_gauge', { rangeQuery: { start: 'now()', end: 'now()', step: '??' } })).rejects.toThrow(
      'failed to parse rangeQuery.step as duration: time: invalid duration "??"',
    );
  });

  it('gives an Error for a string result: "Prometheus metric type not supported"', async () => {
    const failure = measure('"just text"');
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toThrow('Prometheus metric type not supported');
  });

  it('sees live samples pushed through the remote-write receiver', async () => {
    const at = anchor * 1000 + 5_000;
    await pushSamples(
      server.address,
      [{ labels: { __name__: 'gradual_live', job: 'test' }, value: 42.5, timestamp: at }],
      AbortSignal.timeout(5000),
    );
    const later = createFakeClock({ start: at + 1000 });
    const measurement = await provider.measure(prometheusMetric({ address: server.address, query: 'gradual_live' }), {
      signal: new AbortController().signal,
      clock: later,
    });
    expect(measurement.value).toEqual([42.5]);
  });
});
