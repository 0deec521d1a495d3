import type { RolloutSpec } from '../manifest/rollout-types.js';
import { noEvents, type RolloutEvent, rolloutEvent } from './rollout-event.js';
import type { RolloutStatus } from './rollout-status.js';
import { statusWith } from './status-with.js';
import { stepHashOf } from './step-hash.js';

/** Whether `spec` is not the one the status was rolling out (a new pod template or step list). */
export function specChanged(spec: RolloutSpec, status: RolloutStatus): boolean {
  return status.currentRevision !== spec.revision || status.currentStepHash !== stepHashOf(spec);
}

/**
 * A new pod template or a new step list restarts the rollout at step 0, as
 * Argo's step hash does; going back to the stable revision skips the steps,
 * and (blue/green) going back to a version still inside its scale-down
 * delay is fast-tracked. Pure; a no-op when nothing changed.
 */
export function restartOnSpecChange(
  spec: RolloutSpec,
  status: RolloutStatus,
  now: number,
): { status: RolloutStatus; events: RolloutEvent[] } {
  const stepHash = stepHashOf(spec);
  if (!specChanged(spec, status)) return { status, events: noEvents };
  const {
    abortedAt: _a,
    abortMessage: _m,
    completedAt: _c,
    experiment: _e,
    blueGreen,
    waitingSince: _w,
    stalled: _s,
    resumeRequested: _r,
    // A new spec is a new attempt: adapter failures and their deadline start afresh.
    trafficError: _t,
    workloadError: _wl,
    analysisError: _ae,
    ...kept
  } = status;
  // Blue/green: a version already cut over to stays active while the newer one previews (Argo keeps the active selector).
  const activeRevision =
    blueGreen?.promotedAt !== undefined && status.currentRevision !== status.stableRevision
      ? status.currentRevision
      : blueGreen?.activeRevision;
  const scaleDown = status.scaleDown;
  const stillRunning = scaleDown !== undefined && scaleDown.revision === spec.revision && now < scaleDown.at;
  // Argo's rollbackWindow: going back to one of the last N stable versions skips the steps.
  const window = spec.rollbackWindow?.revisions ?? 0;
  const withinWindow = window > 0 && (status.previousStableRevisions ?? []).slice(0, window).includes(spec.revision);
  const fastTrack = spec.strategy.blueGreen !== undefined && (stillRunning || withinWindow);
  const next: RolloutStatus = {
    ...kept,
    currentRevision: spec.revision,
    currentStepHash: stepHash,
    currentStepIndex: 0,
    attempt: status.attempt + 1,
    abort: false,
    promoteFull: fastTrack,
    pauseConditions: [],
    controllerPause: false,
    backgroundRuns: 0,
    startedAt: now,
    ...(activeRevision && activeRevision !== spec.revision ? { blueGreen: { activeRevision } } : {}),
  };
  if (withinWindow && spec.strategy.canary) {
    return {
      status: statusWith(next, { currentStepIndex: spec.strategy.canary.steps.length }),
      events: [
        rolloutEvent({
          reason: 'SkipSteps',
          message: `Rollback to revision ${spec.revision} within rollbackWindow: steps skipped`,
          now,
        }),
      ],
    };
  }
  if (spec.revision === status.stableRevision) {
    return {
      status: statusWith(next, { currentStepIndex: spec.strategy.canary?.steps.length ?? 0 }),
      events: [
        rolloutEvent({ reason: 'SkipSteps', message: `Rollback to stable revision ${spec.revision}: steps skipped`, now }),
      ],
    };
  }
  const message = fastTrack
    ? `Rollout updated to revision ${spec.revision}, still running within its scale-down delay: fast-tracked`
    : `Rollout updated to revision ${spec.revision}; starting at step 0`;
  return { status: next, events: [rolloutEvent({ reason: 'RolloutUpdated', message, now })] };
}
