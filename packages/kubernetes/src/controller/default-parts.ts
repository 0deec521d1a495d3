import { type Clock, type JsonObject, type Logger, parseRollout } from '@gradual/core';
import type { KubeConfig } from '@kubernetes/client-node';
import { createEventRecorder } from '../events/create-event-recorder.js';
import { createWorkQueue } from '../queue/create-work-queue.js';
import { createServiceSelectorRouter } from '../service-selector/create-service-selector-router.js';
import { serviceSelectorRoutingFromRollout } from '../service-selector/service-selector-routing-from-rollout.js';
import { commandsFromRollout } from '../status/commands-from-rollout.js';
import { createRolloutStatusStore } from '../status/create-rollout-status-store.js';
import type { RolloutStatusRead } from '../status/rollout-status-from-object.js';
import { createKubernetesWorkload } from '../workload/create-kubernetes-workload.js';
import { readWorkloadRef } from '../workload/read-workload-ref.js';
import { resolveRevision } from '../workload/resolve-revision.js';
import { scaleWorkloadRef } from '../workload/scale-workload-ref.js';
import { workloadRefScaleDown } from '../workload/workload-ref-scale-down.js';
import type { ControllerParts, Ownership, StoredRollout } from './controller-parts.js';
import { type LeaseTimings, leaderOwnership } from './leader-ownership.js';
import type { RolloutObject } from './rollout-object.js';
import { shardOwnership } from './shard-ownership.js';
import { soleOwnership } from './sole-ownership.js';

/** How replicas share the work: one alone, a leader on a Lease, or shards on Leases. */
export type OwnershipOptions =
  | { kind: 'sole' }
  | ({ kind: 'leader'; namespace: string; name: string; identity: string } & LeaseTimings)
  | ({ kind: 'shards'; namespace: string; identity: string; shardCount: number } & LeaseTimings);

/**
 * The controller's parts from this package: the work queue, the Rollout status store and the plugin's
 * commands, the Kubernetes Workload (ReplicaSets; workloadRef Deployments), the Service selector router, the
 * Event recorder, and leader election or shards.
 */
export function defaultParts(options: {
  kubeConfig: KubeConfig;
  clock: Clock;
  logger: Logger;
  ownership: OwnershipOptions;
}): ControllerParts {
  const { kubeConfig, clock, logger } = options;
  const store = createRolloutStatusStore({ kubeConfig, clock });
  const recorder = createEventRecorder({ kubeConfig, clock, logger });
  // The store reads plain objects; the informer's are plain JSON too.
  const asRead = (stored: StoredRollout) => stored as unknown as RolloutStatusRead;
  const asStored = (read: RolloutStatusRead) => read as unknown as StoredRollout;
  return {
    queue: createWorkQueue({ clock }),
    store: {
      fromObject: (object) => asStored(store.fromObject(object as Record<string, unknown>)),
      read: async (ref, call) => asStored(await store.read(ref, { signal: call.signal })),
      write: (ref, update, call) =>
        store.write(
          ref,
          { read: asRead(update.stored), status: update.status, spec: update.spec, workload: update.workload },
          { signal: call.signal },
        ),
      commands: (stored) => commandsFromRollout(asRead(stored)),
    },
    adapters: {
      resolveRevision: ({ spec, replicaSets }) => resolveRevision({ spec, replicaSets }),
      async workloadTemplate(object, call) {
        const ref = (object.spec as { workloadRef?: { name?: unknown } | undefined } | undefined)?.workloadRef;
        if (!ref || typeof ref.name !== 'string') return undefined;
        const read = await readWorkloadRef(
          { kubeConfig, namespace: object.metadata?.namespace ?? '', ref: { name: ref.name } },
          call,
        );
        return { template: read.template, replicas: read.replicas, ...(read.selector ? { selector: read.selector } : {}) };
      },
      parse: (object, workload) =>
        parseRollout(object, {
          ...(workload ? { workloadTemplate: workload.template as JsonObject } : {}),
          ...(workload?.selector ? { workloadSelector: workload.selector as JsonObject } : {}),
        }),
      workload: ({ namespace, object, spec, status }) =>
        createKubernetesWorkload({
          kubeConfig,
          namespace,
          rollout: { name: object.metadata?.name ?? spec.name, uid: object.metadata?.uid ?? '' },
          spec,
          clock,
          // A fresh instance per reconcile: what it applied last lives in the stored status.
          stableRevision: status?.stableRevision ?? stableRSOf(object),
          currentStepIndex: () => status?.currentStepIndex,
        }),
      async scaleWorkloadRef({ namespace, spec, status, referenced, counts }, call) {
        if (!spec.workloadRef) return;
        const replicas = workloadRefScaleDown({
          scaleDown: spec.workloadRef.scaleDown,
          replicas: spec.replicas,
          availableReplicas: counts.availableReplicas,
          healthy: status.phase === 'Healthy' && status.stableRevision === spec.revision,
          deploymentReplicas: referenced.replicas,
          // Argo scales the Deployment down only while migrating onto the first revision.
          firstRevision: (status.previousStableRevisions?.length ?? 0) === 0,
        });
        await scaleWorkloadRef({ kubeConfig, namespace, name: spec.workloadRef.name, replicas }, call);
      },
      serviceRouter({ namespace, spec }) {
        const names = spec.strategy.blueGreen ?? spec.strategy.canary;
        const hasServices = spec.strategy.blueGreen
          ? true
          : Boolean(spec.strategy.canary?.canaryService && spec.strategy.canary?.stableService);
        if (!names || !hasServices) return undefined;
        return createServiceSelectorRouter({
          kubeConfig,
          namespace,
          rolloutName: spec.name,
          services: serviceSelectorRoutingFromRollout(spec),
        });
      },
    },
    events: {
      async record(object: RolloutObject, event, call) {
        await recorder.record(
          {
            name: object.metadata?.name ?? '',
            namespace: object.metadata?.namespace ?? '',
            ...(object.metadata?.uid ? { uid: object.metadata.uid } : {}),
          },
          event,
          { signal: call.signal, ...(call.logger ? { logger: call.logger } : {}) },
        );
      },
    },
    ownership: ownershipOf(options),
  };
}

function stableRSOf(object: RolloutObject): string | null {
  const stableRS = object.status?.stableRS;
  return typeof stableRS === 'string' && stableRS !== '' ? stableRS : null;
}

function ownershipOf(options: { kubeConfig: KubeConfig; clock: Clock; logger: Logger; ownership: OwnershipOptions }): Ownership {
  const { ownership, kubeConfig, clock, logger } = options;
  if (ownership.kind === 'leader') return leaderOwnership({ ...ownership, kubeConfig, clock, logger });
  if (ownership.kind === 'shards') return shardOwnership({ ...ownership, kubeConfig, clock, logger });
  return soleOwnership();
}
