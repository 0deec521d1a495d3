import { parseDuration } from '@gradual/core';

type Json = Record<string, unknown>;

/** `duration / speed` as a Go duration in whole milliseconds (at least 1 ms). */
export function scaleDuration(duration: string | number, speed: number): string {
  return `${Math.max(1, Math.round(parseDuration(duration) / speed))}ms`;
}

/**
 * `duration / speed` for a pause, rounded to whole seconds and at least 1 s:
 * Argo (and so gradual) counts pauses in whole seconds, so "500ms" would be
 * no pause at all and the step would pass without traffic to measure.
 */
export function scalePauseDuration(duration: string | number, speed: number): string {
  return `${Math.max(1, Math.round(parseDuration(duration) / speed / 1000))}s`;
}

/**
 * A copy of a Rollout manifest with every `pause.duration` divided by
 * `speed` (whole seconds, see `scalePauseDuration`). The demo scales the manifests rather than wrapping the Clock:
 * a clock that ran `speed` times fast would put `now()` in the future,
 * and Prometheus (with `--prometheus`) evaluates queries at that time and
 * finds no samples there. Scaled manifests keep one timeline for the
 * rollout, the proxy's counters and Prometheus.
 */
export function scaleRolloutDurations(rollout: Json, speed: number): Json {
  const copy = structuredClone(rollout);
  const steps = ((copy.spec as Json | undefined)?.strategy as Json | undefined)?.canary as Json | undefined;
  for (const step of (steps?.steps as Json[] | undefined) ?? []) {
    const pause = step.pause as Json | null | undefined;
    if (pause && pause.duration !== undefined) pause.duration = scalePauseDuration(pause.duration as string | number, speed);
  }
  return copy;
}

/** A copy of an AnalysisTemplate manifest with each metric's `interval` and `initialDelay` divided by `speed`. */
export function scaleTemplateDurations(template: Json, speed: number): Json {
  const copy = structuredClone(template);
  for (const metric of ((copy.spec as Json | undefined)?.metrics as Json[] | undefined) ?? []) {
    for (const field of ['interval', 'initialDelay'] as const) {
      if (metric[field] !== undefined) metric[field] = scaleDuration(metric[field] as string | number, speed);
    }
  }
  return copy;
}
