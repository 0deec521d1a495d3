import { createHash } from 'node:crypto';
import {
  type AnalysisMetric,
  type AnalysisRunArgument,
  type AnalysisTemplateRef,
  GradualError,
  type MetricProvider,
} from '@gradual/core';
import type { AnalysisTemplate, DryRunRule, MeasurementRetentionRule } from '../template/analysis-template-types.js';
import { flattenTemplates } from '../template/flatten-templates.js';
import { metricIssues } from '../template/metric-issues.js';
import { compileMetricNamePattern, type MetricNamePattern } from '../template/metric-name-pattern.js';
import { resolveArgs } from '../template/resolve-args.js';
import { substituteArgs } from '../template/substitute-args.js';
import { templateLimits } from '../template/template-limits.js';
import { metricSettings } from './metric-settings.js';
import { DEFAULT_MEASUREMENT_RETENTION } from './record-measurement.js';
import type { AnalysisRunData, MetricResult } from './run-types.js';

/** What a run is made of. */
export interface StartRunInput {
  /** The templates of the run, nested ones already included, in order. */
  templates: readonly AnalysisTemplate[];
  args?: readonly AnalysisRunArgument[] | undefined;
  dryRun?: readonly DryRunRule[] | undefined;
  measurementRetention?: readonly MeasurementRetentionRule[] | undefined;
  providers: readonly MetricProvider[];
  /** Epoch ms the run starts at. */
  now: number;
  /** The template references the run came from, kept so a runner can rebuild its metrics. */
  refs?: readonly AnalysisTemplateRef[] | undefined;
}

/** A new run: its JSON state, and the full metrics (with provider blocks) that the state leaves out. */
export interface StartedRun extends RunMetrics {
  data: AnalysisRunData;
}

/** What measurements are taken from. */
export interface RunMetrics {
  /** The metrics with plain args substituted (secret placeholders kept): what the run state and checks see. */
  metrics: AnalysisMetric[];
  /**
   * The metrics as the templates wrote them. A run with secret args substitutes
   * plain and secret values into these in one pass at measurement time, as
   * Argo does over the whole metric, so an inserted value is never read again
   * as a placeholder.
   */
  templates: AnalysisMetric[];
  /** The plain args' values. */
  args: Record<string, string>;
}

/**
 * Builds a run's initial state: merges the templates, resolves args,
 * substitutes the plain ones, checks the result and the rules. Pure.
 *
 * @throws GradualError whose message is the run's `Error` message (Argo's setup errors).
 */
