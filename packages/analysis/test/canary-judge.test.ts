import { readFileSync } from 'node:fs';
import { ValidationError } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import { type CanaryConfig, judgeCanary } from '../src/index.js';

// Kayenta's own canary configs from its Prometheus integration tests (spinnaker/kayenta@a69573be,
// kayenta-integration-tests/src/test/resources/canary-configs/prometheus/), unchanged.
const cpuConfig = readFileSync(new URL('./fixtures/kayenta/integration-test-cpu.json', import.meta.url), 'utf8');
const mutedConfig = readFileSync(new URL('./fixtures/kayenta/muted-metric.json', import.meta.url), 'utf8');

/** Deterministic uniform points in [low, high] (a small LCG), like Kayenta's random gauges but reproducible. */
function uniform(seed: number, count: number, low: number, high: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return low + ((high - low) * state) / 2 ** 32;
  });
}

const config = (metrics: CanaryConfig['metrics'], extra: Partial<CanaryConfig> = {}): CanaryConfig => ({
  name: 'test',
  metrics,
  classifier: { groupWeights: {}, scoreThresholds: { pass: 75, marginal: 50 } },
  ...extra,
});
const metric = (name: string, canary: Record<string, unknown> = {}, groups = ['g']) => ({
  name,
  query: { type: 'prometheus', metricName: name },
  groups,
  analysisConfigurations: { canary },
});

describe("Kayenta's Prometheus integration cases (application-cases.yml), judged on reproducible data", () => {
  // Kayenta's expectations: PrometheusStandaloneCanaryAnalysisTest (60 one-second points per scope).
  it('cpu-successful-analysis-case: baseline 40–45, canary 39–46 → metric Pass, score 100, Pass', () => {
    const judgement = judgeCanary({
      config: cpuConfig,
      control: { 'CPU usage for service': uniform(1, 60, 40, 45) },
      experiment: { 'CPU usage for service': uniform(2, 60, 39, 46) },
      thresholds: { pass: 75, marginal: 50 },
    });
    expect(judgement.metrics[0]?.classification).toBe('Pass');
    expect(judgement).toMatchObject({ score: 100, verdict: 'Pass' });
  });

  it('cpu-marginal-analysis-case: baseline 10–20, canary 20–23 → critical High, score 0, Fail', () => {
    const judgement = judgeCanary({
      config: cpuConfig,
      control: { 'CPU usage for service': uniform(3, 60, 10, 20) },
      experiment: { 'CPU usage for service': uniform(4, 60, 20, 23) },
      thresholds: { pass: 75, marginal: 50 },
    });
    expect(judgement.metrics[0]).toMatchObject({ classification: 'High', critical: true });
    expect(judgement).toMatchObject({ score: 0, verdict: 'Fail' });
    expect(judgement.reason).toMatch(
      /^critical metric "CPU usage for service" was classified High: canary higher than baseline: 98% interval/,
    );
    // The numbers behind it.
    const interval = judgement.metrics[0]?.interval;
    expect(interval?.lower).toBeGreaterThan(interval?.bound as number);
    expect(judgement.metrics[0]?.ratio).toBeGreaterThan(1.3);
  });

  it('muted-metric-analysis-case: the muted metric is High but left out; score 100, Pass', () => {
    const judgement = judgeCanary({
      config: mutedConfig,
      control: { 'Failing metric': uniform(5, 60, 40, 45), 'Successful metric': uniform(6, 60, 40, 45) },
      experiment: { 'Failing metric': Array(60).fill(1000), 'Successful metric': uniform(7, 60, 40, 45) },
      thresholds: { pass: 75, marginal: 50 },
    });
    expect(judgement.metrics.map((m) => [m.name, m.classification, m.muted])).toEqual([
      ['Failing metric', 'High', true],
      ['Successful metric', 'Pass', false],
    ]);
    expect(judgement).toMatchObject({ score: 100, verdict: 'Pass' });
  });
});

