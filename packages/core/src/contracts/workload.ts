import type { CallOptions } from './call-options.js';

/** Desired replicas of one version (a ReplicaSet, in Kubernetes terms). */
export interface ReplicaTarget {
  revision: string;
  replicas: number;
}

/** What the engine wants running. Experiments are keyed by template name. */
export interface WorkloadState {
  /** Absent while the stable revision is not known. */
  stable?: ReplicaTarget | undefined;
  canary?: ReplicaTarget | undefined;
  experiments: (ReplicaTarget & { name: string })[];
  /** Versions being retired: kept at `replicas` until their scale-down delay passes, then 0. */
  retiring?: ReplicaTarget[] | undefined;
}

/** Replicas of one version as they are. */
export interface ReplicaObservation {
  revision: string;
  replicas: number;
  availableReplicas: number;
}

export interface WorkloadObservation {
  stable?: ReplicaObservation | undefined;
  canary?: ReplicaObservation | undefined;
  experiments: (ReplicaObservation & { name: string })[];
}

/**
 * Scales the versions of a workload (optional). Without one, the engine
 * treats every version as fully available. Declarative like TrafficRouter.
 */
export interface Workload {
  readonly specificationVersion: 'v1';
  apply(desired: WorkloadState, options: CallOptions): Promise<void>;
  observe(options: CallOptions): Promise<WorkloadObservation>;
}
