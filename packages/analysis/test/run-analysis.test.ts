import { readFileSync } from 'node:fs';
import { type AnalysisMetric, CancelledError, ProviderError } from '@gradual/core';
import { createFakeClock, createScriptedProvider } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';
import { type AnalysisRunResult, runAnalysis } from '../src/index.js';
import { measurementTimeoutOf } from '../src/run/measurement-timeout.js';

const seed = readFileSync(new URL('./fixtures/analysistemplate-success-rate.yaml', import.meta.url), 'utf8');
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const args = [{ name: 'service-name', value: 'checkout.default.svc.cluster.local' }];
const at = (iso: string) => Date.parse(iso) - T0;

const template = (metrics: Partial<AnalysisMetric>[], extra: Record<string, unknown> = {}) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 't' },
  spec: { metrics: metrics.map((metric, i) => ({ name: `m${i}`, provider: { scripted: {} }, ...metric })), ...extra },
});

describe('the seed template (success-rate, interval 10s, failureLimit 2) on the fake clock', () => {
  it('all values 0.99: Successful when terminated, one measurement every 10 s', async () => {
    const clock = createFakeClock({ auto: true, start: T0 });
    const terminate = new AbortController();
    const provider = createScriptedProvider({
      type: 'prometheus',
      script: (_metric, call) => {
        if (call === 5) terminate.abort();
        return { value: [0.99] };
      },
    });
    const result = await runAnalysis({ templates: [seed], args, providers: [provider], clock, terminate: terminate.signal });
    expect(result.phase).toBe('Successful');
    expect(result.message).toBe('Run Terminated');
    const metric = result.metricResults[0];
    expect(metric).toMatchObject({ name: 'success-rate', phase: 'Successful', count: 6, successful: 6, failed: 0, error: 0 });
    expect(metric?.measurements.map((m) => at(m.startedAt))).toEqual([0, 10_000, 20_000, 30_000, 40_000, 50_000]);
    expect(metric?.measurements[0]).toMatchObject({ phase: 'Successful', value: '[0.99]' });
    // {{args.service-name}} was substituted into the query.
    const query = (provider.measured[0]?.provider['prometheus'] as { query: string }).query;
    expect(query).toContain('destination_service=~"checkout.default.svc.cluster.local"');
    expect(query).not.toContain('{{');
  });

  it('values below 0.95: Failed on the third failed measurement, 20 s after the first', async () => {
    const clock = createFakeClock({ auto: true, start: T0 });
    const provider = createScriptedProvider({ type: 'prometheus', script: { 'success-rate': [{ value: [0.9] }] } });
    const result = await runAnalysis({ templates: [seed], args, providers: [provider], clock });
    expect(result.phase).toBe('Failed');
    expect(result.message).toBe('Metric "success-rate" assessed Failed due to failed (3) > failureLimit (2)');
    const metric = result.metricResults[0];
    expect(metric).toMatchObject({ phase: 'Failed', count: 3, failed: 3 });
    const first = Date.parse(metric?.measurements[0]?.startedAt ?? '');
    expect(Date.parse(result.completedAt ?? '') - first).toBe(20_000);
    expect(provider.measured).toHaveLength(3);
  });

  it('never puts the address credentials of the template into the result', async () => {
    const clock = createFakeClock({ auto: true, start: T0 });
    const provider = createScriptedProvider({ type: 'prometheus', script: { 'success-rate': [{ error: 'down' }] } });
    const result = await runAnalysis({ templates: [seed], args, providers: [provider], clock });
    expect(result.phase).toBe('Error');
    expect(JSON.stringify(result)).not.toContain('internal:secret');
  });
});

const run = (options: Omit<Parameters<typeof runAnalysis>[0], 'clock'> & { start?: number }): Promise<AnalysisRunResult> =>
  runAnalysis({ clock: createFakeClock({ auto: true, start: options.start ?? T0 }), ...options });

