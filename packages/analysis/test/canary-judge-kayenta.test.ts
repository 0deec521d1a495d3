// Kayenta's own judge tests, translated: the expected labels and numbers are Kayenta's.
// Sources (spinnaker/kayenta@a69573be): kayenta-judge/src/test/scala/.../judge/{ClassifierSuite,
// ScorerSuite,StatisticSuite,DetectorSuite,TransformSuite}.scala and
// kayenta-mannwhitney/src/test/scala/.../mannwhitney/MannWhitneySuite.scala. The data of the
// long series are in fixtures/kayenta/*.json, keyed by the Scala test's name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyMetric, type TieRule } from '../src/judge/classify-metric.js';
import { describeSeries, percentile } from '../src/judge/descriptive-statistics.js';
import { commonLanguageEffectSize, meanRatio } from '../src/judge/effect-size.js';
import { findRoot } from '../src/judge/find-root.js';
import { mannWhitneyInterval, prepareSamples, wilcoxonDiff } from '../src/judge/mann-whitney.js';
import type { ResolvedMetricSettings } from '../src/judge/metric-settings.js';
import { normalQuantile } from '../src/judge/normal-quantile.js';
import { type ScorableMetric, scoreJudgement } from '../src/judge/score-judgement.js';
import { transformSeries } from '../src/judge/transform-series.js';

type Suite = Record<string, Record<string, number[]>>;
const fixture = (name: string): Suite =>
  JSON.parse(readFileSync(new URL(`./fixtures/kayenta/${name}.json`, import.meta.url), 'utf8')).tests as Suite;
const classifierData = fixture('classifier-suite');
const mannWhitneyData = fixture('mann-whitney-suite');
const statisticData = fixture('statistic-suite');

// Kayenta asserts with assertEquals(expected, actual, E).
const E = 1e-6;

// MannWhitneyClassifier's constructor defaults.
const classifierDefaults = {
  direction: 'either',
  nanStrategy: 'remove',
  critical: false,
  mustHaveData: false,
  effectSizeMeasure: 'meanRatio',
  allowedDecrease: 1,
  allowedIncrease: 1,
  criticalDecrease: 1,
  criticalIncrease: 1,
} as const;

interface ClassifierCase {
  test: string;
  tolerance: number;
  confidence: number;
  settings?: Partial<Omit<ResolvedMetricSettings, 'removeOutliers' | 'outlierFactor' | 'muted'>>;
  expected: string;
  critical?: boolean;
  ratio?: 'NaN' | number;
}

