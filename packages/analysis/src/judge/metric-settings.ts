import type { CanaryMetricConfig } from './canary-config.js';

/** A metric's judge settings with Kayenta's defaults applied. */
export interface ResolvedMetricSettings {
  direction: 'increase' | 'decrease' | 'either';
  nanStrategy: 'remove' | 'replace';
  critical: boolean;
  mustHaveData: boolean;
  muted: boolean;
  effectSizeMeasure: 'meanRatio' | 'cles';
  allowedIncrease: number;
  allowedDecrease: number;
  criticalIncrease: number;
  criticalDecrease: number;
  removeOutliers: boolean;
  outlierFactor: number;
}

/** Applies Kayenta's defaults (NetflixACAJudge) to a metric already checked by `parseCanaryConfig`. */
export function resolveMetricSettings(metric: CanaryMetricConfig): ResolvedMetricSettings {
  const canary = metric.analysisConfigurations?.canary ?? {};
  const measure = canary.effectSize?.measure ?? 'meanRatio';
  // A CLES of 0.5 means "no difference", as a ratio of 1 does.
  const neutral = measure === 'cles' ? 0.5 : 1;
  return {
    direction: canary.direction ?? 'either',
    nanStrategy: canary.nanStrategy ?? 'remove',
    critical: canary.critical ?? false,
    mustHaveData: canary.mustHaveData ?? false,
    muted: canary.muted ?? false,
    effectSizeMeasure: measure,
    allowedIncrease: canary.effectSize?.allowedIncrease ?? neutral,
    allowedDecrease: canary.effectSize?.allowedDecrease ?? neutral,
    criticalIncrease: canary.effectSize?.criticalIncrease ?? neutral,
    criticalDecrease: canary.effectSize?.criticalDecrease ?? neutral,
    removeOutliers: canary.outliers?.strategy === 'remove',
    outlierFactor: canary.outliers?.outlierFactor ?? 3,
  };
}