describe('measurements and limits (§4.4)', () => {
  it('errors are retried after 10 s, whatever the interval, and do not count toward count', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ error: 'boom' }, { error: 'boom' }, { value: 1 }] } });
    const result = await run({ templates: [template([{ interval: '60s', count: 2 }])], providers: [provider] });
    const metric = result.metricResults[0];
    expect(result.phase).toBe('Successful');
    expect(metric).toMatchObject({ count: 2, successful: 2, error: 2, consecutiveError: 0 });
    expect(metric?.measurements.map((m) => [m.phase, at(m.startedAt)])).toEqual([
      ['Error', 0],
      ['Error', 10_000],
      ['Successful', 20_000],
      ['Successful', 80_000],
    ]);
    expect(metric?.measurements[0]?.message).toBe('boom');
  });

  it('the fifth consecutive error ends the metric in Error (default consecutiveErrorLimit 4)', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ error: 'connection refused' }] } });
    const result = await run({ templates: [template([{ interval: '60s' }])], providers: [provider] });
    expect(result.phase).toBe('Error');
    expect(result.message).toBe(
      'Metric "m0" assessed Error due to consecutiveErrors (5) > consecutiveErrorLimit (4): "Error Message: connection refused"',
    );
    expect(result.metricResults[0]?.measurements.map((m) => at(m.startedAt))).toEqual([0, 10_000, 20_000, 30_000, 40_000]);
  });

  it('consecutiveErrorLimit 0 fails on the first error', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ error: 'x' }] } });
    const result = await run({ templates: [template([{ consecutiveErrorLimit: 0 }])], providers: [provider] });
    expect(result.phase).toBe('Error');
    expect(result.metricResults[0]?.measurements).toHaveLength(1);
  });

  it('inconclusive measurements beyond inconclusiveLimit make the run Inconclusive', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ value: 5 }] } });
    const result = await run({
      templates: [
        template([
          { interval: '5s', count: 3, inconclusiveLimit: 1, successCondition: 'result < 1', failureCondition: 'result > 10' },
        ]),
      ],
      providers: [provider],
    });
    expect(result.phase).toBe('Inconclusive');
    expect(result.message).toBe('Metric "m0" assessed Inconclusive due to inconclusive (2) > inconclusiveLimit (1)');
  });

  it('failureLimit -1 with consecutiveSuccessLimit: Successful after enough successes in a row', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ value: 0 }, { value: 1 }, { value: 1 }] } });
    const result = await run({
      templates: [template([{ interval: '1s', failureLimit: -1, consecutiveSuccessLimit: 2, successCondition: 'result == 1' }])],
      providers: [provider],
    });
    expect(result.phase).toBe('Successful');
    expect(result.metricResults[0]).toMatchObject({ failed: 1, successful: 2, consecutiveSuccess: 2 });
  });

  it('a run whose measurements all failed within failureLimit is Failed, not Successful (argo-rollouts #4479)', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ error: 'e' }, { value: 0 }] } });
    const result = await run({
      templates: [template([{ interval: '5s', count: 2, failureLimit: 2, successCondition: 'result == 1' }])],
      providers: [provider],
    });
    expect(result.phase).toBe('Failed');
    expect(result.message).toBe(
      'Metric "m0" assessed Failed due to count (2) reached without a successful measurement (failed 2, inconclusive 0, error 1); Argo Rollouts would assess it Successful (argoproj/argo-rollouts#4479)',
    );
  });

  it('initialDelay postpones the first measurement from the run start', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ value: 1 }] } });
    const result = await run({ templates: [template([{ initialDelay: '30s' }])], providers: [provider] });
    expect(result.metricResults[0]?.measurements.map((m) => at(m.startedAt))).toEqual([30_000]);
  });

  it('a failing metric terminates the run: an open-ended sibling ends Successful', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ value: 1 }], m1: [{ value: 1 }, { value: 1 }, { value: 0 }] } });
    const result = await run({
      templates: [template([{ interval: '10s' }, { interval: '10s', successCondition: 'result == 1' }])],
      providers: [provider],
    });
    expect(result.phase).toBe('Failed');
    expect(result.metricResults.map((m) => m.phase)).toEqual(['Successful', 'Failed']);
    expect(result.runSummary).toEqual({ count: 2, successful: 1, failed: 1, inconclusive: 0, error: 0 });
  });

  it('keeps the last 10 measurements by default, or measurementRetention.limit', async () => {
    const terminate = new AbortController();
    const provider = createScriptedProvider({
      script: (_metric, call) => {
        if (call === 11) terminate.abort();
        return { value: 1 };
      },
    });
    const result = await run({
      templates: [
        template([{ interval: '1s' }, { interval: '1s' }], { measurementRetention: [{ metricName: '^m1$', limit: 3 }] }),
      ],
      providers: [provider],
      terminate: terminate.signal,
    });
    expect(result.metricResults.map((m) => [m.count, m.measurements.length])).toEqual([
      [12, 10],
      [12, 3],
    ]);
  });

  it('dry-run metrics never change the run phase', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ value: 1 }], m1: [{ value: 0 }] } });
    const result = await run({
      templates: [template([{}, { successCondition: 'result == 1' }])],
      dryRun: [{ metricName: 'm1' }],
      providers: [provider],
    });
    expect(result.phase).toBe('Successful');
    expect(result.dryRunSummary).toEqual({ count: 1, successful: 0, failed: 1, inconclusive: 0, error: 0 });
    expect(result.metricResults[1]).toMatchObject({
      dryRun: true,
      phase: 'Failed',
      message: 'Metric assessed Failed due to failed (1) > failureLimit (0)',
    });
  });

  it('a dryRun rule ".*" makes every metric dry-run; nested templates run with their parent', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ value: 0 }], child: [{ value: 0 }] } });
    const child = {
      ...template([]),
      metadata: { name: 'child' },
      spec: { metrics: [{ name: 'child', successCondition: 'result == 1', provider: { scripted: {} } }] },
    };
    const parent = template([{ successCondition: 'result == 1' }], {
      templates: [{ templateName: 'child' }],
      dryRun: [{ metricName: '.*' }],
    });
    const result = await run({ templates: [parent, child], providers: [provider] });
    expect(result.metricResults.map((m) => [m.name, m.phase, m.dryRun])).toEqual([
      ['m0', 'Failed', true],
      ['child', 'Failed', true],
    ]);
    expect(result.phase).toBe('Successful');
  });

  it('terminate before anything was measured is Successful, "Run Terminated"', async () => {
    const terminate = new AbortController();
    terminate.abort();
    const provider = createScriptedProvider({ script: { m0: [{ value: 1 }] } });
    const result = await run({
      templates: [template([{ initialDelay: '1m' }])],
      providers: [provider],
      terminate: terminate.signal,
    });
    expect(result).toMatchObject({ phase: 'Successful', message: 'Run Terminated' });
    expect(provider.measured).toHaveLength(0);
  });
});