// One row per Mann-Whitney test of ClassifierSuite.scala: (decrease, increase) thresholds as Kayenta's tuples.
const classifierCases: ClassifierCase[] = [
  { test: 'Mann-Whitney Classifier Test: Pass Metric', tolerance: 0.1, confidence: 0.95, expected: 'Pass' },
  { test: 'Mann-Whitney Classifier Test: High Metric', tolerance: 0.1, confidence: 0.95, expected: 'High' },
  { test: 'Mann-Whitney Classifier Test: Low Metric', tolerance: 0.1, confidence: 0.95, expected: 'Low' },
  {
    test: 'Mann-Whitney Classifier Directional Test: Increase',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { direction: 'increase' },
    expected: 'Pass',
  },
  {
    test: 'Mann-Whitney Classifier Directional Test: Decrease',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { direction: 'decrease' },
    expected: 'Pass',
  },
  {
    test: 'Mann-Whitney Classifier Directional Test: High Metric',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { direction: 'increase' },
    expected: 'High',
    critical: false,
  },
  {
    test: 'Mann-Whitney Classifier Directional Test: Low Metric',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { direction: 'decrease' },
    expected: 'Low',
  },
  {
    test: 'Mann-Whitney Classifier Test: High Metric (Large Input)',
    tolerance: 0.1,
    confidence: 0.95,
    expected: 'High',
    critical: false,
  },
  {
    test: 'Mann-Whitney Classifier Test - Mean Ratio Effect Size: High',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { allowedDecrease: 0.8, allowedIncrease: 1.2 },
    expected: 'High',
  },
  {
    test: 'Mann-Whitney Classifier Test - Mean Ratio Effect Size: Low',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { allowedDecrease: 0.8, allowedIncrease: 1.2, direction: 'decrease' },
    expected: 'Low',
  },
  {
    test: 'Mann-Whitney Classifier Test - Mean Ratio Effect Size: Pass',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { allowedDecrease: 0.5, allowedIncrease: 1 },
    expected: 'Pass',
  },
  {
    test: 'Mann-Whitney Classifier Test - Mean Ratio Effect Size: Pass (Large Input)',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { allowedDecrease: 1, allowedIncrease: 5 },
    expected: 'Pass',
  },
  {
    test: 'Mann-Whitney Classifier Test - CLES Effect Size: Pass',
    tolerance: 0.2,
    confidence: 0.98,
    settings: { effectSizeMeasure: 'cles', allowedDecrease: 0.5, allowedIncrease: 0.8 },
    expected: 'Pass',
  },
  {
    test: 'Mann-Whitney Classifier Test - CLES Effect Size: High',
    tolerance: 0.2,
    confidence: 0.98,
    settings: { effectSizeMeasure: 'cles', allowedDecrease: 0.2, allowedIncrease: 0.8 },
    expected: 'High',
  },
  {
    test: 'Mann-Whitney Classifier Test - CLES Effect Size: Low',
    tolerance: 0.2,
    confidence: 0.98,
    settings: { effectSizeMeasure: 'cles', allowedDecrease: 0.2, allowedIncrease: 0.8 },
    expected: 'Low',
  },
  {
    test: 'Mann-Whitney Classifier Test - Critical Effect Size: Critical High',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { critical: true, criticalDecrease: 1, criticalIncrease: 1.2 },
    expected: 'High',
    critical: true,
  },
  {
    test: 'Mann-Whitney Classifier Test - Critical Effect Size: Critical Low',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { critical: true, criticalDecrease: 1.2, criticalIncrease: 1 },
    expected: 'Low',
    critical: true,
  },
  {
    test: 'Mann-Whitney Classifier Test - Critical Effect Size: High',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { critical: true, allowedDecrease: 1, allowedIncrease: 5, criticalDecrease: 1, criticalIncrease: 13 },
    expected: 'High',
    critical: false,
  },
  {
    test: 'Mann-Whitney Classifier Test - Critical Effect Size: Pass',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { critical: true, allowedDecrease: 1, allowedIncrease: 13, criticalDecrease: 1, criticalIncrease: 15 },
    expected: 'Pass',
    critical: false,
  },
  {
    test: 'Mann-Whitney Classifier Test - Critical Effect Size: Critical High (Default Thresholds)',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { critical: true },
    expected: 'High',
    critical: true,
  },
  {
    test: 'Mann-Whitney Tied Observations',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { direction: 'decrease' },
    expected: 'Pass',
  },
  {
    test: 'Mann-Whitney Identical Populations',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { direction: 'decrease' },
    expected: 'Pass',
  },
  {
    test: 'Mann-Whitney Leading Zero Identical Population',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { direction: 'decrease' },
    expected: 'Pass',
  },
  {
    test: 'Mann-Whitney Missing Experiment Data',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { direction: 'decrease' },
    expected: 'Nodata',
  },
  {
    test: 'Mann-Whitney Missing Experiment Data: Critical Metric',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { direction: 'decrease', critical: true },
    expected: 'Nodata',
    critical: true,
  },
  {
    test: 'Mann-Whitney Missing Experiment Data with NaN Replacement',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { direction: 'decrease', nanStrategy: 'replace' },
    expected: 'Pass',
  },
  { test: 'Mann-Whitney Majority Tied Observations', tolerance: 0.1, confidence: 0.95, expected: 'Pass' },
  { test: 'Mann-Whitney Tied Ranks', tolerance: 0.1, confidence: 0.95, expected: 'High' },
  { test: 'Mann-Whitney Tied Ranks With Zeros', tolerance: 0.1, confidence: 0.95, expected: 'High' },
  {
    test: 'Mann-Whitney Zero Mean: High Metric with Effect Size',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { allowedDecrease: 0.8, allowedIncrease: 1.2 },
    expected: 'High',
    ratio: 'NaN',
  },
  {
    test: 'Mann-Whitney Zero Mean: Low Metric with Effect Size',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { allowedDecrease: 0.8, allowedIncrease: 1.2 },
    expected: 'Low',
    ratio: 'NaN',
  },
  {
    test: 'Mann-Whitney Zero Mean: Critical Metric',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { critical: true, nanStrategy: 'replace', criticalDecrease: 0.8, criticalIncrease: 1.2 },
    expected: 'High',
    critical: true,
  },
  {
    test: 'Mann-Whitney Zero Mean: Pass Metric',
    tolerance: 0.1,
    confidence: 0.95,
    settings: { allowedDecrease: 0.8, allowedIncrease: 1.2 },
    expected: 'Pass',
    ratio: 1,
  },
];

