// Issue #12 item 2: an empty result is reported as such, and a metric may say what no data means.
import type { AnalysisMetric } from '@gradual/core';
import { createFakeClock, createScriptedProvider } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';
import { isNoData, parseAnalysisTemplate, runAnalysis } from '../src/index.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const template = (metric: Partial<AnalysisMetric> & { noData?: string }) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'AnalysisTemplate',
  metadata: { name: 't' },
  spec: { metrics: [{ name: 'rate', provider: { scripted: { query: 'sum(up{job="typo"})' } }, ...metric }] },
});
const run = (metric: Partial<AnalysisMetric> & { noData?: string }, value: unknown) =>
  runAnalysis({
    templates: [template(metric)],
    providers: [createScriptedProvider({ script: { rate: [{ value: value as never }] } })],
    clock: createFakeClock({ auto: true, start: T0 }),
  });

describe('what counts as no data', () => {
  it.each([
    [null, true],
    [[], true],
    [Number.NaN, true],
    [[Number.NaN, Number.NaN], true],
    [[Number.NaN, 0.5], false],
    [0, false],
    [[0], false],
    [{}, false],
    ['', false],
  ])('%j → %s', (value, expected) => {
    expect(isNoData(value)).toBe(expected);
  });
});

describe('without a policy (Argo behaviour, made visible)', () => {
  it("the talk's condition passes an empty result, and the measurement, the metric and the run say no data", async () => {
    const result = await run({ successCondition: 'len(result) == 0 || result[0] >= 0.95' }, []);
    expect(result.phase).toBe('Successful');
    const metric = result.metricResults[0];
    const note = 'no data for metric "rate" (query sum(up{job="typo"}))';
    expect(metric?.measurements[0]).toMatchObject({ phase: 'Successful', value: '[]', noData: note, message: note });
    expect(metric?.noData).toEqual({ count: 1, message: note });
    expect(result.message).toBe(`${note} in 1 of 1 measurements`);
  });

  it("a condition that indexes an empty result keeps Argo's Error message; noData says why", async () => {
    const result = await run({ successCondition: 'result[0] >= 0.95', consecutiveErrorLimit: 0 }, []);
    expect(result.metricResults[0]?.measurements[0]).toMatchObject({
      phase: 'Error',
      message:
        'could not evaluate successCondition "result[0] >= 0.95": metric result is nil or empty: no data returned from the metric provider',
      noData: 'no data for metric "rate" (query sum(up{job="typo"}))',
    });
  });

  it('a measurement with data has no noData field', async () => {
    const result = await run({ successCondition: 'result[0] >= 0.95' }, [0.99]);
    expect(result.metricResults[0]?.measurements[0]?.noData).toBeUndefined();
    expect(result.metricResults[0]?.noData).toBeUndefined();
    expect(result.message).toBeUndefined();
  });
});

describe('noData policies (Kayenta mustHaveData as Fail)', () => {
  it.each([
    ['Fail', 'Failed', 'Failed'],
    ['Inconclusive', 'Inconclusive', 'Inconclusive'],
    ['Pass', 'Successful', 'Successful'],
    ['Error', 'Error', 'Error'],
  ])('noData: %s makes an empty measurement %s, whatever the conditions say', async (policy, measurementPhase, runPhase) => {
    const result = await run(
      { noData: policy, successCondition: 'len(result) == 0 || result[0] >= 0.95', consecutiveErrorLimit: 0 },
      [],
    );
    expect(result.metricResults[0]?.measurements[0]).toMatchObject({
      phase: measurementPhase,
      message: `no data for metric "rate" (query sum(up{job="typo"})); noData: ${policy}`,
    });
    expect(result.phase).toBe(runPhase);
    expect(result.message).toContain('no data for metric "rate"');
  });

  it('NaN only (a ratio over no requests) is no data too', async () => {
    const result = await run({ noData: 'Fail', successCondition: 'true' }, [Number.NaN]);
    expect(result.phase).toBe('Failed');
    expect(result.message).toBe(
      'Metric "rate" assessed Failed due to failed (1) > failureLimit (0): "Error Message: no data for metric "rate" (query sum(up{job="typo"})); noData: Fail"',
    );
  });

  it('a measurement with data is judged by the conditions as before', async () => {
    const result = await run({ noData: 'Fail', successCondition: 'result[0] >= 0.95' }, [0.97]);
    expect(result.phase).toBe('Successful');
  });

  it('an unknown policy is refused with its path', () => {
    expect(() => parseAnalysisTemplate(template({ noData: 'fail' }))).toThrow(
      /spec\.metrics\[0\]\.noData: must be one of Fail, Inconclusive, Pass, Error, got "fail"/,
    );
  });

  it('a policy from an arg is checked once substituted', async () => {
    const result = await runAnalysis({
      templates: [
        {
          ...template({ noData: '{{args.policy}}' }),
          spec: { ...template({ noData: '{{args.policy}}' }).spec, args: [{ name: 'policy' }] },
        },
      ],
      args: [{ name: 'policy', value: 'Sometimes' }],
      providers: [createScriptedProvider({ script: { rate: [{ value: [] }] } })],
      clock: createFakeClock({ auto: true, start: T0 }),
    });
    expect(result).toMatchObject({ phase: 'Error', message: expect.stringContaining('metrics[0].noData: must be one of') });
  });
});