describe('providers that misbehave', () => {
  it('a provider that hangs past measurementTimeoutMs gives an Error measurement, and the run goes on', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ hang: true }, { value: 1 }] } });
    const result = await run({ templates: [template([{}])], providers: [provider], measurementTimeoutMs: 20 });
    expect(result.phase).toBe('Successful');
    expect(result.metricResults[0]?.measurements.map((m) => [m.phase, m.message])).toEqual([
      ['Error', 'measurement timed out after 0.02s'],
      ['Successful', undefined],
    ]);
  });

  it('a provider that ignores its signal and never answers is still cut off by the guard', async () => {
    const provider = { specificationVersion: 'v1' as const, type: 'scripted', measure: () => new Promise<never>(() => {}) };
    const result = await run({
      templates: [template([{ consecutiveErrorLimit: 1 }])],
      providers: [provider],
      measurementTimeoutMs: 10,
    });
    expect(result.phase).toBe('Error');
    expect(result.metricResults[0]?.measurements.map((m) => m.message)).toEqual([
      'measurement timed out after 0.01s',
      'measurement timed out after 0.01s',
    ]);
  });

  it.each([
    ['undefined', undefined, 'no value'],
    ['a function', () => 1, 'a function'],
    ['a class instance', new Date(0), 'an instance of Date'],
  ])('a provider returning %s gives an Error measurement', async (_name, value, reason) => {
    const provider = { specificationVersion: 'v1' as const, type: 'scripted', measure: async () => ({ value }) as never };
    const result = await run({ templates: [template([{ consecutiveErrorLimit: 0 }])], providers: [provider] });
    expect(result.phase).toBe('Error');
    expect(result.metricResults[0]?.measurements[0]?.message).toBe(
      `provider "scripted" returned a value that is not JSON: ${reason}`,
    );
  });

  it('a very long value is cut in the status, not in the condition', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ value: 'x'.repeat(5000) }] } });
    const result = await run({ templates: [template([{ successCondition: 'len(result) == 5000' }])], providers: [provider] });
    expect(result.phase).toBe('Successful');
    expect(result.metricResults[0]?.measurements[0]?.value).toBe(`${'"'}${'x'.repeat(2047)}... (5002 characters)`);
  });

  it('a provider that throws a plain error gives an Error measurement with its message', async () => {
    const provider = {
      specificationVersion: 'v1' as const,
      type: 'scripted',
      measure: async () => {
        throw new TypeError('kaput');
      },
    };
    const result = await run({ templates: [template([{ consecutiveErrorLimit: 0 }])], providers: [provider] });
    expect(result.metricResults[0]?.measurements[0]).toMatchObject({ phase: 'Error', message: 'kaput' });
  });

  it("a condition that errors gives an Error measurement with Argo's message", async () => {
    const provider = createScriptedProvider({ script: { m0: [{ value: [] }] } });
    const result = await run({
      templates: [template([{ consecutiveErrorLimit: 0, successCondition: 'result[0] >= 0.95' }])],
      providers: [provider],
    });
    expect(result.metricResults[0]?.measurements[0]?.message).toBe(
      'could not evaluate successCondition "result[0] >= 0.95": metric result is nil or empty: no data returned from the metric provider',
    );
  });

  it('cancelling rejects with a CancelledError and counts nothing', async () => {
    const controller = new AbortController();
    const provider = createScriptedProvider({
      script: (_metric, call) => {
        if (call === 1) controller.abort(new Error('shutdown'));
        return call === 1 ? { hang: true } : { value: 1 };
      },
    });
    const promise = run({ templates: [template([{ interval: '10s' }])], providers: [provider], signal: controller.signal });
    await expect(promise).rejects.toSatisfy((error) => CancelledError.isCancellation(error));
  });
});

