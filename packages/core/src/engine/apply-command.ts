import type { RolloutSpec } from '../manifest/rollout-types.js';
import type { RecordedCommand, RolloutCommand } from './rollout-command.js';
import { type RolloutEvent, rolloutEvent } from './rollout-event.js';
import type { RolloutStatus } from './rollout-status.js';
import { statusWith } from './status-with.js';

// The status keeps the last few commands, so a UI or a person can see what was asked and what it did.
const keptCommands = 10;

/**
 * Applies a command to the status, as `kubectl argo rollouts` patches it,
 * and records it in `status.commands`; the plan that follows acts on it.
 * A promote that ends a pause is kept as `resumeRequested` until the step
 * (or cut-over) that waited takes it. Pure.
 */
export function applyCommand(
  spec: RolloutSpec,
  status: RolloutStatus,
  command: RolloutCommand,
  now: number,
): { status: RolloutStatus; events: RolloutEvent[] } {
  const decided = decide(spec, status, command, now);
  const recorded: RecordedCommand = {
    ...command,
    at: now,
    result: decided.status === status ? 'ignored' : 'applied',
    message: decided.event.message,
  };
  return {
    status: { ...decided.status, commands: [...(status.commands ?? []), recorded].slice(-keptCommands) },
    events: [decided.event],
  };
}

function decide(
  spec: RolloutSpec,
  status: RolloutStatus,
  command: RolloutCommand,
  now: number,
): { status: RolloutStatus; event: RolloutEvent } {
  const event = (reason: string, message: string, type: 'Normal' | 'Warning' = 'Normal') =>
    rolloutEvent({ reason, type, message, now });
  const steps = spec.strategy.canary?.steps.length ?? 0;
  const promoted = status.stableRevision === spec.revision && status.currentRevision === spec.revision;
  switch (command.type) {
    case 'promote': {
      if (promoted) return { status, event: event('PromoteIgnored', `Revision ${spec.revision} is already stable`) };
      if (command.full) {
        // As Argo's promote --full: clears pauses and an abort, skips every remaining step and analysis.
        const { abortMessage: _m, resumeRequested: _r, pausedByCommand: _p, ...rest } = status;
        return {
          status: {
            ...rest,
            abort: false,
            promoteFull: true,
            pauseConditions: [],
            controllerPause: false,
            currentStepIndex: steps,
          },
          event: event('RolloutPromoted', 'Full promotion requested: skipping remaining steps and analysis'),
        };
      }
      if (status.abort) {
        return { status, event: event('PromoteRefused', 'Rollout is aborted; retry it, or promote --full', 'Warning') };
      }
      if (status.pausedByCommand) {
        // As Argo's promote of a rollout paused by `pause` (spec.paused): it only unpauses.
        const { pausedByCommand: _p, ...rest } = status;
        return { status: rest, event: event('RolloutResumed', 'Rollout resumed from a manual pause') };
      }
      if (status.pauseConditions.length > 0) {
        return {
          status: statusWith(status, { pauseConditions: [], resumeRequested: true }),
          event: event('RolloutResumed', `Rollout resumed from ${status.pauseConditions.map((c) => c.reason).join(', ')}`),
        };
      }
      if (spec.strategy.blueGreen) {
        return { status, event: event('PromoteIgnored', 'Nothing to promote: the rollout is not paused') };
      }
      const next = Math.min(status.currentStepIndex + 1, steps);
      return {
        status: statusWith(status, { currentStepIndex: next, controllerPause: false }),
        event: event('RolloutPromoted', `Skipped step ${status.currentStepIndex + 1}/${steps}`),
      };
    }
    case 'pause': {
      if (promoted)
        return { status, event: event('PauseIgnored', `Revision ${spec.revision} is already stable; nothing to pause`) };
      if (status.pausedByCommand) return { status, event: event('PauseIgnored', 'Rollout is already paused') };
      return {
        status: statusWith(status, { pausedByCommand: true }),
        event: event('RolloutPaused', 'Rollout paused by a command'),
      };
    }
    case 'abort': {
      if (promoted) {
        return { status, event: event('AbortIgnored', `Revision ${spec.revision} is already stable; nothing to abort`) };
      }
      if (status.abort) return { status, event: event('AbortIgnored', 'Rollout is already aborted') };
      const reason = command.reason ?? 'aborted by user';
      const { resumeRequested: _r, ...rest } = status;
      return {
        status: {
          ...rest,
          abort: true,
          abortedAt: now,
          abortMessage: reason,
          pauseConditions: [],
          controllerPause: false,
          promoteFull: false,
          currentStepIndex: 0,
        },
        event: event('RolloutAborted', `Rollout aborted update to revision ${spec.revision}: ${reason}`, 'Warning'),
      };
    }
    case 'retry': {
      if (!status.abort) {
        const failures = clearAdapterFailures(status);
        if (failures === status) return { status, event: event('RetryIgnored', 'Rollout is not aborted; nothing to retry') };
        // Degraded by a failing adapter: the person fixed its cause; try again at once with a fresh deadline.
        return { status: failures, event: event('RolloutRetry', 'Retrying the failed adapter calls') };
      }
      const { abortMessage: _m, resumeRequested: _r, ...rest } = clearAdapterFailures(status);
      return {
        status: { ...rest, abort: false, currentStepIndex: 0, attempt: status.attempt + 1, backgroundRuns: 0, startedAt: now },
        event: event('RolloutRetry', `Retrying update to revision ${spec.revision} from step 0 with fresh analysis runs`),
      };
    }
  }
}

function clearAdapterFailures(status: RolloutStatus): RolloutStatus {
  if (!status.trafficError && !status.workloadError && !status.analysisError) return status;
  const { trafficError: _t, workloadError: _w, analysisError: _a, ...rest } = status;
  return rest;
}