describe('Kayenta ClassifierSuite: the Mann-Whitney classifier labels as Kayenta expects', () => {
  for (const ties of ['kayenta', 'gradual'] as TieRule[]) {
    it.each(classifierCases)(`$test (ties: ${ties})`, (row) => {
      const data = classifierData[row.test];
      expect(data, `fixture for ${row.test}`).toBeDefined();
      const result = classifyMetric(
        data?.['experimentData'] as number[],
        data?.['controlData'] as number[],
        { ...classifierDefaults, ...row.settings },
        { tolerance: row.tolerance, confidenceLevel: row.confidence, ties },
      );
      expect(result.classification).toBe(row.expected);
      if (row.critical !== undefined) expect(result.critical).toBe(row.critical);
      if (row.ratio === 'NaN') expect(result.ratio).toBeNaN();
      else if (row.ratio !== undefined) expect(result.ratio).toBe(row.ratio);
    });
  }

  it('Mann-Whitney Missing Data: Reason String — both series empty on a critical metric says why', () => {
    const result = classifyMetric(
      [],
      [],
      { ...classifierDefaults, direction: 'decrease', critical: true },
      { tolerance: 0.1, confidenceLevel: 0.95 },
    );
    expect(result.classification).toBe('Nodata');
    expect(result.reason).toBe('no data for the canary and baseline');
  });

  it('the Mean Inequality classifier tests are not translated: NetflixACAJudge-v1.0 never uses that classifier', () => {
    expect(Object.keys(classifierData).filter((name) => name.startsWith('Mean Inequality'))).toHaveLength(3);
  });
});