describe('setup errors make the run Error at once', () => {
  it.each([
    [
      'an unknown placeholder',
      template([{ successCondition: 'result == "{{args.nope}}"' }]),
      [],
      'Unable to resolve metric arguments: failed to resolve {{args.nope}}',
    ],
    ['an unresolved arg', template([{}], { args: [{ name: 'service' }] }), [], 'args.service was not resolved'],
    [
      'a dryRun rule that matches nothing',
      template([{}], { dryRun: [{ metricName: 'nothing' }] }),
      [],
      "Analysis spec invalid: dryRun[0]: Rule didn't match any metric name(s)",
    ],
    [
      'a retention rule that matches nothing',
      template([{}], { measurementRetention: [{ metricName: 'zzz', limit: 1 }] }),
      [],
      "Analysis spec invalid: measurementRetention[0]: Rule didn't match any metric name(s)",
    ],
    [
      'an arg that makes count invalid',
      template([{ count: '{{args.n}}', interval: '1s' }], { args: [{ name: 'n' }] }),
      [{ name: 'n', value: 'many' }],
      'invalid metrics: metrics[0].count: must be an integer, got "many"',
    ],
  ])('%s', async (_name, tpl, runArgs, message) => {
    const provider = createScriptedProvider({ script: { m0: [{ value: 1 }] } });
    const result = await run({ templates: [tpl], args: runArgs, providers: [provider] });
    expect(result.phase).toBe('Error');
    expect(result.message).toBe(message);
    expect(provider.measured).toHaveLength(0);
  });

  it('a metric whose provider was not given', async () => {
    const result = await run({
      templates: [template([{ provider: { datadog: {} } }])],
      providers: [createScriptedProvider({ script: {} })],
    });
    expect(result.message).toBe(
      'invalid metrics: metrics[0].provider: no MetricProvider of type "datadog" was given (have: scripted)',
    );
  });

  it('args are JSON-escaped into the metric (the value arrives intact) and override only declared args', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ value: 1 }] } });
    const result = await run({
      templates: [
        template([{ provider: { scripted: { query: 'q:{{ args.greeting }}' } } }], { args: [{ name: 'greeting', value: 'no' }] }),
      ],
      args: [
        { name: 'greeting', value: 'say "hi"\n\tand {{tab}}' },
        { name: 'undeclared', value: 'ignored' },
      ],
      providers: [provider],
    });
    expect(result.phase).toBe('Successful');
    expect(provider.measured[0]?.provider['scripted']).toEqual({ query: 'q:say "hi"\n\tand {{tab}}' });
  });
});

