import {
  type AnalysisRunner,
  type AnalysisRunState,
  type CallOptions,
  CancelledError,
  type Clock,
  GradualError,
  type MetricProvider,
  ValidationError,
} from '@gradual/core';
import { throwIfAborted } from '@gradual/core/adapter';
import { resolveTemplateRefs } from '../template/flatten-templates.js';
import { createConditionCache } from './condition-cache.js';
import { type RunEngineOptions, reconcileRunState, stateOf, terminateRunState } from './run-engine.js';
import type { AnalysisRunData } from './run-types.js';
import type { SecretResolver } from './secret-resolver.js';
import { fingerprintOf, type RunMetrics, startRun } from './start-run.js';
import { createStartedRunMemo } from './started-run-memo.js';
import { type AnalysisTemplateInput, parseTemplateInputs } from './template-inputs.js';

/** Default wall-clock guard around one provider call. */
export const DEFAULT_MEASUREMENT_TIMEOUT_MS = 60_000;

/** Settings of `createAnalysisRunner`. */
export interface AnalysisRunnerOptions {
  /** The templates requests may name (AnalysisTemplates and ClusterAnalysisTemplates). */
  templates: readonly AnalysisTemplateInput[];
  /** Providers, matched to metrics by `type` (the key under `metric.provider`). */
  providers: readonly MetricProvider[];
  /** Overrides the clock of each call's options. */
  clock?: Clock | undefined;
  /** Reads `valueFrom.secretKeyRef` args at measurement time. */
  resolveSecret?: SecretResolver | undefined;
  /**
   * A provider call still pending after this long (wall time) becomes an Error measurement; default 60 000.
   * A metric with a longer timeout of its own (Prometheus `timeout`, web `timeoutSeconds`) gets that plus 10 s.
   */
  measurementTimeoutMs?: number | undefined;
}

/**
 * The in-process AnalysisRunner for the engine: runs the templates a
 * request names with Argo's measurement and run state machine. The whole
 * run lives in the returned state's `data`, so a runner (this one or a new
 * one after a restart) continues from a persisted state exactly.
 *
 * @throws ValidationError when a template given is invalid.
 */
export function createAnalysisRunner(options: AnalysisRunnerOptions): AnalysisRunner {
  const library = parseTemplateInputs(options.templates);
  const setup = createStartedRunMemo((request) =>
    startRun({
      templates: resolveTemplateRefs(request.templates, library),
      refs: request.templates,
      args: request.args,
      ...(request.dryRun ? { dryRun: request.dryRun } : {}),
      ...(request.measurementRetention ? { measurementRetention: request.measurementRetention } : {}),
      providers: options.providers,
      now: 0,
    }),
  );
  // Rebuilt metrics by fingerprint: a run's provider blocks are not in its state.
  const rebuilt = new Map<string, RunMetrics>();
  const metricsOf = (data: AnalysisRunData): RunMetrics => {
    const known = rebuilt.get(data.fingerprint);
    if (known) return known;
    const { metrics, templates, args } = setup(data.request, data.startedAt);
    if (fingerprintOf(metrics) !== data.fingerprint) {
      throw new GradualError('TEMPLATE', 'the analysis templates changed since the run started; start a new run');
    }
    if (rebuilt.size >= 64) rebuilt.clear();
    rebuilt.set(data.fingerprint, { metrics, templates, args });
    return { metrics, templates, args };
  };
  const engine: RunEngineOptions = {
    providers: options.providers,
    ...(options.resolveSecret ? { resolveSecret: options.resolveSecret } : {}),
    measurementTimeoutMs: options.measurementTimeoutMs ?? DEFAULT_MEASUREMENT_TIMEOUT_MS,
    compile: createConditionCache(),
    metricsOf,
  };
  const withClock = (call: CallOptions): CallOptions => (options.clock ? { ...call, clock: options.clock } : call);

  return {
    specificationVersion: 'v1',
    async start(request, callOptions) {
      const call = withClock(callOptions);
      throwIfAborted(call.signal, `start of analysis run "${request.name}"`);
      const now = call.clock.now();
      try {
        const started = setup(request, now);
        rebuilt.set(started.data.fingerprint, { metrics: started.metrics, templates: started.templates, args: started.args });
        return stateOf(request.name, started.data, now);
      } catch (error) {
        // Setup problems are a run in phase Error, as Argo reports them.
        if (GradualError.isInstance(error)) return { name: request.name, phase: 'Error', message: error.message };
        throw error;
      }
    },
    // Not async: an async function that returns a promise settles its own through one more job and promise,
    // and this runs once per measurement across a fleet. Still never throws: a cancellation is a rejection.
    reconcile(run: AnalysisRunState, callOptions) {
      const call = withClock(callOptions);
      if (call.signal.aborted)
        return Promise.reject(new CancelledError(`reconcile of analysis run "${run.name}"`, call.signal.reason));
      return reconcileRunState(run, engine, call);
    },
    async terminate(run: AnalysisRunState, callOptions) {
      const call = withClock(callOptions);
      throwIfAborted(call.signal, `terminate of analysis run "${run.name}"`);
      return terminateRunState(run, call.clock.now());
    },
    async validate(request, callOptions) {
      const call = withClock(callOptions);
      throwIfAborted(call.signal, `validation of analysis run "${request.name}"`);
      try {
        setup(request, call.clock.now());
      } catch (error) {
        if (GradualError.isInstance(error) && !ValidationError.isValidationError(error)) {
          throw new ValidationError(`analysis run "${request.name}"`, [{ path: '', message: error.message }], { cause: error });
        }
        throw error;
      }
    },
  };
}