describe('Kayenta MannWhitneySuite: interval and estimate to 1e-6', () => {
  const data = (test: string) => mannWhitneyData[test] as Record<string, number[]>;

  it('Wilcoxon Diff Function', () => {
    const { x, y } = data('Wilcoxon Diff Function');
    const samples = prepareSamples(x as number[], y as number[]);
    expect(Math.abs(wilcoxonDiff(samples, 0, 0) - -1.229416)).toBeLessThanOrEqual(E);
    expect(Math.abs(wilcoxonDiff(samples, 5, 0) - -35.80606)).toBeLessThanOrEqual(E);
  });

  it('Test zQuant', () => {
    expect(Math.abs(normalQuantile(0.02 / 2) - -2.326348)).toBeLessThanOrEqual(E);
  });

  it('Mann-Whitney Confidence Interval & Estimate', () => {
    const result = mannWhitneyInterval(prepareSamples([10, 20, 30, 40], [1, 2, 3, 4]), 0.95);
    expect(Math.abs(result.lower - 6)).toBeLessThanOrEqual(E);
    expect(Math.abs(result.upper - 39)).toBeLessThanOrEqual(E);
    expect(Math.abs(result.estimate - 22.5)).toBeLessThanOrEqual(E);
  });

  it('Mann-Whitney Confidence Interval & Estimate: Problem Case', () => {
    const { experiment, control } = data('Mann-Whitney Confidence Interval & Estimate: Problem Case');
    const result = mannWhitneyInterval(prepareSamples(experiment as number[], control as number[]), 0.98);
    expect(Math.abs(result.lower - -1.4808028936386108e-5)).toBeLessThanOrEqual(E);
    expect(Math.abs(result.upper - 1.808255910873413e-5)).toBeLessThanOrEqual(E);
    expect(Math.abs(result.estimate - 1.808255910873413e-5)).toBeLessThanOrEqual(E);
  });

  it('Mann-Whitney Confidence Interval & Estimate: Tie out with R Version', () => {
    const { experiment, control } = data('Mann-Whitney Confidence Interval & Estimate: Tie out with R Version');
    const result = mannWhitneyInterval(prepareSamples(experiment as number[], control as number[]), 0.95);
    expect(Math.abs(result.lower - -0.500002521696696)).toBeLessThanOrEqual(E);
    expect(Math.abs(result.upper - -3.486287505871302e-5)).toBeLessThanOrEqual(E);
    expect(Math.abs(result.estimate - -0.4999393907180323)).toBeLessThanOrEqual(1e-4);
  });

  it('Mann-Whitney Confidence Interval & Estimate: Tie out with R Version (Large)', () => {
    const { experiment, control } = data('Mann-Whitney Confidence Interval & Estimate: Tie out with R Version (Large)');
    const result = mannWhitneyInterval(prepareSamples(experiment as number[], control as number[]), 0.98);
    expect(Math.abs(result.lower - -0.4999173250549087)).toBeLessThanOrEqual(E);
    expect(Math.abs(result.upper - -6.912685789769486e-6)).toBeLessThanOrEqual(E);
    expect(Math.abs(result.estimate - -3.45044082729315e-5)).toBeLessThanOrEqual(1e-4);
  });

  it('Mann-Whitney Intermediate Values / Variables', () => {
    const { x, y } = data('Mann-Whitney Intermediate Values / Variables');
    const samples = prepareSamples(x as number[], y as number[]);
    const muMin = Math.min(...(x as number[])) - Math.max(...(y as number[]));
    const muMax = Math.max(...(x as number[])) - Math.min(...(y as number[]));
    const zqLower = -normalQuantile(0.05 / 2);
    const zqUpper = normalQuantile(0.05 / 2);
    const f = (quantile: number) => (mu: number) => wilcoxonDiff(samples, mu, quantile);
    const near = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(E);
    near(muMin, -3.124999999999986);
    near(muMax, 5.555555555555557);
    near(zqLower, 1.9599639845400536);
    near(zqUpper, -1.9599639845400536);
    near(f(zqLower)(muMin), 17.090968923762254);
    near(f(zqLower)(muMax), -20.997687930433106);
    near(f(zqUpper)(muMin), 21.01089689284236);
    near(f(zqUpper)(muMax), -17.077759961353);
    near(findRoot(muMin, muMax, f(zqLower)(muMin), f(zqLower)(muMax), f(zqLower)), 3.521755377702165e-5);
    near(findRoot(muMin, muMax, f(zqUpper)(muMin), f(zqUpper)(muMax), f(zqUpper)), 2.02456461662334e-5);
    near(findRoot(muMin, muMax, f(0)(muMin), f(0)(muMax), f(0)), 2.6279243045155653e-5);
    // The same numbers through the judge's own entry point (no bound is clamped here).
    const interval = mannWhitneyInterval(samples, 0.95);
    near(interval.lower, 3.521755377702165e-5);
    near(interval.upper, 2.02456461662334e-5);
    near(interval.estimate, 2.6279243045155653e-5);
  });
});

