import type { AnalysisRunner } from '../contracts/analysis-runner.js';
import type { CallOptions } from '../contracts/call-options.js';
import type { TrafficRouter } from '../contracts/traffic-router.js';
import type { Workload } from '../contracts/workload.js';
import type { IntentResult } from '../engine/apply-intent-result.js';
import type { Intent } from '../engine/intent.js';
import { CancelledError } from '../errors/cancelled-error.js';
import { GradualError } from '../errors/gradual-error.js';
import { isRetryable } from '../errors/is-retryable.js';

export interface Adapters {
  router: TrafficRouter;
  analysis?: AnalysisRunner | undefined;
  workload?: Workload | undefined;
}

/**
 * Carries out one intent through the adapters. Failures become results the
 * engine records (and retries); only cancellation propagates.
 */
export async function executeIntent(intent: Intent, adapters: Adapters, options: CallOptions): Promise<IntentResult> {
  try {
    switch (intent.type) {
      case 'applyTraffic': {
        const applyOptions = intent.drifted ? { ...options, drifted: true } : options;
        return { ok: true, traffic: await adapters.router.apply(intent.state, applyOptions) };
      }
      case 'startAnalysis':
        return { ok: true, run: await requireAnalysis(adapters, intent.request.name).start(intent.request, options) };
      case 'reconcileAnalysis':
        return { ok: true, run: await requireAnalysis(adapters, intent.name).reconcile(intent.run, options) };
      case 'terminateAnalysis':
        return { ok: true, run: await requireAnalysis(adapters, intent.name).terminate(intent.run, options) };
      case 'applyWorkload':
        if (adapters.workload) await adapters.workload.apply(intent.state, options);
        return { ok: true };
    }
  } catch (error) {
    if (CancelledError.isCancellation(error) || options.signal.aborted) {
      throw error instanceof CancelledError ? error : new CancelledError(describe(intent), error);
    }
    return {
      ok: false,
      error: {
        message: messageOf(error, intent),
        ...(GradualError.isInstance(error) ? { code: error.code } : {}),
        retryable: isRetryable(error),
      },
    };
  }
}

function requireAnalysis(adapters: Adapters, run: string): AnalysisRunner {
  if (!adapters.analysis) {
    throw new GradualError(
      'NO_ANALYSIS_RUNNER',
      `analysis run ${run} is needed but no analysis runner was given (pass \`analysis\`)`,
    );
  }
  return adapters.analysis;
}

function describe(intent: Intent): string {
  return intent.type === 'applyTraffic' || intent.type === 'applyWorkload'
    ? intent.type
    : `${intent.type} ${'request' in intent ? intent.request.name : intent.name}`;
}

function messageOf(error: unknown, intent: Intent): string {
  const text = error instanceof Error ? error.message : String(error);
  return intent.type === 'applyTraffic' ? text : `${describe(intent)}: ${text}`;
}