export function startRun(input: StartRunInput): StartedRun {
  const flat = flattenTemplates(input.templates);
  if (flat.metrics.length === 0) throw new GradualError('TEMPLATE', 'no metrics specified');
  const args = resolveArgs(flat.args, input.args);
  const secretNames = new Set(args.secrets.map((secret) => secret.name));
  let metrics = flat.metrics;
  try {
    metrics = substituteArgs(flat.metrics, args.values, secretNames);
  } catch (error) {
    throw new GradualError('ARGUMENT', `Unable to resolve metric arguments: ${(error as Error).message}`, { cause: error });
  }
  const problems: string[] = [];
  metrics.forEach((metric, i) => {
    const issues = metricIssues(metric, `metrics[${i}]`);
    for (const issue of issues) problems.push(`${issue.path}: ${issue.message}`);
    try {
      if (issues.length === 0) metricSettings(metric);
    } catch (error) {
      // e.g. a `count` from a secret arg: scheduling fields must be known when the run starts.
      problems.push(`metrics[${i}].${(error as Error).message}`);
    }
    const type = Object.keys(metric.provider ?? {})[0];
    const provider = input.providers.find((candidate) => candidate.type === type);
    if (type !== undefined && !provider) {
      problems.push(
        `metrics[${i}].provider: no MetricProvider of type "${type}" was given (have: ${input.providers.map((p) => p.type).join(', ') || 'none'})`,
      );
    }
    if (provider?.validate && !JSON.stringify(metric).includes('{{')) {
      for (const issue of provider.validate(metric))
        problems.push(`metrics[${i}]${issue.path ? `.${issue.path}` : ''}: ${issue.message}`);
    }
  });
  if (problems.length > 0) throw new GradualError('TEMPLATE', `invalid metrics: ${problems.join('; ')}`);

  const names = metrics.map((metric) => metric.name);
  const budget = { steps: templateLimits.maxMetricNameMatchSteps };
  const dryRun = new Set<string>();
  [...flat.dryRun, ...(input.dryRun ?? [])].forEach((rule, i) => {
    const matched = matching(rule.metricName, names, `dryRun[${i}]`, budget);
    for (const name of matched) dryRun.add(name);
  });
  const retention: Record<string, number> = {};
  [...flat.measurementRetention, ...(input.measurementRetention ?? [])].forEach((rule, i) => {
    for (const name of matching(rule.metricName, names, `measurementRetention[${i}]`, budget)) retention[name] = rule.limit;
  });
  const metricResults = metrics.map(
    (metric): MetricResult => ({
      name: metric.name,
      phase: 'Pending',
      count: 0,
      successful: 0,
      failed: 0,
      inconclusive: 0,
      error: 0,
      consecutiveError: 0,
      consecutiveSuccess: 0,
      measurements: [],
      ...(dryRun.has(metric.name) ? { dryRun: true } : {}),
    }),
  );
  for (const name of names) retention[name] ??= DEFAULT_MEASUREMENT_RETENTION;
  const data: AnalysisRunData = {
    version: 1,
    startedAt: input.now,
    metrics: metrics.map(({ provider, ...rest }) => ({ ...rest, providerType: Object.keys(provider)[0] as string })),
    fingerprint: fingerprintOf(metrics),
    request: {
      templates: (input.refs ?? []).map((ref) => ({ ...ref })),
      args: (input.args ?? []).map((arg) => structuredClone(arg)),
      ...(input.dryRun ? { dryRun: [...input.dryRun] } : {}),
      ...(input.measurementRetention ? { measurementRetention: [...input.measurementRetention] } : {}),
    },
    secretArgs: args.secrets,
    retention,
    metricResults,
    runSummary: { count: metrics.length, successful: 0, failed: 0, inconclusive: 0, error: 0 },
  };
  return { data, metrics, templates: flat.metrics, args: args.values };
}

/** SHA-256 of the metrics' JSON: tells whether rebuilt metrics are the ones a run started with. */
export function fingerprintOf(metrics: readonly AnalysisMetric[]): string {
  return createHash('sha256').update(JSON.stringify(metrics)).digest('hex');
}

/** Argo's prefix for a run whose rules or metrics are invalid (`analysis/analysis.go`). */
export const SPEC_INVALID = 'Analysis spec invalid: ';

/**
 * Argo matches metric names with Go regular expressions, unanchored
 * (`regexp.MatchString`): `.*` means all, and `*`, which Go cannot compile,
 * matches nothing. `budget` holds the matching work left for the whole run.
 */
function matching(pattern: string, names: readonly string[], path: string, budget: { steps: number }): string[] {
  const invalid = (reason: string) => new GradualError('TEMPLATE', `${SPEC_INVALID}${path}: ${reason}`);
  let compiled: MetricNamePattern;
  try {
    compiled = compileMetricNamePattern(pattern);
  } catch (error) {
    throw invalid(`Rule didn't match any metric name(s): ${(error as Error).message}`);
  }
  for (const name of names) budget.steps -= (name.length + 1) * compiled.size;
  if (budget.steps < 0) {
    throw invalid(
      `matching metricName ${JSON.stringify(pattern.slice(0, 64))} against the metric names would exceed ${templateLimits.maxMetricNameMatchSteps} steps`,
    );
  }
  const matched = names.filter((name) => compiled.regex.matcher(name).find());
  if (matched.length === 0) throw invalid("Rule didn't match any metric name(s)");
  return matched;
}