describe('judgeCanary', () => {
  it('is deterministic and plain JSON: the same input gives the same judgement', () => {
    const input = {
      config: config([metric('latency'), metric('errors', { direction: 'increase' })]),
      control: { latency: uniform(8, 200, 100, 120), errors: Array(50).fill(1) },
      experiment: { latency: uniform(9, 200, 101, 121), errors: Array(50).fill(3) },
    };
    const first = judgeCanary(input);
    expect(judgeCanary(input)).toEqual(first);
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
    // Two constant, different samples: Kayenta adds random noise here; gradual uses the exact shift.
    expect(first.metrics[1]).toMatchObject({ classification: 'High', interval: { lower: 2, upper: 2, estimate: 2, bound: 0.5 } });
  });

  it('scores a group of three (Pass, High, Low) 33.33: Fail', () => {
    const judgement = judgeCanary({
      config: config([metric('a'), metric('b'), metric('c')]),
      control: { a: uniform(20, 30, 10, 20), b: uniform(21, 30, 10, 20), c: uniform(22, 30, 30, 60) },
      experiment: { a: uniform(23, 30, 10, 20), b: uniform(24, 30, 30, 60), c: uniform(25, 30, 10, 20) },
    });
    expect(judgement.metrics.map((m) => m.classification)).toEqual(['Pass', 'High', 'Low']);
    expect(judgement).toMatchObject({ score: 33.33, verdict: 'Fail' });
    expect(judgement.groups).toEqual([
      { name: 'g', score: (1 / 3) * 100, noData: false, weight: 100, counts: { Pass: 1, High: 1, Low: 1 } },
    ]);
  });

  it('no data: Nodata is left out of its group, mustHaveData counts it as a failure, half the metrics without data is 0', () => {
    const base = { control: { a: [1, 2, 3], b: [1, 2, 3], c: [1, 2, 3] }, experiment: { a: [1, 2, 3], b: [1, 2, 3] } };
    const plain = judgeCanary({ config: config([metric('a'), metric('b'), metric('c')]), ...base });
    expect(plain.metrics[2]).toMatchObject({ classification: 'Nodata', reason: 'no data for the canary' });
    expect(plain.score).toBe(100);
    const required = judgeCanary({ config: config([metric('a'), metric('b'), metric('c', { mustHaveData: true })]), ...base });
    expect(required.metrics[2]).toMatchObject({
      classification: 'NodataFailMetric',
      reason: 'no data for the canary (mustHaveData)',
    });
    expect(required).toMatchObject({ score: 66.67, verdict: 'Marginal' });
    const half = judgeCanary({ config: config([metric('a'), metric('c')]), control: { a: [1], c: [1] }, experiment: { a: [1] } });
    expect(half).toMatchObject({ score: 0, verdict: 'Fail', reason: '1 of 2 metrics had no data (50% or more)' });
  });

  it('NaN points: removed by default, replaced by 0 with nanStrategy replace; both reported', () => {
    const judgement = judgeCanary({
      config: config([metric('removed'), metric('replaced', { nanStrategy: 'replace' })]),
      control: { removed: [1, null, 2, Number.NaN], replaced: [1, 1] },
      experiment: { removed: [1, 2], replaced: [null, null] },
    });
    expect(judgement.metrics[0]?.control).toMatchObject({ count: 2, nanPoints: 2 });
    expect(judgement.metrics[1]?.experiment).toMatchObject({ count: 2, nanPoints: 2, mean: 0 });
  });

  it('±Infinity points (a division by zero in PromQL) count as NaN, so the judgement stays finite JSON', () => {
    const judgement = judgeCanary({
      config: config([metric('ratio')]),
      control: { ratio: [...uniform(30, 40, 1, 2), Number.POSITIVE_INFINITY] },
      experiment: { ratio: [...uniform(31, 40, 1, 2), Number.NEGATIVE_INFINITY] },
    });
    expect(judgement.metrics[0]).toMatchObject({
      classification: 'Pass',
      control: { count: 40, nanPoints: 1 },
      experiment: { count: 40, nanPoints: 1 },
    });
    expect(JSON.parse(JSON.stringify(judgement))).toEqual(judgement);
  });

  it("outliers: removed with Kayenta's IQR rule when asked, and counted", () => {
    const control = uniform(10, 50, 10, 11);
    const experiment = [...uniform(11, 49, 10, 11), 10_000];
    const kept = judgeCanary({ config: config([metric('m')]), control: { m: control }, experiment: { m: experiment } });
    const removed = judgeCanary({
      config: config([metric('m', { outliers: { strategy: 'remove', outlierFactor: 3 } })]),
      control: { m: control },
      experiment: { m: experiment },
    });
    expect(kept.metrics[0]?.experiment.outliers).toBe(0);
    expect(removed.metrics[0]?.experiment).toMatchObject({ outliers: 1, count: 49 });
    expect(removed.metrics[0]?.experiment.max).toBeLessThan(11);
  });

  it('group weights: configured groups weigh as written, the others share the rest', () => {
    const judgement = judgeCanary({
      config: config([metric('a', {}, ['x']), metric('b', {}, ['y']), metric('c', {}, ['z'])], {
        classifier: { groupWeights: { x: 50 }, scoreThresholds: { pass: 90, marginal: 50 } },
      }),
      control: { a: [1, 2, 3], b: [1, 2, 3], c: [1, 2, 3] },
      experiment: { a: [1, 2, 3], b: [1, 2, 3], c: [10, 20, 30] },
    });
    expect(judgement.groups.map((group) => [group.name, group.weight, group.score])).toEqual([
      ['x', 50, 100],
      ['y', 25, 100],
      ['z', 25, 0],
    ]);
    expect(judgement).toMatchObject({ score: 75, verdict: 'Marginal' });
  });

  it('direction and effect size: an increase on a decrease-only metric passes; a big shift below allowedIncrease passes', () => {
    const control = uniform(12, 40, 10, 11);
    const experiment = uniform(13, 40, 12, 13);
    const judge = (canary: Record<string, unknown>) =>
      judgeCanary({ config: config([metric('m', canary)]), control: { m: control }, experiment: { m: experiment } }).metrics[0];
    expect(judge({})?.classification).toBe('High');
    expect(judge({ direction: 'decrease' })?.classification).toBe('Pass');
    expect(judge({ effectSize: { allowedIncrease: 1.5 } })?.classification).toBe('Pass');
    expect(judge({ effectSize: { measure: 'cles', allowedIncrease: 0.9 } })).toMatchObject({
      classification: 'High',
      effectSize: { measure: 'cles', value: 1 },
    });
  });

  describe('the tie rule (kayenta#780, spinnaker#6278)', () => {
    // The report's case: seven canary points at 100 and three at 1 against ten baseline points at 1.
    const seven = { control: { m: Array(10).fill(1) }, experiment: { m: [...Array(7).fill(100), 1, 1, 1] } };
    const eight = { control: { m: Array(10).fill(1) }, experiment: { m: [...Array(8).fill(100), 1, 1] } };
    const cfg = config([metric('m', { effectSize: { allowedIncrease: 1.05 } })]);

    it("Kayenta passes 7 of 10 points at 100× the baseline: its interval's lower bound falls onto the tie at 0", () => {
      const judgement = judgeCanary({ config: cfg, ...seven, ties: 'kayenta' });
      expect(judgement.metrics[0]).toMatchObject({ classification: 'Pass', ratio: 70.3 });
      // The numbers of the report: CI ≈ (6.8e-5, 99), estimate ≈ 99.
      expect(judgement.metrics[0]?.interval?.lower).toBeCloseTo(6.825e-5, 8);
      expect(judgement.metrics[0]?.interval?.upper).toBe(99);
      expect(judgement.metrics[0]?.interval?.estimate).toBeCloseTo(99, 3);
    });

    it('gradual classifies it High: the tied rank test of no change rejects at 98% and nothing lies between 0 and the tolerance', () => {
      const judgement = judgeCanary({ config: cfg, ...seven });
      expect(judgement.metrics[0]).toMatchObject({ classification: 'High' });
      expect(judgement.metrics[0]?.tieRuleZ).toBeCloseTo(3.1529, 4);
      expect(judgement.metrics[0]?.reason).toMatch(/tied rank test of no change rejected at 98% \(z 3\.153\)/);
      expect(judgement.score).toBe(0);
    });

    it('both say High with eight points at 100, where the interval clears the tolerance', () => {
      expect(judgeCanary({ config: cfg, ...eight, ties: 'kayenta' }).metrics[0]?.classification).toBe('High');
      expect(judgeCanary({ config: cfg, ...eight }).metrics[0]).toMatchObject({ classification: 'High' });
      expect(judgeCanary({ config: cfg, ...eight }).metrics[0]?.tieRuleZ).toBeUndefined();
    });

    it('leaves alone what the test cannot tell apart: one of five canary points higher still passes', () => {
      const judgement = judgeCanary({ config: cfg, control: { m: [1, 1, 1, 1, 1] }, experiment: { m: [1, 1, 1, 1, 10] } });
      expect(judgement.metrics[0]?.classification).toBe('Pass');
    });

    it('works downwards too: 7 of 10 canary points at 0 against a baseline at 1 is Low', () => {
      const judgement = judgeCanary({
        config: config([metric('m')]),
        control: { m: Array(10).fill(1) },
        experiment: { m: [...Array(7).fill(0.01), 1, 1, 1] },
      });
      expect(judgement.metrics[0]?.classification).toBe('Low');
    });
  });

  it('refuses bad input with every problem and its path', () => {
    const bad = {
      name: 'x',
      judge: { name: 'dredd-v1.0' },
      metrics: [
        {
          name: 'a',
          query: { type: 'prometheus' },
          groups: ['g'],
          analysisConfigurations: { canary: { direction: 'Increase', outliers: { outlierFactor: 0 } } },
        },
        { name: 'a', query: {}, groups: [] },
      ],
    };
    let error: unknown;
    try {
      judgeCanary({ config: bad as unknown as CanaryConfig, control: {}, experiment: {} });
    } catch (caught) {
      error = caught;
    }
    expect(ValidationError.isValidationError(error)).toBe(true);
    expect((error as ValidationError).issues).toEqual([
      { path: 'judge.name', message: 'only NetflixACAJudge-v1.0 is implemented, got "dredd-v1.0"' },
      {
        path: 'metrics[0].analysisConfigurations.canary.direction',
        message: 'must be one of increase, decrease, either, got "Increase"',
      },
      { path: 'metrics[0].analysisConfigurations.canary.outliers.outlierFactor', message: 'must be a number > 0, got 0' },
      { path: 'metrics[1].name', message: 'duplicate metric name "a"' },
      { path: 'metrics[1].query.type', message: 'is required (the metric source, e.g. "prometheus")' },
      { path: 'metrics[1].groups', message: 'must be a non-empty list of group names' },
    ]);
    expect(() => judgeCanary({ config: '{ not json', control: {}, experiment: {} })).toThrow(
      /canary config is invalid[\s\S]*is not JSON/,
    );
    expect(() =>
      judgeCanary({ config: config([metric('a')]), control: { typo: [1] }, experiment: { a: ['1' as unknown as number] } }),
    ).toThrow(/control\.typo: no metric of the canary config is named "typo"[\s\S]*experiment\.a: must be a list of numbers/);
    expect(() => judgeCanary({ config: { ...config([metric('a')]), classifier: {} }, control: {}, experiment: {} })).toThrow(
      /thresholds: are required/,
    );
  });
});
