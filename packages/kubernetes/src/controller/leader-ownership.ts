import type { Clock, Logger } from '@gradual/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { createLeaderElector } from '../scale-out/create-leader-elector.js';
import type { Ownership } from './controller-parts.js';
import { untilAborted } from './until-aborted.js';

/** Lease timings, as client-go's leaderelection (defaults 15 s, 10 s, 2 s). */
export interface LeaseTimings {
  /** How long a Lease holds after the last renew another replica saw; default 15 000. */
  leaseDurationMs?: number | undefined;
  /** A holder that could not renew for this long stops its work; default 10 000. */
  renewDeadlineMs?: number | undefined;
  /** Time between attempts to acquire or renew; default 2 000. */
  retryPeriodMs?: number | undefined;
}

/**
 * Only the holder of one `coordination.k8s.io/v1` Lease reconciles. Its reconciles run under the leading
 * signal, so a lost lease aborts them, and the Lease is released only after they ended; on stop the
 * controller lets them finish first (so a clean shutdown hands over at once, with nothing half done).
 */
export function leaderOwnership(
  options: {
    kubeConfig: KubeConfig;
    namespace: string;
    name: string;
    identity: string;
    clock: Clock;
    logger: Logger;
  } & LeaseTimings,
): Ownership {
  let leading: AbortSignal | undefined;
  const current = () => (leading && !leading.aborted ? leading : undefined);
  return {
    owns: () => current() !== undefined,
    signalFor: () => current(),
    async run(signal, hooks) {
      const elector = createLeaderElector({
        kubeConfig: options.kubeConfig,
        namespace: options.namespace,
        name: options.name,
        identity: options.identity,
        clock: options.clock,
        ...(options.leaseDurationMs === undefined ? {} : { leaseDurationMs: options.leaseDurationMs }),
        ...(options.renewDeadlineMs === undefined ? {} : { renewDeadlineMs: options.renewDeadlineMs }),
        ...(options.retryPeriodMs === undefined ? {} : { retryPeriodMs: options.retryPeriodMs }),
        logger: options.logger,
        // The Lease is released only once this settles: after the term's reconciles in flight have ended.
        onStartedLeading: async (leadingSignal: AbortSignal) => {
          leading = leadingSignal;
          options.logger.info(`${options.identity} leads; reconciling`, { lease: options.name });
          hooks.acquired({ takenOver: true });
          await untilAborted(leadingSignal);
          await hooks.releasing(() => true);
        },
        onStoppedLeading: () => {
          leading = undefined;
          options.logger.info(`${options.identity} stopped leading`, { lease: options.name });
        },
      });
      await elector.run(signal);
    },
  };
}