describe('secrets', () => {
  const secretTemplate = template([{ consecutiveErrorLimit: 0, provider: { scripted: { token: '{{args.token}}' } } }], {
    args: [{ name: 'token', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }],
  });

  it('are resolved at measurement time and redacted from messages', async () => {
    const seen: unknown[] = [];
    const provider = {
      specificationVersion: 'v1' as const,
      type: 'scripted',
      measure: async (metric: AnalysisMetric) => {
        seen.push(metric.provider['scripted']);
        throw new ProviderError('scripted', 'token s3cr3t-value was refused');
      },
    };
    const resolveSecret = async (ref: { name: string; key: string }) =>
      ref.name === 'creds' && ref.key === 'token' ? 's3cr3t-value' : 'wrong';
    const result = await run({ templates: [secretTemplate], providers: [provider], resolveSecret });
    expect(seen).toEqual([{ token: 's3cr3t-value' }]);
    expect(result.metricResults[0]?.measurements[0]?.message).toBe('token ***** was refused');
    expect(JSON.stringify(result)).not.toContain('s3cr3t-value');
  });

  // Review finding: plain args were substituted first and secrets in a second pass, so a plain
  // value reading `{{args.token}}` pulled the secret into e.g. a URL. Argo substitutes once.
  const mixedTemplate = template(
    [{ consecutiveErrorLimit: 0, provider: { scripted: { url: 'http://x/{{args.path}}', token: '{{args.token}}' } } }],
    {
      args: [{ name: 'path' }, { name: 'token', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }],
    },
  );
  const recording = (seen: unknown[]) => ({
    specificationVersion: 'v1' as const,
    type: 'scripted',
    measure: async (metric: AnalysisMetric) => {
      seen.push(metric.provider['scripted']);
      return { value: 1 };
    },
  });

  it('a plain arg whose value is a secret placeholder stays text: values are substituted in one pass', async () => {
    const seen: unknown[] = [];
    const result = await run({
      templates: [mixedTemplate],
      args: [{ name: 'path', value: '{{args.token}}' }],
      providers: [recording(seen)],
      resolveSecret: async () => 's3cr3t-value',
    });
    expect(result.phase).toBe('Successful');
    expect(seen).toEqual([{ url: 'http://x/{{args.token}}', token: 's3cr3t-value' }]);
  });

  it('a plain value holding literal {{...}} does not fail to resolve when the run has secrets', async () => {
    const seen: unknown[] = [];
    const result = await run({
      templates: [mixedTemplate],
      args: [{ name: 'path', value: '{{not-a-placeholder}}' }],
      providers: [recording(seen)],
      resolveSecret: async () => 's3cr3t-value',
    });
    expect(result.metricResults[0]?.measurements[0]?.message).toBeUndefined();
    expect(seen).toEqual([{ url: 'http://x/{{not-a-placeholder}}', token: 's3cr3t-value' }]);
  });

  it('a secret placeholder in count makes the run Error, naming the field', async () => {
    const counted = template([{ count: '{{args.token}}' as unknown as number, interval: '1s' }], {
      args: [{ name: 'token', valueFrom: { secretKeyRef: { name: 'creds', key: 'token' } } }],
    });
    const result = await run({ templates: [counted], providers: [recording([])], resolveSecret: async () => '3' });
    expect(result.phase).toBe('Error');
    expect(result.message).toContain('metrics[0].count: "{{args.token}}" comes from a secret arg');
  });

  it('without a resolver the measurement errs, naming the arg and not a value', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ value: 1 }] } });
    const result = await run({ templates: [secretTemplate], providers: [provider] });
    expect(result.metricResults[0]?.measurements[0]?.message).toBe(
      'args.token comes from secret "creds" but no resolveSecret was given',
    );
  });
});

