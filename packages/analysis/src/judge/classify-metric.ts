import { commonLanguageEffectSize, meanRatio } from './effect-size.js';
import { mannWhitneyInterval, type PreparedSamples, prepareSamples, wilcoxonDiff } from './mann-whitney.js';
import type { ResolvedMetricSettings } from './metric-settings.js';
import { normalQuantile } from './normal-quantile.js';

/** Kayenta's per-metric labels. `NodataFailMetric` is missing data that counts as a failure (`mustHaveData`). */
export type MetricClassificationLabel = 'Pass' | 'High' | 'Low' | 'Nodata' | 'NodataFailMetric' | 'Error';

/** How ties are treated; see docs/canary-judge.md. */
export type TieRule = 'gradual' | 'kayenta';

/** The statistical settings of the classifier (NetflixACAJudge fixes tolerance 0.25, confidence 0.98). */
export interface ClassifierOptions {
  /** Fraction of the estimate the confidence interval must clear. */
  tolerance: number;
  /** Confidence level of the interval, e.g. 0.98. */
  confidenceLevel: number;
  /** `gradual` (default) adds the tie rule; `kayenta` decides exactly as Kayenta does. */
  ties?: TieRule | undefined;
}

/** The Mann-Whitney numbers behind a classification. */
export interface ShiftInterval {
  /** Lower confidence bound of the shift canary − baseline. */
  lower: number;
  /** Upper confidence bound. */
  upper: number;
  /** Hodges-Lehmann estimate of the shift. */
  estimate: number;
  /** tolerance · |estimate|: the interval must lie beyond ± this. */
  bound: number;
}

/** One metric's classification and why. */
export interface MetricClassification {
  classification: MetricClassificationLabel;
  reason?: string | undefined;
  /** A critical metric that failed (or had no data): the summary score becomes 0. */
  critical: boolean;
  /** mean(canary) / mean(baseline); NaN when a mean is 0; 1 when no comparison was made. */
  ratio: number;
  /** The effect size measured with the metric's measure (equals `ratio` for meanRatio). */
  effectSize?: number | undefined;
  interval?: ShiftInterval | undefined;
  /** Set when the tie rule decided: the standardised rank statistic at shift 0. */
  tieRuleZ?: number | undefined;
}

type Settings = Pick<
  ResolvedMetricSettings,
  | 'direction'
  | 'nanStrategy'
  | 'critical'
  | 'mustHaveData'
  | 'effectSizeMeasure'
  | 'allowedIncrease'
  | 'allowedDecrease'
  | 'criticalIncrease'
  | 'criticalDecrease'
>;

/**
 * Classifies one metric as Kayenta's MannWhitneyClassifier does, on series
 * already transformed (no NaN). Throws only for inputs Kayenta also cannot
 * compare (every observation tied); the judge reports that as `Error`.
 */
export function classifyMetric(
  experiment: readonly number[],
  control: readonly number[],
  settings: Settings,
  options: ClassifierOptions,
): MetricClassification {
  if (experiment.length === 0 || control.length === 0) {
    if (settings.nanStrategy === 'replace') return { classification: 'Pass', critical: false, ratio: 1 };
    const side =
      experiment.length === 0 && control.length === 0 ? 'canary and baseline' : experiment.length === 0 ? 'canary' : 'baseline';
    const reason = `no data for the ${side}`;
    if (settings.mustHaveData && !settings.critical)
      return { classification: 'NodataFailMetric', reason: `${reason} (mustHaveData)`, critical: false, ratio: 1 };
    return { classification: 'Nodata', reason, critical: settings.critical, ratio: 1 };
  }
  const samples = prepareSamples(experiment, control);
  if (samplesEqual(samples))
    return { classification: 'Pass', reason: 'canary and baseline data are identical', critical: false, ratio: 1 };
  if (
    samples.x[0] === samples.x[samples.x.length - 1] &&
    samples.x[0] === samples.y[0] &&
    samples.y[0] === samples.y[samples.y.length - 1]
  )
    return { classification: 'Pass', reason: 'every point has the same value', critical: false, ratio: 1 };

  const ratio = meanRatio(samples.x, samples.y);
  const effectSize = settings.effectSizeMeasure === 'cles' ? commonLanguageEffectSize(samples) : ratio;
  const shift = shiftInterval(samples, options);
  const increaseAllowed = settings.direction === 'increase' || settings.direction === 'either';
  const decreaseAllowed = settings.direction === 'decrease' || settings.direction === 'either';
  const bigEnough = (limit: number, above: boolean) =>
    Number.isNaN(effectSize) || (above ? effectSize >= limit : effectSize <= limit);

  let label: 'Pass' | 'High' | 'Low' = 'Pass';
  let tieRuleZ: number | undefined;
  if (increaseAllowed && shift.lower > shift.bound && bigEnough(settings.allowedIncrease, true)) label = 'High';
  else if (decreaseAllowed && shift.upper < -shift.bound && bigEnough(settings.allowedDecrease, false)) label = 'Low';
  else if ((options.ties ?? 'gradual') === 'gradual') {
    const decided = tieRule(samples, shift, options.confidenceLevel);
    if (decided && ((decided.label === 'High' && increaseAllowed) || (decided.label === 'Low' && decreaseAllowed))) {
      if (bigEnough(decided.label === 'High' ? settings.allowedIncrease : settings.allowedDecrease, decided.label === 'High')) {
        label = decided.label;
        tieRuleZ = decided.z;
      }
    }
  }
  const facts = { ratio, effectSize, interval: shift, ...(tieRuleZ !== undefined ? { tieRuleZ } : {}) };
  if (label === 'Pass') return { classification: 'Pass', critical: false, ...facts };

  const critical =
    settings.critical &&
    (label === 'High' ? bigEnough(settings.criticalIncrease, true) : bigEnough(settings.criticalDecrease, false));
  const reason = describeChange(label, shift, effectSize, settings, options, tieRuleZ) + (critical ? ' (critical)' : '');
  return { classification: label, reason, critical, ...facts };
}

