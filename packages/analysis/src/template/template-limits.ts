/**
 * Bounds on templates, checked before any work is done on the input, so a
 * manifest from an untrusted author cannot stall the process.
 */
export const templateLimits = {
  /** Longest `dryRun[].metricName` / `measurementRetention[].metricName` regular expression. */
  maxMetricNamePatternLength: 512,
  /**
   * Largest such pattern, in RE2 instructions with counted repetitions
   * expanded: matching a name costs its length × this many steps.
   */
  maxMetricNamePatternSize: 1_000,
  /** Most work (name characters × pattern instructions) all rules of one run may spend matching metric names. */
  maxMetricNameMatchSteps: 10_000_000,
  /** Deepest nesting of objects and arrays in a template given as an object. */
  maxObjectDepth: 100,
  /** Most values (objects, arrays, scalars) in a template given as an object. */
  maxObjectValues: 1_000_000,
} as const;
