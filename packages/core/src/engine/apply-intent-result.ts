import type { AnalysisRunState } from '../contracts/analysis-runner.js';
import type { TrafficApplyResult } from '../contracts/traffic-router.js';
import type { Intent } from './intent.js';
import { trafficRetryDelayMs } from './plan-rollout.js';
import type { RolloutEvent } from './rollout-event.js';
import type { RolloutStatus } from './rollout-status.js';

/** What carrying out an intent produced. */
export type IntentResult =
  | { ok: true; traffic?: TrafficApplyResult; run?: AnalysisRunState }
  | { ok: false; error: { message: string; code?: string } };

/** Folds the result of an intent into the status. Pure. */
export function applyIntentResult(
  status: RolloutStatus,
  intent: Intent,
  result: IntentResult,
  now: number,
): { status: RolloutStatus; events: RolloutEvent[] } {
  const at = new Date(now).toISOString();
  const events: RolloutEvent[] = [];
  const event = (reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal') =>
    events.push({ reason, type, message, at });
  switch (intent.type) {
    case 'applyTraffic': {
      if (!result.ok) {
        const attempts = (status.trafficError?.attempts ?? 0) + 1;
        const retryAt = now + trafficRetryDelayMs(attempts);
        event(
          'TrafficRoutingError',
          `${result.error.message} (attempt ${attempts}; retrying in ${(retryAt - now) / 1000}s)`,
          'Warning',
        );
        return {
          status: {
            ...status,
            trafficError: {
              message: result.error.message,
              ...(result.error.code ? { code: result.error.code } : {}),
              attempts,
              retryAt,
            },
          },
          events,
        };
      }
      const { trafficError: _e, ...rest } = status;
      const { canaryWeight, canaryRevision, stableRevision } = intent.state;
      if (result.traffic?.changed !== false) {
        event(
          'TrafficWeightUpdated',
          `Traffic set to canary ${canaryWeight}% (stable ${stableRevision ?? 'current'}, canary ${canaryRevision ?? 'none'})`,
        );
      }
      for (const note of result.traffic?.notes ?? []) event('TrafficNote', note);
      return { status: { ...rest, traffic: intent.state }, events };
    }
    case 'startAnalysis': {
      const run: AnalysisRunState = result.ok && result.run ? result.run : failedRun(intent.request.name, result);
      event('AnalysisRunStarted', `Analysis run ${run.name} started (${intent.request.kind})`);
      if (run.phase !== 'Running' && run.phase !== 'Pending') reportEnd(event, run);
      const stored = {
        kind: intent.request.kind,
        ...(intent.stepIndex === undefined ? {} : { stepIndex: intent.stepIndex }),
        ...(intent.analysisName === undefined ? {} : { analysisName: intent.analysisName }),
        state: run,
        checkedAt: at,
      };
      return {
        status: { ...status, analysisRuns: [...status.analysisRuns.filter((r) => r.state.name !== run.name), stored] },
        events,
      };
    }
    case 'reconcileAnalysis':
    case 'terminateAnalysis': {
      const existing = status.analysisRuns.find((r) => r.state.name === intent.name);
      if (!existing) return { status, events };
      const run = result.ok && result.run ? result.run : failedRun(intent.name, result);
      if (existing.state.phase !== run.phase && run.phase !== 'Running' && run.phase !== 'Pending') reportEnd(event, run);
      const analysisRuns =
        intent.type === 'terminateAnalysis'
          ? status.analysisRuns.filter((r) => r.state.name !== intent.name)
          : status.analysisRuns.map((r) => (r.state.name === intent.name ? { ...r, state: run, checkedAt: at } : r));
      return { status: { ...status, analysisRuns }, events };
    }
    case 'applyWorkload': {
      if (!result.ok) {
        event('WorkloadError', result.error.message, 'Warning');
        return { status, events };
      }
      event('WorkloadScaled', describeWorkload(intent.state));
      return { status: { ...status, workloadTarget: intent.state }, events };
    }
  }
}

// A runner that throws has not measured anything: the run is in Error, as Argo records a failed run creation.
function failedRun(name: string, result: IntentResult): AnalysisRunState {
  const message = result.ok ? 'the analysis runner returned no run' : result.error.message;
  return { name, phase: 'Error', message };
}

function reportEnd(event: (reason: string, message: string, type?: 'Normal' | 'Warning') => void, run: AnalysisRunState): void {
  const warning = run.phase === 'Failed' || run.phase === 'Error' || run.phase === 'Inconclusive';
  event(
    'AnalysisRunCompleted',
    `Analysis run ${run.name} completed ${run.phase}${run.message ? `: ${run.message}` : ''}`,
    warning ? 'Warning' : 'Normal',
  );
}

function describeWorkload(state: import('../contracts/workload.js').WorkloadState): string {
  const parts = [
    state.stable ? `stable ${state.stable.revision}=${state.stable.replicas}` : undefined,
    state.canary ? `canary ${state.canary.revision}=${state.canary.replicas}` : undefined,
    ...state.experiments.map((e) => `experiment ${e.name}=${e.replicas}`),
    ...(state.retiring ?? []).map((r) => `retiring ${r.revision}=${r.replicas}`),
  ].filter(Boolean);
  return `Scaled workload: ${parts.join(', ')}`;
}
