// The three differences Argo's own analysis tests found (issue #12, item 4); each row cites its source.
import type { AnalysisMetric } from '@gradual/core';
import { createFakeClock, createScriptedProvider } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';
import { parseAnalysisTemplate, runAnalysis, templateLimits } from '../src/index.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');

const template = (metrics: Partial<AnalysisMetric>[]) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 't' },
  spec: { metrics: metrics.map((metric, i) => ({ name: `m${i}`, provider: { scripted: {} }, ...metric })) },
});

const run = (options: Omit<Parameters<typeof runAnalysis>[0], 'clock'>) =>
  runAnalysis({ ...options, clock: createFakeClock({ auto: true, start: T0 }) });

describe('a run terminated before its only metric was measured', () => {
  // analysis_test.go TestTerminateAnalysisRunInDryRunMode: dryRunSummary {count 1, successful 0, ...}.
  it.each([
    ['counted', undefined, 'runSummary'],
    ['dry-run', [{ metricName: 'm0' }], 'dryRunSummary'],
  ] as const)('counts the metric as neither successful nor anything else (%s)', async (_name, dryRun, field) => {
    const terminate = new AbortController();
    terminate.abort();
    const provider = createScriptedProvider({ script: { m0: [{ value: 1 }] } });
    const result = await run({
      templates: [template([{ initialDelay: '20s', interval: '20s', successCondition: 'result > 0.9' }])],
      providers: [provider],
      terminate: terminate.signal,
      ...(dryRun ? { dryRun } : {}),
    });
    expect(result).toMatchObject({ phase: 'Successful', message: 'Run Terminated' });
    expect(result[field]).toEqual({ count: 1, successful: 0, failed: 0, inconclusive: 0, error: 0 });
    expect(provider.measured).toHaveLength(0);
  });

  it('still counts a metric that was measured before the run was terminated', async () => {
    const terminate = new AbortController();
    const provider = createScriptedProvider({
      script: (_metric, call) => {
        if (call === 1) terminate.abort();
        return { value: 1 };
      },
    });
    const result = await run({
      templates: [template([{ interval: '10s', successCondition: 'result == 1' }])],
      providers: [provider],
      terminate: terminate.signal,
    });
    expect(result.runSummary).toEqual({ count: 1, successful: 1, failed: 0, inconclusive: 0, error: 0 });
  });
});

describe('an invalid dryRun or measurementRetention rule', () => {
  // analysis_test.go TestInvalidDryRunConfigThrowsError / TestInvalidMeasurementsRetentionConfigThrowsError.
  it.each([
    [{ dryRun: [{ metricName: 'error-rate' }] }, "Analysis spec invalid: dryRun[0]: Rule didn't match any metric name(s)"],
    [
      { measurementRetention: [{ metricName: 'error-rate', limit: 2 }] },
      "Analysis spec invalid: measurementRetention[0]: Rule didn't match any metric name(s)",
    ],
  ])('ends the run Error with Argo\'s "Analysis spec invalid: " message (%j)', async (rules, message) => {
    const provider = createScriptedProvider({ script: { m0: [{ value: 1 }] } });
    const result = await run({ templates: [template([{ name: 'success-rate' }])], providers: [provider], ...rules });
    expect(result).toMatchObject({ phase: 'Error', message });
    expect(provider.measured).toHaveLength(0);
  });
});

describe('metricName is a Go regular expression', () => {
  // helpers.go GetDryRunMetrics: regexp.MatchString(rule, name); Go cannot compile `*`, so it matches nothing.
  it('"*" is not "every metric": the run is Error and the message says to write ".*"', async () => {
    const provider = createScriptedProvider({ script: { m0: [{ value: 1 }] } });
    const result = await run({ templates: [template([{}])], providers: [provider], dryRun: [{ metricName: '*' }] });
    expect(result.phase).toBe('Error');
    expect(result.message).toMatch(/^Analysis spec invalid: dryRun\[0\]: Rule didn't match any metric name\(s\): /);
    expect(result.message).toContain('write ".*" to match every metric');
  });

  it('".*" matches every metric, and an unanchored pattern matches inside names', async () => {
    const provider = createScriptedProvider({ script: { 'error-rate': [{ value: 0 }], latency: [{ value: 0 }] } });
    const result = await run({
      templates: [template([{ name: 'error-rate', successCondition: 'result == 1' }, { name: 'latency' }])],
      providers: [provider],
      dryRun: [{ metricName: '.*' }],
      measurementRetention: [{ metricName: 'rate', limit: 3 }],
    });
    expect(result.metricResults.map((m) => [m.name, m.dryRun])).toEqual([
      ['error-rate', true],
      ['latency', true],
    ]);
    expect(result.phase).toBe('Successful');
  });

  it('parseAnalysisTemplate refuses "*" with the path and the hint', () => {
    const input = { ...template([{}]), spec: { ...template([{}]).spec, dryRun: [{ metricName: '*' }] } };
    expect(() => parseAnalysisTemplate(input)).toThrow(/spec\.dryRun\[0\]\.metricName: .*write "\.\*" to match every metric/s);
  });

  // Issue #17: 'x' × 40,000 took 74 s in the regex engine; the length is now checked before any work.
  it('a pattern past the documented length is refused before it is compiled, quickly', async () => {
    const long = 'x'.repeat(40_000);
    const provider = createScriptedProvider({ script: { m0: [{ value: 1 }] } });
    const started = performance.now();
    const result = await run({ templates: [template([{}])], providers: [provider], dryRun: [{ metricName: long }] });
    expect(result.phase).toBe('Error');
    expect(result.message).toContain(`(limit ${templateLimits.maxMetricNamePatternLength})`);
    const input = { ...template([{}]), spec: { ...template([{}]).spec, measurementRetention: [{ metricName: long, limit: 1 }] } };
    expect(() => parseAnalysisTemplate(input)).toThrow(
      /spec\.measurementRetention\[0\]\.metricName: regular expression is 40000 characters long/,
    );
    // Generous bound for a shared machine; before the cap this took over a minute.
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('a short pattern whose counted repetitions expand past the size limit is refused', () => {
    const input = { ...template([{}]), spec: { ...template([{}]).spec, dryRun: [{ metricName: '(?:x{1000}){1000}' }] } };
    expect(() => parseAnalysisTemplate(input)).toThrow(/regular expression is too large/);
  });
});
