import type { CallOptions } from '../contracts/call-options.js';
import type { TrafficRouter } from '../contracts/traffic-router.js';
import type { TrafficState } from '../contracts/traffic-state.js';
import type { RolloutEvent } from '../engine/rollout-event.js';
import type { RolloutStatus } from '../engine/rollout-status.js';
import { CancelledError } from '../errors/cancelled-error.js';

/**
 * Reads the data plane back and, when someone changed the weights by hand,
 * forgets the confirmed state so the engine applies its own again (Argo
 * re-applies weights on every reconcile). Only weights are compared: a
 * router's `observe` need not report revisions or route details.
 */
export async function verifyTraffic(
  status: RolloutStatus,
  router: TrafficRouter,
  options: CallOptions,
): Promise<{ status: RolloutStatus; events: RolloutEvent[] }> {
  const applied = status.traffic;
  if (!router.observe || !applied || status.trafficError) return { status, events: [] };
  const at = new Date(options.clock.now()).toISOString();
  let observed: TrafficState;
  try {
    observed = await router.observe(options);
  } catch (error) {
    if (CancelledError.isCancellation(error)) throw error;
    const message = `could not read traffic back from router "${router.name}": ${error instanceof Error ? error.message : String(error)}`;
    return { status, events: [{ reason: 'TrafficVerifyError', type: 'Warning', message, at }] };
  }
  const weights = (state: TrafficState) => [state.canaryWeight, state.experiments.reduce((sum, e) => sum + e.weight, 0)];
  const [canary, experiments] = weights(observed);
  const [wantCanary, wantExperiments] = weights(applied);
  if (canary === wantCanary && experiments === wantExperiments) return { status, events: [] };
  const message = `traffic drifted: router "${router.name}" has canary ${canary}% and experiments ${experiments}%, the rollout set ${wantCanary}% and ${wantExperiments}%; putting it back`;
  return { status: { ...status, traffic: null }, events: [{ reason: 'TrafficDrift', type: 'Warning', message, at }] };
}
