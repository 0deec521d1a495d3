import { fillAbsent } from '../data/fill-absent.js';
import type { RolloutStatus } from './rollout-status.js';

/**
 * A copy of `status` with `patch` applied (a field patched to `undefined` stays, as undefined: JSON drops it).
 * The required fields are one literal, in the order `initialStatus` writes them: see `fillAbsent` for why
 * this is not a spread. Every reconcile that changes a rollout keeps one of these.
 */
export function statusWith(status: RolloutStatus, patch: Partial<RolloutStatus>): RolloutStatus {
  const copy: RolloutStatus = {
    version: status.version,
    phase: status.phase,
    message: status.message,
    currentRevision: status.currentRevision,
    stableRevision: status.stableRevision,
    currentStepIndex: status.currentStepIndex,
    currentStepHash: status.currentStepHash,
    attempt: status.attempt,
    abort: status.abort,
    promoteFull: status.promoteFull,
    controllerPause: status.controllerPause,
    pauseConditions: status.pauseConditions,
    traffic: status.traffic,
    analysisRuns: status.analysisRuns,
    startedAt: status.startedAt,
  };
  fillAbsent(copy, status);
  return Object.assign(copy, patch);
}
