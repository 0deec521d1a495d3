import type { RolloutStatus } from './rollout-status.js';

/** How a rollout ended, for a script that drives it to its end. */
export type RolloutOutcome = 'Promoted' | 'Aborted' | 'Degraded';

/**
 * Whether the rollout has reached an end a script can stop at. Promoted:
 * Healthy. Aborted: traffic confirmed back on stable, or the router cannot
 * put it there (non-retryable, or failing past the progress deadline).
 * Degraded: stuck past the progress deadline, or an adapter failed for good.
 * Undefined while something may still move it without a command.
 */
export function rolloutOutcome(status: RolloutStatus): { outcome: RolloutOutcome; message: string } | undefined {
  const traffic = status.trafficError;
  if (status.abort) {
    if (!traffic) return { outcome: 'Aborted', message: status.message };
    if (traffic.retryable && !traffic.deadlineExceeded) return undefined;
    return { outcome: 'Aborted', message: `${status.message}; traffic could not be put back on stable: ${traffic.message}` };
  }
  if (status.phase === 'Healthy') return { outcome: 'Promoted', message: `revision ${status.currentRevision} is stable` };
  if (status.phase === 'Degraded') return { outcome: 'Degraded', message: status.message };
  return undefined;
}
