import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { GradualError, noopLogger, systemClock } from '@gradual/core';
import { buildRolloutController, type ControllerCoreOptions, type RolloutController } from './build-rollout-controller.js';
import { defaultParts, type OwnershipOptions } from './default-parts.js';
import type { LeaseTimings } from './leader-ownership.js';

/** Options of {@link createRolloutController}. */
export interface RolloutControllerOptions extends ControllerCoreOptions {
  /** This replica's name in Leases; default `<hostname>-<random>`. Unique per replica. */
  identity?: string | undefined;
  /**
   * Several replicas, one leader: only the holder of the Lease `name` (default `gradual-controller`) in
   * `namespace` (default the kubeConfig context's namespace, else `default`) reconciles; failover within
   * `leaseDurationMs` (15 s) of a crash, at once after a clean `stop()`.
   */
  leaderElection?: ({ namespace?: string | undefined; name?: string | undefined } & LeaseTimings) | undefined;
  /**
   * Several replicas sharing the work: rollouts are split into `shardCount` shards by a stable hash of
   * `namespace/name`, each shard held by one replica on its own Lease, rebalanced when a replica joins or dies.
   */
  sharding?: ({ shardCount: number; namespace?: string | undefined } & LeaseTimings) | undefined;
}

/**
 * A controller for `argoproj.io/v1alpha1` Rollouts built from this package's parts: informers on Rollouts,
 * ReplicaSets and AnalysisTemplates feed one work queue (a rollout is never reconciled twice at once; failures
 * back off; `requeueAfterMs` is honoured); each reconcile reads gradual's status from the Rollout, takes the
 * commands `kubectl argo rollouts` wrote, resolves the spec (`workloadRef` too) and its revision, moves traffic
 * with `routerFor` (yours: Istio, Gateway API, ...) or the Service selector router, scales ReplicaSets, calls
 * core's `reconcile`, stores the status with the resourceVersion it read (a stale write is refused and read
 * again), records Events with Argo's reasons, and requeues. `start()` once; `stop()` on SIGTERM.
 *
 * @throws GradualError `CONTROLLER_CONFIG` when both `leaderElection` and `sharding` are given.
 */
export function createRolloutController(options: RolloutControllerOptions): RolloutController {
  if (options.leaderElection && options.sharding) {
    throw new GradualError(
      'CONTROLLER_CONFIG',
      'createRolloutController: pass leaderElection or sharding, not both (shards already elect one owner per shard)',
    );
  }
  if (options.sharding && !(Number.isInteger(options.sharding.shardCount) && options.sharding.shardCount > 0)) {
    throw new GradualError(
      'CONTROLLER_CONFIG',
      `createRolloutController: sharding.shardCount must be a positive integer, got ${options.sharding.shardCount}`,
    );
  }
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? noopLogger;
  const identity = options.identity ?? `${hostname()}-${randomUUID().slice(0, 8)}`;
  const leaseNamespace = (namespace: string | undefined) =>
    namespace ?? options.kubeConfig.getContextObject(options.kubeConfig.getCurrentContext())?.namespace ?? 'default';
  const { leaderElection, sharding } = options;
  const ownership: OwnershipOptions = leaderElection
    ? {
        ...leaderElection,
        kind: 'leader',
        namespace: leaseNamespace(leaderElection.namespace),
        name: leaderElection.name ?? 'gradual-controller',
        identity,
      }
    : sharding
      ? { ...sharding, kind: 'shards', namespace: leaseNamespace(sharding.namespace), identity }
      : { kind: 'sole' };
  return buildRolloutController(options, defaultParts({ kubeConfig: options.kubeConfig, clock, logger, ownership }));
}
