import type { ArgoRolloutStatus } from './argo-rollout-status.js';

/**
 * The fields of Argo's status that `kubectl argo rollouts` writes to give
 * a command (promote, promote --full, abort, retry), normalised so that an
 * absent field and its zero value compare equal.
 */
export interface ArgoCommandFields {
  abort: boolean;
  promoteFull: boolean;
  /** How many pause conditions; the plugin's promote clears them. */
  pauseConditions: number;
  /** Null when absent (blue/green, no steps). */
  currentStepIndex: number | null;
}

/** The command fields of a status as read from, or written to, the Rollout. */
export function argoCommandFields(status: ArgoRolloutStatus | null | undefined): ArgoCommandFields {
  return {
    abort: status?.abort === true,
    promoteFull: status?.promoteFull === true,
    pauseConditions: Array.isArray(status?.pauseConditions) ? status.pauseConditions.length : 0,
    currentStepIndex: typeof status?.currentStepIndex === 'number' ? status.currentStepIndex : null,
  };
}