describe('Kayenta ScorerSuite: weighted sum scores', () => {
  const metric = (
    name: string,
    classification: ScorableMetric['classification'],
    groups: string[],
    critical = false,
  ): ScorableMetric => ({
    name,
    classification,
    groups,
    critical,
    muted: false,
  });
  const thresholds = { pass: 75, marginal: 50 };
  const rows: { test: string; weights: Record<string, number>; metrics: ScorableMetric[]; score: number }[] = [
    { test: 'Single Metric Pass', weights: {}, metrics: [metric('a', 'Pass', ['test-group'])], score: 100 },
    { test: 'Single Metric Fail', weights: {}, metrics: [metric('a', 'High', ['test-group'])], score: 0 },
    { test: 'Single group Nodata', weights: {}, metrics: [metric('a', 'Nodata', ['test-group-nodata'])], score: 0 },
    {
      test: 'Two Groups, one Pass, one Nodata',
      weights: {},
      metrics: [
        metric('a', 'Pass', ['test-group-pass']),
        metric('b', 'Pass', ['test-group-pass']),
        metric('c', 'Nodata', ['test-group-nodata']),
      ],
      score: 100,
    },
    { test: 'One Group, Two Metrics', weights: {}, metrics: [metric('a', 'Pass', ['g']), metric('b', 'High', ['g'])], score: 50 },
    {
      test: 'One Group, Three Metrics',
      weights: {},
      metrics: [metric('a', 'Pass', ['g']), metric('b', 'High', ['g']), metric('c', 'Low', ['g'])],
      score: 33.33,
    },
    {
      test: 'Two Groups, Three Metrics',
      weights: { 'group-1': 75, 'group-2': 25 },
      metrics: [metric('a', 'Pass', ['group-1']), metric('b', 'Pass', ['group-1']), metric('c', 'High', ['group-2'])],
      score: 75,
    },
    {
      test: 'Two Groups, Three Metrics (Equal Weight)',
      weights: { 'group-1': 50, 'group-2': 50 },
      metrics: [metric('a', 'Pass', ['group-1']), metric('b', 'High', ['group-1']), metric('c', 'High', ['group-2'])],
      score: 25,
    },
    {
      test: 'Two Groups, Three Metrics (Equal Weight), one NoData',
      weights: { 'group-1': 50, 'group-2': 50 },
      metrics: [metric('a', 'Pass', ['group-1']), metric('b', 'Nodata', ['group-1']), metric('c', 'High', ['group-2'])],
      score: 50,
    },
    {
      test: 'Two Metrics, one good (normal), one fail (critical)',
      weights: {},
      metrics: [metric('a', 'Pass', ['g']), metric('b', 'High', ['g'], true)],
      score: 0,
    },
    {
      test: 'Two Metrics, one low (normal), one good (critical)',
      weights: {},
      metrics: [metric('a', 'Low', ['g']), metric('b', 'Pass', ['g'], true)],
      score: 50,
    },
    {
      test: 'Two Metrics, one good (normal), one nodata (critical)',
      weights: {},
      metrics: [metric('a', 'Pass', ['g']), metric('b', 'Nodata', ['g'], true)],
      score: 0,
    },
    {
      test: 'Two Groups (Unequal Weight), Four Metrics',
      weights: { group1: 15, group2: 85 },
      metrics: [
        metric('a', 'High', ['group1']),
        metric('b', 'Low', ['group1']),
        metric('c', 'Pass', ['group1']),
        metric('d', 'High', ['group2']),
      ],
      score: 5,
    },
  ];
  it.each(rows)('Weighted Sum Group Scorer: $test', ({ weights, metrics, score }) => {
    expect(scoreJudgement(metrics, weights, thresholds).score).toBe(score);
  });

  it('Single group Nodata: the group scores 0 and counts as no data', () => {
    const result = scoreJudgement([metric('a', 'Nodata', ['test-group-nodata'])], {}, thresholds);
    expect(result.groups).toEqual([{ name: 'test-group-nodata', score: 0, noData: true, weight: 100, counts: { Nodata: 1 } }]);
  });

  it('Two Groups, one Pass, one Nodata: group scores 0 and 100', () => {
    const result = scoreJudgement(
      [
        metric('a', 'Pass', ['test-group-pass']),
        metric('b', 'Pass', ['test-group-pass']),
        metric('c', 'Nodata', ['test-group-nodata']),
      ],
      {},
      thresholds,
    );
    expect(result.groups.map((group) => group.score).sort((a, b) => a - b)).toEqual([0, 100]);
  });
});

