// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Kayenta's filter templates are written with ${name}.
import { readFileSync } from 'node:fs';
import type { AnalysisMetric, CallOptions } from '@gradual/core';
import { createFakeClock, createScriptedProvider } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';
import {
  buildPrometheusQuery,
  type CanaryConfig,
  type CanaryMetricQuery,
  createKayentaProvider,
  type FetchSeries,
  runAnalysis,
  type SeriesRequest,
} from '../src/index.js';

const cpuConfig = JSON.parse(
  readFileSync(new URL('./fixtures/kayenta/integration-test-cpu.json', import.meta.url), 'utf8'),
) as CanaryConfig;
const T0 = Date.parse('2026-03-01T12:00:00.000Z');

/** An AnalysisTemplate with one kayenta metric as Argo's docs write it (docs/analysis/kayenta.md), thresholds as Argo's type spells them. */
function template(kayenta: Record<string, unknown> = {}, metric: Record<string, unknown> = {}) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: 'mann-whitney' },
    spec: {
      metrics: [
        {
          name: 'mann-whitney',
          provider: {
            kayenta: {
              address: 'https://kayenta.example.com',
              application: 'guestbook',
              canaryConfigName: 'integration-test-canary-config',
              threshold: { pass: 75, marginal: 50 },
              scopes: [
                {
                  name: 'default',
                  controlScope: {
                    scope: 'stable',
                    step: 60,
                    start: '2026-03-01T11:00:00Z',
                    end: '2026-03-01T12:00:00Z',
                    extendedScopeParams: { namespace: 'prod' },
                  },
                  experimentScope: {
                    scope: 'canary',
                    step: 60,
                    start: '2026-03-01T11:00:00Z',
                    end: '2026-03-01T12:00:00Z',
                    extendedScopeParams: { namespace: 'prod' },
                  },
                },
              ],
              ...kayenta,
            },
          },
          ...metric,
        },
      ],
    },
  };
}

/** Series by scope value, recording every request. */
function seriesByScope(series: Record<string, number[]>): FetchSeries & { requests: SeriesRequest[] } {
  const requests: SeriesRequest[] = [];
  const fetch = async (request: SeriesRequest) => {
    requests.push(request);
    return series[request.scope.scope] ?? [];
  };
  return Object.assign(fetch, { requests });
}

const steady = (level: number) => Array.from({ length: 60 }, (_, i) => level + (i % 7) * 0.1);