describe('provider metadata', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic['self'] = cyclic;
  const throwing = Object.defineProperty({}, 'x', {
    enumerable: true,
    get() {
      throw new Error('getter exploded');
    },
  });
  const withMetadata = (metadata: unknown) => ({
    specificationVersion: 'v1' as const,
    type: 'scripted',
    measure: async () => ({ value: 1, metadata: metadata as Record<string, string> }),
  });

  // Review finding: these escaped takeMeasurement as exceptions instead of becoming Error measurements.
  it.each([
    ['cyclic', { loop: cyclic }, /circular/i],
    ['BigInt', { big: 10n }, /BigInt/],
    ['a throwing getter', throwing, /getter exploded/],
  ])('%s metadata is an Error measurement', async (_name, metadata, detail) => {
    const result = await run({ templates: [template([{ consecutiveErrorLimit: 0 }])], providers: [withMetadata(metadata)] });
    const measurement = result.metricResults[0]?.measurements[0];
    expect(measurement?.phase).toBe('Error');
    expect(measurement?.message).toMatch(/provider "scripted" returned metadata that is not a record of strings/);
    expect(measurement?.message).toMatch(detail);
  });

  it('is capped like display: long values are cut and entries past 8 KiB dropped, with a note', async () => {
    const metadata = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v'.repeat(3_000)]));
    const result = await run({ templates: [template([{}])], providers: [withMetadata(metadata)] });
    const kept = result.metricResults[0]?.measurements[0]?.metadata ?? {};
    expect(kept['k0']).toMatch(/^v{2048}\.\.\. \(3000 characters\)$/);
    expect(JSON.stringify(kept).length).toBeLessThan(9_000);
    expect(kept['truncated']).toMatch(/more metadata entries were dropped/);
  });
});

// Review finding: the metric kept the message of an older Error measurement.
describe('the metric message follows the latest measurement', () => {
  it('an Error then a Failed measurement: the verdict carries no stale error message', async () => {
    const provider = createScriptedProvider({
      script: { m0: [{ error: 'connection refused' }, { value: 0 }] },
    });
    const result = await run({
      templates: [template([{ failureLimit: 0, count: 2, interval: '1s', successCondition: 'result > 0' }])],
      providers: [provider],
    });
    expect(result.metricResults[0]?.measurements.map((m) => m.phase)).toEqual(['Error', 'Failed']);
    expect(result.message).toBe('Metric "m0" assessed Failed due to failed (1) > failureLimit (0)');
    expect(result.metricResults[0]?.message).toBeUndefined();
  });
});

// Review finding: the 60 s guard silently cut a metric's own longer timeout.
describe('measurement timeout guard', () => {
  const withProvider = (provider: Record<string, unknown>): AnalysisMetric => ({ name: 'm', provider: provider as never });
  it.each([
    ['Prometheus timeout 90', { prometheus: { query: 'up', timeout: 90 } }, 60_000, 100_000],
    ['web timeoutSeconds 120', { web: { url: 'http://x', timeoutSeconds: 120 } }, 60_000, 130_000],
    ['a timeout as a string', { web: { url: 'http://x', timeoutSeconds: '120' } }, 60_000, 130_000],
    ['a shorter own timeout keeps the configured floor', { prometheus: { query: 'up', timeout: 5 } }, 60_000, 60_000],
    ['no own timeout', { scripted: {} }, 60_000, 60_000],
    ['a nonsense timeout is ignored', { web: { url: 'http://x', timeoutSeconds: 'soon' } }, 1_000, 1_000],
    // Argo's job metric waits for its Job: a five-minute load test must not be cut at 60 s.
    ['a job runs until its activeDeadlineSeconds', { job: { spec: { activeDeadlineSeconds: 300 } } }, 60_000, 310_000],
    ['a job without a deadline is not cut', { job: { spec: { template: {} } } }, 60_000, 2_147_483_647],
  ])('%s', (_name, provider, configured, expected) => {
    expect(measurementTimeoutOf(withProvider(provider), configured)).toBe(expected);
  });
});
