import type { AnalysisRunState } from '../contracts/analysis-runner.js';
import type { TrafficApplyResult } from '../contracts/traffic-router.js';
import type { WorkloadState } from '../contracts/workload.js';
import type { Intent } from './intent.js';
import { intentKey } from './intent-key.js';
import { type AdapterErrorField, type AdapterFailure, recordAdapterFailure } from './record-adapter-failure.js';
import { type RolloutEvent, rolloutEvent } from './rollout-event.js';
import type { RolloutStatus } from './rollout-status.js';
import { statusWith } from './status-with.js';

/** What carrying out an intent produced. */
export type IntentResult =
  | { ok: true; traffic?: TrafficApplyResult | undefined; run?: AnalysisRunState | undefined }
  | { ok: false; error: AdapterFailure };

/** Folds the result of an intent into the status. Pure. */
export function applyIntentResult(
  status: RolloutStatus,
  intent: Intent,
  result: IntentResult,
  now: number,
): { status: RolloutStatus; events: RolloutEvent[] } {
  // Helpers are module functions, not closures over these: every intent of every pass comes through here.
  const events: RolloutEvent[] = [];
  switch (intent.type) {
    case 'applyTraffic': {
      if (!result.ok) return failedOn(status, intent, now, 'trafficError', 'TrafficRoutingError', result.error);
      const { canaryWeight, canaryRevision, stableRevision } = intent.state;
      if (result.traffic?.changed !== false) {
        addEvent(
          events,
          now,
          'TrafficWeightUpdated',
          `Traffic set to canary ${canaryWeight}% (stable ${stableRevision ?? 'current'}, canary ${canaryRevision ?? 'none'})`,
        );
      }
      for (const note of result.traffic?.notes ?? []) addEvent(events, now, 'TrafficNote', note);
      return { status: statusWith(withoutField(status, 'trafficError'), { traffic: intent.state }), events };
    }
    case 'startAnalysis': {
      if (!result.ok) return failedOn(status, intent, now, 'analysisError', 'AnalysisRunnerError', result.error);
      const run = result.run;
      if (!run || run.name !== intent.request.name) {
        return failedOn(status, intent, now, 'analysisError', 'AnalysisRunnerError', {
          message: `the analysis runner answered start of ${intent.request.name} with ${run ? `a run named ${run.name}` : 'no run'}`,
        });
      }
      addEvent(events, now, 'AnalysisRunStarted', `Analysis run ${run.name} started (${intent.request.kind})`);
      if (run.phase !== 'Running' && run.phase !== 'Pending') reportEnd(events, now, run);
      const stored = {
        kind: intent.request.kind,
        ...(intent.stepIndex === undefined ? {} : { stepIndex: intent.stepIndex }),
        ...(intent.analysisName === undefined ? {} : { analysisName: intent.analysisName }),
        state: run,
        checkedAt: now,
      };
      const next = withoutField(status, 'analysisError');
      return {
        status: statusWith(next, { analysisRuns: [...next.analysisRuns.filter((r) => r.state.name !== run.name), stored] }),
        events,
      };
    }
    case 'reconcileAnalysis':
    case 'terminateAnalysis': {
      const existing = status.analysisRuns.find((r) => r.state.name === intent.name);
      if (!existing) return { status, events };
      if (!result.ok) return failedOn(status, intent, now, 'analysisError', 'AnalysisRunnerError', result.error);
      const run = result.run && result.run.name === intent.name ? result.run : undefined;
      if (!run) {
        return failedOn(status, intent, now, 'analysisError', 'AnalysisRunnerError', {
          message: `the analysis runner answered ${intent.type} of ${intent.name} with no run of that name`,
        });
      }
      if (existing.state.phase !== run.phase && run.phase !== 'Running' && run.phase !== 'Pending') reportEnd(events, now, run);
      const next = withoutField(status, 'analysisError');
      const analysisRuns =
        intent.type === 'terminateAnalysis'
          ? next.analysisRuns.filter((r) => r.state.name !== intent.name)
          : next.analysisRuns.map((r) => (r.state.name === intent.name ? { ...r, state: run, checkedAt: now } : r));
      return { status: statusWith(next, { analysisRuns }), events };
    }
    case 'applyWorkload': {
      if (!result.ok) return failedOn(status, intent, now, 'workloadError', 'WorkloadError', result.error);
      addEvent(events, now, 'WorkloadScaled', describeWorkload(intent.state));
      return { status: statusWith(withoutField(status, 'workloadError'), { workloadTarget: intent.state }), events };
    }
  }
}

function reportEnd(events: RolloutEvent[], now: number, run: AnalysisRunState): void {
  const warning = run.phase === 'Failed' || run.phase === 'Error' || run.phase === 'Inconclusive';
  addEvent(
    events,
    now,
    'AnalysisRunCompleted',
    `Analysis run ${run.name} completed ${run.phase}${run.message ? `: ${run.message}` : ''}`,
    warning ? 'Warning' : 'Normal',
  );
}

function addEvent(
  events: RolloutEvent[],
  now: number,
  reason: string,
  message: string,
  type: 'Normal' | 'Warning' = 'Normal',
): void {
  events.push(rolloutEvent({ reason, type, message, now }));
}

function failedOn(
  status: RolloutStatus,
  intent: Intent,
  now: number,
  field: AdapterErrorField,
  reason: string,
  failure: AdapterFailure,
): { status: RolloutStatus; events: RolloutEvent[] } {
  return recordAdapterFailure({ status, field, reason, failure, call: intentKey(intent), now });
}

function withoutField(status: RolloutStatus, field: AdapterErrorField): RolloutStatus {
  if (status[field] === undefined) return status;
  const { [field]: _dropped, ...rest } = status;
  return rest;
}

function describeWorkload(state: WorkloadState): string {
  const parts = [
    state.stable ? `stable ${state.stable.revision}=${state.stable.replicas}` : undefined,
    state.canary ? `canary ${state.canary.revision}=${state.canary.replicas}` : undefined,
    ...state.experiments.map((e) => `experiment ${e.name}=${e.replicas}`),
    ...(state.retiring ?? []).map((r) => `retiring ${r.revision}=${r.replicas}`),
  ].filter(Boolean);
  return `Scaled workload: ${parts.join(', ')}`;
}
