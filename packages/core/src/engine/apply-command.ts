import type { RolloutSpec } from '../spec/rollout-types.js';
import type { RolloutCommand } from './rollout-command.js';
import type { RolloutEvent } from './rollout-event.js';
import type { RolloutStatus } from './rollout-status.js';

/**
 * Applies a command to the status, as `kubectl argo rollouts` patches it;
 * the next plan acts on it. Pure.
 */
export function applyCommand(
  spec: RolloutSpec,
  status: RolloutStatus,
  command: RolloutCommand,
  now: number,
): { status: RolloutStatus; events: RolloutEvent[] } {
  const at = new Date(now).toISOString();
  const event = (reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal'): RolloutEvent[] => [
    { reason, type, message, at },
  ];
  const steps = spec.strategy.canary?.steps.length ?? 0;
  const promoted = status.stableRevision === spec.revision && status.currentRevision === spec.revision;
  switch (command.type) {
    case 'promote': {
      if (promoted) return { status, events: event('PromoteIgnored', `Revision ${spec.revision} is already stable`) };
      if (command.full) {
        // As Argo's promote --full: clears pauses and an abort, skips every remaining step and analysis.
        const { abortMessage: _m, ...rest } = status;
        return {
          status: {
            ...rest,
            abort: false,
            promoteFull: true,
            pauseConditions: [],
            controllerPause: false,
            currentStepIndex: steps,
          },
          events: event('RolloutPromoted', 'Full promotion requested: skipping remaining steps and analysis'),
        };
      }
      if (status.abort) {
        return { status, events: event('PromoteRefused', 'Rollout is aborted; retry it, or promote --full', 'Warning') };
      }
      if (status.pauseConditions.length > 0) {
        // Clearing the conditions while controllerPause stays set is how the engine tells "resumed by a human".
        return {
          status: { ...status, pauseConditions: [] },
          events: event('RolloutResumed', `Rollout resumed from ${status.pauseConditions.map((c) => c.reason).join(', ')}`),
        };
      }
      if (spec.strategy.blueGreen) {
        return { status, events: event('PromoteIgnored', 'Nothing to promote: the rollout is not paused') };
      }
      const next = Math.min(status.currentStepIndex + 1, steps);
      return {
        status: { ...status, currentStepIndex: next, controllerPause: false },
        events: event('RolloutPromoted', `Skipped step ${status.currentStepIndex + 1}/${steps}`),
      };
    }
    case 'abort': {
      if (promoted)
        return { status, events: event('AbortIgnored', `Revision ${spec.revision} is already stable; nothing to abort`) };
      if (status.abort) return { status, events: [] };
      const reason = command.reason ?? 'aborted by user';
      return {
        status: {
          ...status,
          abort: true,
          abortedAt: at,
          abortMessage: reason,
          pauseConditions: [],
          controllerPause: false,
          promoteFull: false,
          currentStepIndex: 0,
        },
        events: event('RolloutAborted', `Rollout aborted update to revision ${spec.revision}: ${reason}`, 'Warning'),
      };
    }
    case 'retry': {
      if (!status.abort) {
        const failures = clearAdapterFailures(status);
        if (failures === status) return { status, events: event('RetryIgnored', 'Rollout is not aborted; nothing to retry') };
        // Degraded by a failing adapter: the person fixed its cause; try again at once with a fresh deadline.
        return { status: failures, events: event('RolloutRetry', 'Retrying the failed adapter calls') };
      }
      const { abortMessage: _m, ...rest } = clearAdapterFailures(status);
      return {
        status: { ...rest, abort: false, currentStepIndex: 0, attempt: status.attempt + 1, backgroundRuns: 0, startedAt: at },
        events: event('RolloutRetry', `Retrying update to revision ${spec.revision} from step 0 with fresh analysis runs`),
      };
    }
  }
}

function clearAdapterFailures(status: RolloutStatus): RolloutStatus {
  if (!status.trafficError && !status.workloadError && !status.analysisError) return status;
  const { trafficError: _t, workloadError: _w, analysisError: _a, ...rest } = status;
  return rest;
}
