import { runAnalysis } from '@gradual/analysis';
import { createFakeClock } from '@gradual/core/testing';
import { createPrometheusProvider } from '@gradual/prometheus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXED_ANCHOR, knownSeries } from '../packages/prometheus/test/support/known-series.js';
import { prometheusSkipNote, skipWithoutPrometheus } from '../packages/prometheus/test/support/prometheus-availability.js';
import { type PrometheusServer, startPrometheus } from '../packages/prometheus/test/support/prometheus-server.js';
import { type SilentServer, startSilentServer } from '../packages/prometheus/test/support/silent-server.js';

const anchor = FIXED_ANCHOR;

describe.skipIf(skipWithoutPrometheus)(`Prometheus failures as analysis sees them${prometheusSkipNote}`, () => {
  let server: PrometheusServer;
  let silent: SilentServer;
  beforeAll(async () => {
    server = await startPrometheus({ openMetrics: knownSeries(anchor), basicAuthUsers: ['alice'] });
    silent = await startSilentServer();
  });
  afterAll(async () => {
    await silent?.close();
    await server?.stop();
  });

  it('stops a run before its first measurement when a query does not parse (the pre-flight check)', async () => {
    const provider = createPrometheusProvider({ env: {} });
    const result = await runAnalysis({
      templates: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisTemplate',
          metadata: { name: 'broken' },
          spec: {
            metrics: [{ name: 'broken', provider: { prometheus: { address: server.address, query: 'sum(rate(up[5m])' } } }],
          },
        },
      ],
      providers: [provider],
      clock: createFakeClock({ start: anchor * 1000, auto: true }),
    });
    provider.close();
    expect(result.phase).toBe('Error');
    expect(result.message).toContain(
      'provider.prometheus.query: is not valid PromQL: unexpected end of query at line 1, column 17 (offset 16)',
    );
    expect(result.runSummary.count).toBe(0);
  });

  it('records timeouts, bad queries and refused credentials as Error measurements with clear, secret-free messages', async () => {
    const host = new URL(server.address).host;
    const metric = (name: string, prometheus: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
      name,
      consecutiveErrorLimit: 0,
      ...extra,
      provider: { prometheus },
    });
    const template = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: { name: 'prometheus-failures' },
      spec: {
        metrics: [
          metric('hung', { address: silent.address, query: 'up', timeout: 1 }),
          metric('bad-query', { address: `http://alice:wonderland-s3cret@${host}`, query: 'rate(up)' }),
          metric('wrong-password', { address: `http://alice:not-the-pa55word@${host}`, query: 'vector(1)' }),
          metric(
            'nan',
            { address: `http://alice:wonderland-s3cret@${host}`, query: '0/0' },
            { successCondition: 'isNaN(result)' },
          ),
        ],
      },
    };
    const provider = createPrometheusProvider({ env: {} });
    const result = await runAnalysis({
      templates: [template],
      providers: [provider],
      clock: createFakeClock({ start: anchor * 1000, auto: true }),
    });
    provider.close();
    const byName = Object.fromEntries(result.metricResults.map((entry) => [entry.name, entry]));
    expect(byName.hung?.phase).toBe('Error');
    expect(byName.hung?.measurements[0]?.message).toContain(
      `Prometheus at ${silent.address} did not answer the query of metric "hung" within the timeout of 1s`,
    );
    expect(byName['bad-query']?.phase).toBe('Error');
    expect(byName['bad-query']?.measurements[0]?.message).toContain(
      `Prometheus at ${server.address} rejected the query of metric "bad-query" (HTTP 400, bad_data)`,
    );
    expect(byName['wrong-password']?.measurements[0]?.message).toContain(
      'refused the credentials of metric "wrong-password" (HTTP 401 Unauthorized)',
    );
    // NaN survives to the condition and to the stored display.
    expect(byName.nan?.phase).toBe('Successful');
    expect(byName.nan?.measurements[0]?.value).toBe('NaN');
    expect(result.phase).toBe('Error');
    const everything = JSON.stringify(result);
    for (const secret of [
      'wonderland-s3cret',
      'not-the-pa55word',
      'alice:',
      Buffer.from('alice:not-the-pa55word').toString('base64'),
    ])
      expect(everything).not.toContain(secret);
  });
});
