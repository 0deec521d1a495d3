import type { V1ReplicaSet } from '@kubernetes/client-node';

/** How many pods of a ReplicaSet are available against how many it wants. */
export interface ReplicaSetAvailability {
  /** The ReplicaSet's name, for messages. */
  name: string;
  /** `status.availableReplicas` (0 when unset). */
  available: number;
  /** `spec.replicas` (Kubernetes defaults it to 1). */
  desired: number;
  /** Argo's `IsReplicaSetAvailable`: scaled up and every wanted pod available. */
  full: boolean;
  /** Argo's `IsReplicaSetPartiallyAvailable`: at least one pod available. */
  partial: boolean;
}

/** Reads a ReplicaSet's availability as Argo's `utils/replicaset` does. Pure. */
export function replicaSetAvailability(replicaSet: V1ReplicaSet): ReplicaSetAvailability {
  const available = replicaSet.status?.availableReplicas ?? 0;
  const desired = replicaSet.spec?.replicas ?? 1;
  return {
    name: replicaSet.metadata?.name ?? '',
    available,
    desired,
    full: desired > 0 && available > 0 && available >= desired,
    partial: available > 0,
  };
}