describe('createKayentaProvider in an analysis run', () => {
  it('judges the canary in-process: Successful with score 100, queries built as Kayenta builds them', async () => {
    const fetchSeries = seriesByScope({ stable: steady(40), canary: steady(40.05) });
    const provider = createKayentaProvider({ configs: { 'integration-test-canary-config': cpuConfig }, fetchSeries });
    const result = await runAnalysis({ templates: [template()], providers: [provider], clock: createFakeClock({ start: T0 }) });
    expect(result.phase).toBe('Successful');
    const measurement = result.metricResults[0]?.measurements[0];
    expect(measurement).toMatchObject({ phase: 'Successful', value: '100' });
    expect(measurement?.metadata).toMatchObject({
      canaryConfigName: 'integration-test-canary-config',
      judgement: 'Pass: score 100 (pass 75, marginal 50)',
      'query.CPU usage for service':
        "control: avg(integration_test_cpu{namespace='prod', scope='stable'}) | experiment: avg(integration_test_cpu{namespace='prod', scope='canary'})",
    });
    expect(measurement?.metadata?.['metric.CPU usage for service']).toMatch(
      /^Pass; ratio 1\.001; baseline n=60 mean 40\.29; canary n=60 mean 40\.34$/,
    );
    expect(
      fetchSeries.requests.map((request) => [request.role, request.scope.start, request.scope.end, request.scope.step]),
    ).toEqual([
      ['control', Date.parse('2026-03-01T11:00:00Z'), T0, 60],
      ['experiment', Date.parse('2026-03-01T11:00:00Z'), T0, 60],
    ]);
  });

  it('a higher critical metric fails the run, and the status says why', async () => {
    const provider = createKayentaProvider({
      configs: { 'integration-test-canary-config': JSON.stringify(cpuConfig) },
      fetchSeries: seriesByScope({ stable: steady(40), canary: steady(60) }),
    });
    const result = await runAnalysis({ templates: [template()], providers: [provider], clock: createFakeClock({ start: T0 }) });
    expect(result.phase).toBe('Failed');
    const measurement = result.metricResults[0]?.measurements[0];
    expect(measurement).toMatchObject({ phase: 'Failed', value: '0' });
    expect(measurement?.message).toMatch(
      /^score 0 < marginal 50: Fail: score 0 \(pass 75, marginal 50\); critical metric "CPU usage for service" was classified High/,
    );
    expect(measurement?.metadata?.['metric.CPU usage for service']).toMatch(
      /^High \(critical\); canary higher than baseline: 98% interval of the shift/,
    );
  });

  it('a score between marginal and pass is Inconclusive (Argo: score >= marginal)', async () => {
    const config: CanaryConfig = {
      name: 'two',
      metrics: ['a', 'b'].map((name) => ({ name, query: { type: 'custom' }, groups: ['g'] })),
      classifier: { groupWeights: { g: 100 } },
    };
    const fetchSeries: FetchSeries = async (request) =>
      request.metric.name === 'b' && request.role === 'experiment' ? steady(80) : steady(40);
    const provider = createKayentaProvider({ configs: { two: config }, fetchSeries });
    const result = await runAnalysis({
      templates: [template({ canaryConfigName: 'two', threshold: { pass: 60, marginal: 50 } })],
      providers: [provider],
      clock: createFakeClock({ start: T0 }),
    });
    expect(result.phase).toBe('Inconclusive');
    expect(result.metricResults[0]?.measurements[0]).toMatchObject({ phase: 'Inconclusive', value: '50' });
  });

  it('conditions, when the metric has them, decide on the score instead', async () => {
    const provider = createKayentaProvider({
      configs: { 'integration-test-canary-config': cpuConfig },
      fetchSeries: seriesByScope({ stable: steady(40), canary: steady(60) }),
    });
    const result = await runAnalysis({
      templates: [template({}, { successCondition: 'result >= 0' })],
      providers: [provider],
      clock: createFakeClock({ start: T0 }),
    });
    expect(result.metricResults[0]?.measurements[0]).toMatchObject({ phase: 'Successful', value: '0' });
  });

  it("a scope without start and end is the interval up to now (Argo), and Argo docs' `thresholds` spelling is read", async () => {
    const fetchSeries = seriesByScope({ stable: steady(40), canary: steady(40) });
    const provider = createKayentaProvider({ configs: { 'integration-test-canary-config': cpuConfig }, fetchSeries });
    const scopes = [
      {
        name: 'default',
        controlScope: { scope: 'stable', step: 60, extendedScopeParams: { namespace: 'prod' } },
        experimentScope: { scope: 'canary', step: 60, extendedScopeParams: { namespace: 'prod' } },
      },
    ];
    const result = await runAnalysis({
      templates: [
        template({ threshold: undefined, thresholds: { pass: 90, marginal: 75 }, scopes }, { interval: '30m', count: 1 }),
      ],
      providers: [provider],
      clock: createFakeClock({ start: T0 }),
    });
    expect(result.phase).toBe('Successful');
    expect(fetchSeries.requests[0]?.scope).toMatchObject({ start: T0 - 30 * 60_000, end: T0 });
  });

  it('no data for the canary: a critical metric without data fails the canary (Kayenta), and says so', async () => {
    const provider = createKayentaProvider({
      configs: { 'integration-test-canary-config': cpuConfig },
      fetchSeries: seriesByScope({ stable: steady(40) }),
    });
    const result = await runAnalysis({ templates: [template()], providers: [provider], clock: createFakeClock({ start: T0 }) });
    expect(result.phase).toBe('Failed');
    expect(result.metricResults[0]?.measurements[0]?.metadata?.['metric.CPU usage for service']).toMatch(
      /^Nodata \(critical\); no data for the canary; ratio 1; baseline n=60 mean 40\.29; canary n=0 mean 0$/,
    );
  });

  it('fetches through another MetricProvider: a prometheus block with the query as a rangeQuery over the window', async () => {
    const prometheus = createScriptedProvider({
      type: 'prometheus',
      script: (metric) => {
        const query = (metric.provider['prometheus'] as { query: string }).query;
        return { value: query.includes("scope='canary'") ? steady(40.02) : steady(40) };
      },
    });
    const provider = createKayentaProvider({
      configs: { 'integration-test-canary-config': cpuConfig },
      metricProvider: prometheus,
      providerSettings: { address: 'http://prometheus.monitoring:9090' },
    });
    const result = await runAnalysis({ templates: [template()], providers: [provider], clock: createFakeClock({ start: T0 }) });
    expect(result.phase).toBe('Successful');
    expect(prometheus.measured[0]?.provider).toEqual({
      prometheus: {
        address: 'http://prometheus.monitoring:9090',
        query: "avg(integration_test_cpu{namespace='prod', scope='stable'})",
        rangeQuery: { start: 'date("2026-03-01T11:00:00.000Z")', end: 'date("2026-03-01T12:00:00.000Z")', step: '60s' },
      },
    });
  });

  it('errors are Error measurements that say what and where', async () => {
    const run = async (kayenta: Record<string, unknown>, options: Partial<Parameters<typeof createKayentaProvider>[0]> = {}) => {
      const provider = createKayentaProvider({
        configs: { 'integration-test-canary-config': cpuConfig },
        fetchSeries: seriesByScope({ stable: steady(40), canary: steady(40) }),
        ...options,
      });
      // Error measurements are retried (Argo: every 10 s) until consecutiveErrorLimit: the clock runs itself.
      const result = await runAnalysis({
        templates: [template(kayenta)],
        providers: [provider],
        clock: createFakeClock({ start: T0, auto: true }),
      });
      expect(result.phase).toBe('Error');
      return result.metricResults[0]?.measurements[0]?.message ?? result.message;
    };
    expect(await run({ canaryConfigName: 'nope' })).toMatch(
      /canary config "nope" not found \(known: integration-test-canary-config\)/,
    );
    expect(
      await run({
        scopes: [
          {
            name: 'other',
            controlScope: { scope: 'a', step: 60, start: '2026-03-01T11:00:00Z', end: '2026-03-01T12:00:00Z' },
            experimentScope: { scope: 'b', step: 60, start: '2026-03-01T11:00:00Z', end: '2026-03-01T12:00:00Z' },
          },
        ],
      }),
    ).toMatch(/canary metric "CPU usage for service" uses scope "default", but provider\.kayenta\.scopes has only "other"/);
    const noNamespace = [
      {
        name: 'default',
        controlScope: { scope: 'a', step: 60, start: '2026-03-01T11:00:00Z', end: '2026-03-01T12:00:00Z' },
        experimentScope: { scope: 'b', step: 60, start: '2026-03-01T11:00:00Z', end: '2026-03-01T12:00:00Z' },
      },
    ];
    expect(await run({ scopes: noNamespace })).toMatch(/uses \$\{namespace\}, which is not defined \(known: scope\)/);
    expect(await run({}, { fetchSeries: async () => ({ resultType: 'vector' }) as unknown as number[] })).toMatch(
      /fetching control series of "CPU usage for service" \(query avg\(integration_test_cpu\{namespace='prod', scope='stable'\}\)\): expected a list of numbers/,
    );
    expect(
      await run({}, { configs: { 'integration-test-canary-config': { ...cpuConfig, applications: ['other-app'] } } }),
    ).toMatch(/is for applications other-app, not "guestbook"/);
  });

  it('validate names every problem of provider.kayenta with its path', () => {
    const provider = createKayentaProvider({ configs: {}, fetchSeries: async () => [] });
    const metric = template({
      canaryConfigName: '',
      threshold: undefined,
      lookback: true,
      scopes: [
        {
          name: 'default',
          controlScope: { scope: 'a', step: 0, start: 'yesterday' },
          experimentScope: { scope: 'b', step: 60, region: 3 },
        },
      ],
      thresold: 1,
    }).spec.metrics[0] as unknown as AnalysisMetric;
    expect(provider.validate?.(metric)).toEqual([
      { path: 'provider.kayenta.thresold', message: expect.stringMatching(/^unknown field \(known: address, application/) },
      { path: 'provider.kayenta.canaryConfigName', message: 'is required' },
      {
        path: 'provider.kayenta.lookback',
        message: "is not supported in-process (a provider does not see the run's start): set the scopes' start and end",
      },
      { path: 'provider.kayenta.threshold', message: 'is required ({ pass, marginal }): without it every score would pass' },
      { path: 'provider.kayenta.scopes[0].controlScope.step', message: 'must be a whole number of seconds > 0, got 0' },
      {
        path: 'provider.kayenta.scopes[0].controlScope.start',
        message: 'must be an RFC 3339 time such as 2024-05-01T10:00:00Z, got "yesterday"',
      },
      { path: 'provider.kayenta.scopes[0].experimentScope.region', message: 'must be a string' },
    ]);
    expect(() => createKayentaProvider({ configs: {} })).toThrow(/give exactly one of metricProvider/);
  });

  it('a cancelled run is not an Error measurement', async () => {
    const controller = new AbortController();
    const provider = createKayentaProvider({
      configs: { 'integration-test-canary-config': cpuConfig },
      fetchSeries: (_request, options: CallOptions) =>
        new Promise((_, reject) => {
          options.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
          controller.abort();
        }),
    });
    await expect(
      runAnalysis({
        templates: [template()],
        providers: [provider],
        clock: createFakeClock({ start: T0 }),
        signal: controller.signal,
      }),
    ).rejects.toThrow(/cancel/i);
  });
});

describe("Kayenta's Prometheus query building (PrometheusMetricsServiceSpec, scopeLabel instance, location us-central1)", () => {
  const templates = { someTemplate: 'some-label=${scope}', anotherTemplate: 'my-server-group=${scope}' };
  const rows: [
    string[] | undefined,
    string | undefined,
    string | undefined,
    string | undefined,
    string | undefined,
    Record<string, string> | undefined,
    string,
  ][] = [
    [
      ['a=b'],
      undefined,
      undefined,
      'gce_instance',
      'some-server-group',
      undefined,
      'avg(some-metric-name{a=b,instance=~"some-server-group-.{4}",zone=~".+/zones/us-central1-.{1}"})',
    ],
    [
      ['a=b'],
      undefined,
      '',
      'gce_instance',
      'some-server-group',
      undefined,
      'avg(some-metric-name{a=b,instance=~"some-server-group-.{4}",zone=~".+/zones/us-central1-.{1}"})',
    ],
    [
      ['a=b'],
      undefined,
      undefined,
      'aws_ec2_instance',
      'some-server-group',
      undefined,
      'avg(some-metric-name{a=b,asg_groupName="some-server-group",zone=~"us-central1.{1}"})',
    ],
    [
      ['a=b'],
      undefined,
      '',
      'aws_ec2_instance',
      'some-server-group',
      undefined,
      'avg(some-metric-name{a=b,asg_groupName="some-server-group",zone=~"us-central1.{1}"})',
    ],
    [
      ['a=b'],
      'someTemplate',
      undefined,
      'gce_instance',
      'some-app-canary',
      undefined,
      'avg(some-metric-name{some-label=some-app-canary,a=b})',
    ],
    [
      ['a=b'],
      'someTemplate',
      'customFilter=something,andSomething=else',
      'gce_instance',
      undefined,
      undefined,
      'avg(some-metric-name{customFilter=something,andSomething=else,a=b})',
    ],
    [
      ['a=b'],
      undefined,
      'customFilter=something,andSomething=else',
      'gce_instance',
      undefined,
      undefined,
      'avg(some-metric-name{customFilter=something,andSomething=else,a=b})',
    ],
    [
      ['a=b'],
      undefined,
      'customFilter=something,andSomething=else',
      'aws_ec2_instance',
      undefined,
      undefined,
      'avg(some-metric-name{customFilter=something,andSomething=else,a=b})',
    ],
    [
      ['a=b'],
      undefined,
      'customFilter=something,andSomething=else',
      'anything_else',
      undefined,
      undefined,
      'avg(some-metric-name{customFilter=something,andSomething=else,a=b})',
    ],
    [
      ['a=b'],
      'anotherTemplate',
      undefined,
      undefined,
      'some-baseline',
      undefined,
      'avg(some-metric-name{my-server-group=some-baseline,a=b})',
    ],
    [
      ['a=b'],
      'anotherTemplate',
      undefined,
      '',
      'some-canary',
      undefined,
      'avg(some-metric-name{my-server-group=some-canary,a=b})',
    ],
    [
      undefined,
      undefined,
      'PromQL:histogram_quantile(0.5, prometheus_http_response_size_bytes_bucket{instance="localhost:9090",handler="/graph"})',
      undefined,
      undefined,
      undefined,
      'histogram_quantile(0.5, prometheus_http_response_size_bytes_bucket{instance="localhost:9090",handler="/graph"})',
    ],
    [
      undefined,
      undefined,
      'PromQL:histogram_quantile(0.5, prometheus_http_response_size_bytes_bucket{instance="localhost:9090",handler="${scope}"})',
      undefined,
      '/graph',
      undefined,
      'histogram_quantile(0.5, prometheus_http_response_size_bytes_bucket{instance="localhost:9090",handler="/graph"})',
    ],
    [
      undefined,
      undefined,
      'PromQL:histogram_quantile(${quantile}, prometheus_http_response_size_bytes_bucket{instance="localhost:9090",handler="${scope}"})',
      undefined,
      '/graph',
      { quantile: '0.99' },
      'histogram_quantile(0.99, prometheus_http_response_size_bytes_bucket{instance="localhost:9090",handler="/graph"})',
    ],
  ];
  it.each(
    rows,
  )('labelBindings %j, filter template %s, inline %s, resourceType %s, scope %s, params %j', (labelBindings, customFilterTemplate, customInlineTemplate, resourceType, scope, extendedScopeParams, expected) => {
    const query: CanaryMetricQuery = {
      type: 'prometheus',
      metricName: 'some-metric-name',
      ...(labelBindings ? { labelBindings } : {}),
      ...(customFilterTemplate !== undefined ? { customFilterTemplate } : {}),
      ...(customInlineTemplate !== undefined ? { customInlineTemplate } : {}),
      ...(resourceType !== undefined ? { resourceType } : {}),
    };
    const config: CanaryConfig = { metrics: [{ name: 'm', query, groups: ['g'] }], templates };
    expect(
      buildPrometheusQuery(config, query, {
        scope: scope ?? '',
        location: 'us-central1',
        ...(extendedScopeParams ? { extendedScopeParams } : {}),
      }),
    ).toBe(expected);
  });

  it('says what is missing', () => {
    const config: CanaryConfig = { metrics: [] };
    expect(() => buildPrometheusQuery(config, { type: 'prometheus', metricName: 'm' }, { scope: 's' })).toThrow(
      /either query\.resourceType or a custom filter template/,
    );
    expect(() =>
      buildPrometheusQuery(config, { type: 'prometheus', metricName: 'm', customFilterTemplate: 'x' }, { scope: 's' }),
    ).toThrow(/custom filter template "x" is not in the canary config's templates/);
    expect(() => buildPrometheusQuery(config, { type: 'prometheus', customInlineTemplate: 'a=b' }, { scope: 's' })).toThrow(
      /query\.metricName is required/,
    );
    expect(
      buildPrometheusQuery(
        config,
        { type: 'prometheus', metricName: 'm', customInlineTemplate: 'a="$${scope}",b="${missing:-x}"', groupByFields: ['pod'] },
        { scope: 's' },
      ),
    ).toBe('avg(m{a="${scope}",b="x"}) by (pod)');
  });
});

describe('a provider that decides the phase itself', () => {
  it('an assess that throws is an Error measurement that says so, not a crash', async () => {
    const provider = {
      specificationVersion: 'v1' as const,
      type: 'verdict',
      measure: async () => ({ value: 1 }),
      assess: () => {
        throw new Error('no thresholds');
      },
    };
    const result = await runAnalysis({
      templates: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'AnalysisTemplate',
          metadata: { name: 't' },
          spec: { metrics: [{ name: 'm', provider: { verdict: {} } }] },
        },
      ],
      providers: [provider],
      clock: createFakeClock({ start: T0, auto: true }),
    });
    expect(result.metricResults[0]?.measurements[0]).toMatchObject({
      phase: 'Error',
      value: '1',
      message: 'provider "verdict" could not assess its measurement: no thresholds',
    });
  });
});

describe('fetching', () => {
  it('runs the fetches together and cancels the others when one fails', async () => {
    const cancelled: string[] = [];
    const provider = createKayentaProvider({
      configs: { 'integration-test-canary-config': cpuConfig },
      fetchSeries: (request, options) =>
        request.role === 'control'
          ? Promise.reject(new Error('store down'))
          : new Promise((_, reject) =>
              options.signal.addEventListener('abort', () => {
                cancelled.push(request.role);
                reject(new Error('aborted'));
              }),
            ),
    });
    const metric = template().spec.metrics[0] as unknown as AnalysisMetric;
    await expect(
      provider.measure(metric, { signal: new AbortController().signal, clock: createFakeClock({ start: T0 }) }),
    ).rejects.toThrow(/fetching control series of "CPU usage for service" .*: store down/);
    expect(cancelled).toEqual(['experiment']);
  });
});
