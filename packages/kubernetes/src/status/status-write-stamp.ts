import type { ArgoRolloutCondition, ArgoRolloutStatus } from './argo-rollout-status.js';

/**
 * The condition type by which the projection says which annotation write it
 * belongs to. Argo's CRD takes any condition type; this one tells a
 * projection that landed from one a crash left unwritten.
 */
export const statusWriteStampType = 'rollouts.gradual.dev/StatusWritten';

/** The write number a projection carries, or null when it carries none (never written by gradual). */
export function statusWriteStampOf(status: ArgoRolloutStatus | null | undefined): number | null {
  const stamp = status?.conditions?.find((condition) => condition.type === statusWriteStampType);
  const match = stamp ? /^write (\d+)$/.exec(stamp.message) : null;
  return match ? Number(match[1]) : null;
}

/** The stamp condition for annotation write `write`; `time` is RFC 3339. */
export function statusWriteStamp(write: number, time: string): ArgoRolloutCondition {
  return {
    type: statusWriteStampType,
    status: 'True',
    reason: 'StatusWritten',
    message: `write ${write}`,
    lastTransitionTime: time,
    lastUpdateTime: time,
  };
}
