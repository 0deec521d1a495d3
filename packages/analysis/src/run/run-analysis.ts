import {
  type AnalysisRunArgument,
  type AnalysisRunState,
  CancelledError,
  type Clock,
  GradualError,
  type Logger,
  type MetricProvider,
  systemClock,
} from '@gradual/core';
import { throwIfAborted } from '@gradual/core/adapter';
import type { AnalysisTemplate, DryRunRule, MeasurementRetentionRule } from '../template/analysis-template-types.js';
import { resolveTemplateRefs } from '../template/flatten-templates.js';
import { isCompleted } from './assess-metric-status.js';
import { createConditionCache } from './condition-cache.js';
import { DEFAULT_MEASUREMENT_TIMEOUT_MS } from './create-analysis-runner.js';
import { reconcileRunState, runDataOf, stateOf, terminateRunState } from './run-engine.js';
import type { AnalysisRunResult } from './run-types.js';
import type { SecretResolver } from './secret-resolver.js';
import { type RunMetrics, startRun } from './start-run.js';
import { type AnalysisTemplateInput, parseTemplateInputs } from './template-inputs.js';

/** What `runAnalysis` runs, and how. */
export interface RunAnalysisOptions {
  /** All of these run together, merged as Argo merges a Rollout's templates. */
  templates: readonly AnalysisTemplateInput[];
  /** Values for the templates' args; only declared args are taken. */
  args?: readonly AnalysisRunArgument[] | undefined;
  /** Providers, matched to metrics by `type`. */
  providers: readonly MetricProvider[];
  /** Where time comes from; the system clock by default. */
  clock?: Clock | undefined;
  /** Cancels the run: the promise rejects with a CancelledError. */
  signal?: AbortSignal | undefined;
  /** Ends the run as Argo's `terminate` does: no new measurements, open-ended metrics end Successful. */
  terminate?: AbortSignal | undefined;
  resolveSecret?: SecretResolver | undefined;
  dryRun?: readonly DryRunRule[] | undefined;
  measurementRetention?: readonly MeasurementRetentionRule[] | undefined;
  /**
   * A provider call still pending after this long (wall time) becomes an Error measurement; default 60 000.
   * A metric with a longer timeout of its own (Prometheus `timeout`, web `timeoutSeconds`) gets that plus 10 s.
   */
  measurementTimeoutMs?: number | undefined;
  /** Name of the run in messages; default `analysis`. */
  name?: string | undefined;
  logger?: Logger | undefined;
}

/**
 * Runs analysis on its own, outside any rollout, until the run completes:
 * measures on schedule through the clock and resolves with the final status.
 * A run of open-ended metrics (interval without count) lasts until
 * `terminate` fires or a limit is broken.
 *
 * @example
 * const result = await runAnalysis({ templates: [yaml], args: [{ name: 'service-name', value: 'checkout' }], providers: [prometheus] });
 * result.phase; // 'Successful' | 'Failed' | 'Inconclusive' | 'Error'
 */
export async function runAnalysis(options: RunAnalysisOptions): Promise<AnalysisRunResult> {
  const clock = options.clock ?? systemClock;
  const signal = options.signal ?? new AbortController().signal;
  const name = options.name ?? 'analysis';
  throwIfAborted(signal, `analysis run "${name}"`);
  const given = parseTemplateInputs(options.templates);
  let metrics: RunMetrics = { metrics: [], templates: [], args: {} };
  const engine = {
    metricsOf: () => metrics,
    providers: options.providers,
    ...(options.resolveSecret ? { resolveSecret: options.resolveSecret } : {}),
    measurementTimeoutMs: options.measurementTimeoutMs ?? DEFAULT_MEASUREMENT_TIMEOUT_MS,
    compile: createConditionCache(),
  };
  const callOptions = { signal, clock, ...(options.logger ? { logger: options.logger } : {}) };
  const startedAt = clock.now();
  let state: AnalysisRunState;
  try {
    const started = startRun({
      templates: withNested(given),
      ...(options.args ? { args: options.args } : {}),
      ...(options.dryRun ? { dryRun: options.dryRun } : {}),
      ...(options.measurementRetention ? { measurementRetention: options.measurementRetention } : {}),
      providers: options.providers,
      now: startedAt,
    });
    metrics = { metrics: started.metrics, templates: started.templates, args: started.args };
    state = stateOf(name, started.data, startedAt);
  } catch (error) {
    if (!GradualError.isInstance(error)) throw error;
    return {
      phase: 'Error',
      message: error.message,
      startedAt: new Date(startedAt).toISOString(),
      completedAt: new Date(startedAt).toISOString(),
      metricResults: [],
      runSummary: { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 },
    };
  }
  const wake = options.terminate ? AbortSignal.any([signal, options.terminate]) : signal;
  for (;;) {
    if (options.terminate?.aborted) state = terminateRunState(state, clock.now());
    if (isCompleted(state.phase)) return resultOf(state);
    if (state.nextReconcileAt === undefined)
      throw new GradualError('ANALYSIS', `analysis run "${name}" is ${state.phase} but has nothing scheduled`);
    const wait = state.nextReconcileAt - clock.now();
    if (wait > 0) {
      try {
        await clock.sleep(wait, wake);
      } catch (error) {
        if (signal.aborted) throw new CancelledError(`analysis run "${name}"`, signal.reason);
        if (options.terminate?.aborted) continue;
        throw error;
      }
    }
    state = await reconcileRunState(state, engine, callOptions);
  }
}

// A template's nested `templates` are run with it, each template once.
function withNested(given: readonly AnalysisTemplate[]): AnalysisTemplate[] {
  const out: AnalysisTemplate[] = [];
  for (const template of given) {
    for (const included of [template, ...resolveTemplateRefs(template.spec.templates ?? [], given)]) {
      if (!out.includes(included)) out.push(included);
    }
  }
  return out;
}

/** The public status of a run state written by this package. */
export function resultOf(state: AnalysisRunState): AnalysisRunResult {
  const data = runDataOf(state);
  if (!data) {
    return {
      phase: state.phase,
      ...(state.message ? { message: state.message } : {}),
      startedAt: '',
      metricResults: [],
      runSummary: { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 },
    };
  }
  return {
    phase: state.phase,
    ...(state.message ? { message: state.message } : {}),
    startedAt: new Date(data.startedAt).toISOString(),
    ...(data.completedAt === undefined ? {} : { completedAt: new Date(data.completedAt).toISOString() }),
    metricResults: data.metricResults,
    runSummary: data.runSummary,
    ...(data.dryRunSummary ? { dryRunSummary: data.dryRunSummary } : {}),
  };
}
