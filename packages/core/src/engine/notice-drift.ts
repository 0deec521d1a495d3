import type { Observations } from './plan-rollout.js';
import { noEvents, type RolloutEvent, rolloutEvent } from './rollout-event.js';
import type { RolloutStatus } from './rollout-status.js';
import { statusWith } from './status-with.js';

/** Whether reading the traffic back can show drift: something was confirmed and no failed apply is pending. */
export function driftVisible(status: RolloutStatus): boolean {
  return status.traffic !== null && !status.trafficError;
}

/**
 * Compares the traffic the router read back with the traffic it last
 * confirmed. When someone changed the weights by hand, the confirmed state
 * is forgotten (steps wait until it is back) and the plan puts it back with
 * an `applyTraffic` intent marked `drifted` (Argo re-applies weights on every
 * reconcile). Only weights are compared: a router's `observe` need not report
 * revisions or route details. Pure.
 */
export function noticeDrift(
  status: RolloutStatus,
  observed: Observations,
  now: number,
): { status: RolloutStatus; events: RolloutEvent[]; drifted: boolean } {
  if (observed.trafficReadError !== undefined) {
    const event = rolloutEvent({ reason: 'TrafficVerifyError', type: 'Warning', message: observed.trafficReadError, now });
    return { status, events: [event], drifted: false };
  }
  const applied = status.traffic;
  const seen = observed.traffic;
  // Nothing confirmed yet, or a failed apply pending: the data plane is expected to differ.
  if (!seen || !applied || !driftVisible(status)) return { status, events: noEvents, drifted: false };
  const weights = (state: typeof seen) => [state.canaryWeight, state.experiments.reduce((sum, e) => sum + e.weight, 0)];
  const [canary, experiments] = weights(seen);
  const [wantCanary, wantExperiments] = weights(applied);
  if (canary === wantCanary && experiments === wantExperiments) return { status, events: noEvents, drifted: false };
  const message = `traffic drifted: ${observed.router ? `router "${observed.router}"` : 'the router'} has canary ${canary}% and experiments ${experiments}%, the rollout set ${wantCanary}% and ${wantExperiments}%; putting it back`;
  return {
    status: statusWith(status, { traffic: null }),
    events: [rolloutEvent({ reason: 'TrafficDrift', type: 'Warning', message, now })],
    drifted: true,
  };
}