describe('Kayenta StatisticSuite, DetectorSuite and TransformSuite', () => {
  const stats = (test: string) => statisticData[test] as Record<string, number[]>;

  it('Summary Statistics: Scalar, List and No Data', () => {
    expect(describeSeries([4])).toEqual({ count: 1, mean: 4, min: 4, max: 4, std: 0 });
    const list = describeSeries([1, 1, 1, 10, 10, 10]);
    expect(list).toMatchObject({ min: 1, max: 10, mean: 5.5, count: 6 });
    expect(Math.abs(list.std - 4.9295)).toBeLessThanOrEqual(1e-4);
    expect(describeSeries([])).toEqual({ count: 0, mean: 0, min: 0, max: 0, std: 0 });
  });

  it('Summary Statistics: percentiles (R type 7)', () => {
    const basic = stats('Summary Statistics: Basic Percentile')['testData'] as number[];
    expect(Math.abs(percentile(basic, 5) - 0.175)).toBeLessThanOrEqual(1e-4);
    expect(percentile(basic, 50)).toBe(1.75);
    expect(percentile(basic, 100)).toBe(3.5);
    expect(
      percentile(stats('Summary Statistics: Basic Percentile Estimate (Linear Interpolation)')['testData'] as number[], 50),
    ).toBe(4.5);
    expect(percentile(stats('Summary Statistics: Percentile (NIST Data)')['testData'] as number[], 90)).toBeCloseTo(95.19568, 10);
    expect(percentile([1], 100)).toBe(1);
    const interpolated = stats('Summary Statistics: Percentile Estimate (Linear Interpolation)')['testData'] as number[];
    expect(percentile(interpolated, 25)).toBe(0);
    expect(Math.abs(percentile(interpolated, 75) - 0.0416)).toBeLessThanOrEqual(1e-4);
  });

  it.each([
    ['Effect Size: Mean Ratio (No Effect)', 1],
    ['Effect Size: Mean Ratio (High)', 10],
    ['Effect Size: Mean Ratio (Low)', 0.1],
  ])('%s', (test, expected) => {
    const { experimentData, controlData } = stats(test);
    expect(meanRatio(experimentData as number[], controlData as number[])).toBe(expected);
  });

  it('Effect Size: Mean Ratio (Zero Mean)', () => {
    const { experimentData, controlData } = stats('Effect Size: Mean Ratio (Zero Mean)');
    expect(meanRatio(experimentData as number[], controlData as number[])).toBeNaN();
  });

  it.each([
    ['CLES Effect Size: Identical', 0.5, 0],
    ['CLES Effect Size: Different (No Overlap)', 0, 0],
    ['CLES Effect Size: High Metric', 0.771, 0.001],
    ['CLES Effect Size: Low Metric', 0.12, 1e-12],
  ])('%s', (test, expected, tolerance) => {
    const { experimentData, controlData } = stats(test);
    const cles = commonLanguageEffectSize(prepareSamples(experimentData as number[], controlData as number[]));
    expect(Math.abs(cles - expected)).toBeLessThanOrEqual(tolerance);
  });

  // The judge runs the IQR detector with reduced sensitivity (fences widened to P1/P99); on
  // DetectorSuite's data it flags the same points as the plain detector the suite tests.
  it.each([
    ['IQR Detection', [21, 23, 24, 25, 50, 29, 23, 21], [21, 23, 24, 25, 29, 23, 21]],
    ['IQR Detect Two Sided', [1, 1, 1, 5, -1, -1, -1, -5], [1, 1, 1, -1, -1, -1]],
    ['IQR Empty Data', [], []],
  ])('%s', (_, data, kept) => {
    expect(transformSeries(data, { nanStrategy: 'remove', removeOutliers: true, outlierFactor: 1.5 }).values).toEqual(kept);
  });

  it('IQR NIST Test: only the last point is an outlier', () => {
    const nist = [
      30, 171, 184, 201, 212, 250, 265, 270, 272, 289, 305, 306, 322, 322, 336, 346, 351, 370, 390, 404, 409, 411, 436, 437, 439,
      441, 444, 448, 451, 453, 470, 480, 482, 487, 494, 495, 499, 503, 514, 521, 522, 527, 548, 550, 559, 560, 570, 572, 574, 578,
      585, 592, 592, 607, 616, 618, 621, 629, 637, 638, 640, 656, 668, 707, 709, 719, 737, 739, 752, 758, 766, 792, 792, 794, 802,
      818, 830, 832, 843, 858, 860, 869, 918, 925, 953, 991, 1000, 1005, 1068, 1441,
    ];
    const result = transformSeries(nist, { nanStrategy: 'remove', removeOutliers: true, outlierFactor: 1.5 });
    expect(result.values).toEqual(nist.slice(0, -1));
    expect(result.outliers).toBe(1);
  });

  it('Remove Single NaN, Remove Multiple NaN, Replace NaNs', () => {
    const keep = { removeOutliers: false, outlierFactor: 3 };
    expect(transformSeries([0, 1, Number.NaN, 1, 0], { nanStrategy: 'remove', ...keep }).values).toEqual([0, 1, 1, 0]);
    expect(transformSeries([Number.NaN, Number.NaN, null], { nanStrategy: 'remove', ...keep })).toEqual({
      values: [],
      nanPoints: 3,
      outliers: 0,
    });
    expect(transformSeries([Number.NaN, 10.1, 20.2, 30.3, null, 40.4], { nanStrategy: 'replace', ...keep }).values).toEqual([
      0, 10.1, 20.2, 30.3, 0, 40.4,
    ]);
  });
});