function shiftInterval(samples: PreparedSamples, options: ClassifierOptions): ShiftInterval {
  const { x, y } = samples;
  const constant = (values: Float64Array) => values[0] === values[values.length - 1];
  // Both samples constant (and different): the shift is known exactly. Kayenta adds random noise
  // here so that its interval search does not divide by a zero variance; the exact shift is the
  // limit of what that noise gives, without the randomness.
  const interval =
    constant(x) && constant(y)
      ? {
          lower: (x[0] as number) - (y[0] as number),
          upper: (x[0] as number) - (y[0] as number),
          estimate: (x[0] as number) - (y[0] as number),
        }
      : mannWhitneyInterval(samples, options.confidenceLevel);
  return { ...interval, bound: options.tolerance * Math.abs(interval.estimate) };
}

/**
 * The tie rule. Canary values equal to baseline values are ties at shift 0,
 * but "lower" at any shift above 0; the interval inverts the test on that
 * side, so when many values are equal its bound falls to 0 even though the
 * test of "no change" rejects. When no canary − baseline difference lies
 * between 0 and the tolerance bound (the ranks are the same all the way), the
 * interval cannot tell "no change" from a change beyond the tolerance, and the
 * tie-corrected test at shift 0 decides, at the same confidence.
 */
function tieRule(
  samples: PreparedSamples,
  shift: ShiftInterval,
  confidenceLevel: number,
): { label: 'High' | 'Low'; z: number } | undefined {
  if (!hasDifference(samples, 0, 0)) return undefined;
  const critical = -normalQuantile((1 - confidenceLevel) / 2);
  const z = wilcoxonDiff(samples, 0, 0);
  if (z > critical && shift.estimate > 0 && !hasDifference(samples, Number.MIN_VALUE, shift.bound)) return { label: 'High', z };
  if (z < -critical && shift.estimate < 0 && !hasDifference(samples, -shift.bound, -Number.MIN_VALUE)) return { label: 'Low', z };
  return undefined;
}

/** Whether some canary − baseline difference lies in [low, high]. */
function hasDifference(samples: PreparedSamples, low: number, high: number): boolean {
  const { x, y } = samples;
  for (const value of x) {
    // Differences value − y[j] fall as j grows: find the first j with value − y[j] <= high.
    let from = 0;
    let to = y.length;
    while (from < to) {
      const middle = (from + to) >>> 1;
      if (value - (y[middle] as number) <= high) to = middle;
      else from = middle + 1;
    }
    if (from < y.length && value - (y[from] as number) >= low) return true;
  }
  return false;
}

function samplesEqual(samples: PreparedSamples): boolean {
  const { x, y } = samples;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function describeChange(
  label: 'High' | 'Low',
  shift: ShiftInterval,
  effectSize: number,
  settings: Settings,
  options: ClassifierOptions,
  tieRuleZ: number | undefined,
): string {
  const n = (value: number) => (Number.isNaN(value) ? 'n/a' : Number(value.toPrecision(4)).toString());
  const confidence = `${Math.round(options.confidenceLevel * 100)}%`;
  const effect = `${settings.effectSizeMeasure === 'cles' ? 'CLES' : 'mean ratio'} ${n(effectSize)}`;
  const direction = label === 'High' ? 'higher' : 'lower';
  if (tieRuleZ !== undefined)
    return `canary ${direction} than baseline: tied rank test of no change rejected at ${confidence} (z ${n(tieRuleZ)}), estimate ${n(shift.estimate)}, ${effect}`;
  return `canary ${direction} than baseline: ${confidence} interval of the shift [${n(shift.lower)}, ${n(shift.upper)}] is beyond ±${n(shift.bound)} (${options.tolerance * 100}% of the estimate ${n(shift.estimate)}), ${effect}`;
}
