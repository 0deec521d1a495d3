import type { V1Job } from '@kubernetes/client-node';

/** How a Job ended, from its conditions, or undefined while it runs. */
export interface JobOutcome {
  /** `Complete` or `Failed` from the Job's conditions; `Inconclusive` when a pod can never start. */
  condition: 'Complete' | 'Failed' | 'Inconclusive';
  /** The condition's reason, e.g. `BackoffLimitExceeded`. */
  reason?: string | undefined;
  /** The condition's message, or why a pod cannot start. */
  message?: string | undefined;
}

/**
 * Reads a Job's finishing condition as Argo's job provider does: a `Complete` condition is success,
 * a `Failed` one failure (only with status "True": the Job controller writes them so).
 */
export function jobOutcome(job: V1Job): JobOutcome | undefined {
  for (const condition of job.status?.conditions ?? []) {
    if ((condition.type === 'Complete' || condition.type === 'Failed') && condition.status === 'True') {
      return {
        condition: condition.type,
        ...(condition.reason ? { reason: condition.reason } : {}),
        ...(condition.message ? { message: condition.message } : {}),
      };
    }
  }
  return undefined;
}
