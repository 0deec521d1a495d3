import type { RolloutObject } from './rollout-object.js';

/**
 * The merge patches one command of `kubectl argo rollouts` sends: `status`
 * to the status subresource first, then `spec` to the Rollout; `unified`
 * (spec and status in one) replaces both on the Rollout itself when the
 * cluster has no status subresource for Rollouts (an old CRD).
 */
export interface RolloutPatches {
  status?: object | undefined;
  spec?: object | undefined;
  unified?: object | undefined;
}

/** `kubectl argo rollouts abort` (cmd/abort/abort.go). */
export const abortPatches: RolloutPatches = { status: { status: { abort: true } }, unified: { status: { abort: true } } };

/** `kubectl argo rollouts retry rollout` (cmd/retry/retry.go). */
export const retryPatches: RolloutPatches = { status: { status: { abort: false } }, unified: { status: { abort: false } } };

/** `kubectl argo rollouts pause` (cmd/pause/pause.go): the spec only. */
export const pausePatches: RolloutPatches = { spec: { spec: { paused: true } } };

/**
 * What `kubectl argo rollouts promote [--full]` sends for this Rollout
 * (cmd/promote/promote.go, getPatches): unpause the spec if paused; then
 * clear the pause conditions, or, when nothing is paused, move to the next
 * step (an inconclusive step analysis also clears the controller pause and
 * moves on); `--full` sets `promoteFull` unless the update is already stable.
 */
export function promotePatches(rollout: RolloutObject, options: { full?: boolean | undefined } = {}): RolloutPatches {
  const paused = rollout.spec?.paused === true;
  const status = rollout.status ?? {};
  const unpause = paused ? { spec: { paused: false } } : undefined;
  if (options.full) {
    return {
      ...(unpause ? { spec: unpause } : {}),
      ...(status.currentPodHash !== status.stableRS ? { status: { status: { promoteFull: true } } } : {}),
      unified: { spec: { paused: false }, status: { promoteFull: true } },
    };
  }
  const pauseConditions = Array.isArray(status.pauseConditions) ? status.pauseConditions.length : 0;
  const next = nextStepIndex(rollout);
  const inconclusive =
    rollout.spec?.strategy?.canary !== undefined && status.canary?.currentStepAnalysisRunStatus?.status === 'Inconclusive';
  let statusPatch: object | undefined;
  let unified: object = { spec: { paused: false }, status: { pauseConditions: null } };
  if (inconclusive && pauseConditions > 0 && status.controllerPause === true) {
    if (next !== undefined) statusPatch = { status: { pauseConditions: null, controllerPause: false, currentStepIndex: next } };
  } else if (pauseConditions > 0) {
    statusPatch = { status: { pauseConditions: null } };
  } else if (rollout.spec?.strategy?.canary !== undefined && next !== undefined) {
    // Nothing paused (e.g. an analysis step running): skip to the next step, never both.
    statusPatch = { status: { pauseConditions: null, currentStepIndex: next } };
    unified = { spec: { paused: false }, status: { pauseConditions: null, currentStepIndex: next } };
  }
  return { ...(unpause ? { spec: unpause } : {}), ...(statusPatch ? { status: statusPatch } : {}), unified };
}

// Argo's GetCurrentCanaryStep: an unset index is 0; no steps, no index. The next index stops at the end.
function nextStepIndex(rollout: RolloutObject): number | undefined {
  const steps = rollout.spec?.strategy?.canary?.steps?.length ?? 0;
  if (steps === 0) return undefined;
  const index = rollout.status?.currentStepIndex ?? 0;
  return index < steps ? index + 1 : index;
}
