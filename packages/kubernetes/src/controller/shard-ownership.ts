import type { Clock, Logger } from '@gradual/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { createShardManager } from '../scale-out/create-shard-manager.js';
import { shardOf } from '../scale-out/shard-of.js';
import type { Ownership } from './controller-parts.js';
import type { LeaseTimings } from './leader-ownership.js';
import { untilAborted } from './until-aborted.js';

/**
 * Rollouts split into `shardCount` shards by a stable hash of their key; this replica reconciles the
 * rollouts of the shards whose Lease it holds. A shard being handed off stops taking work at once (its signal
 * aborts the reconciles in flight), and the manager gives its Lease up only after they ended.
 */
export function shardOwnership(
  options: {
    kubeConfig: KubeConfig;
    namespace: string;
    identity: string;
    shardCount: number;
    clock: Clock;
    logger: Logger;
  } & LeaseTimings,
): Ownership {
  const held = new Map<number, AbortSignal>();
  const signalFor = (key: string) => {
    const signal = held.get(shardOf(key, options.shardCount));
    return signal && !signal.aborted ? signal : undefined;
  };
  return {
    owns: (key) => signalFor(key) !== undefined,
    signalFor,
    async run(signal, hooks) {
      const manager = createShardManager({
        kubeConfig: options.kubeConfig,
        namespace: options.namespace,
        identity: options.identity,
        shardCount: options.shardCount,
        clock: options.clock,
        ...(options.leaseDurationMs === undefined ? {} : { leaseDurationMs: options.leaseDurationMs }),
        ...(options.renewDeadlineMs === undefined ? {} : { renewDeadlineMs: options.renewDeadlineMs }),
        ...(options.retryPeriodMs === undefined ? {} : { retryPeriodMs: options.retryPeriodMs }),
        logger: options.logger,
        // The shard's Lease is released only once this settles: after its reconciles in flight have ended.
        onAcquired: async (shard: number, shardSignal: AbortSignal) => {
          held.set(shard, shardSignal);
          options.logger.debug(`${options.identity} owns shard ${shard}`);
          hooks.acquired({ takenOver: true });
          await untilAborted(shardSignal);
          await hooks.releasing((key) => shardOf(key, options.shardCount) === shard);
        },
        onReleased: (shard: number) => {
          if (held.get(shard)?.aborted) held.delete(shard);
          options.logger.debug(`${options.identity} released shard ${shard}`);
        },
      });
      await manager.run(signal);
    },
  };
}
