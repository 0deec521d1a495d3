import type {
  CallOptions,
  RolloutCommand,
  RolloutEvent,
  RolloutSpec,
  RolloutStatus,
  TrafficRouter,
  Workload,
} from '@gradual/core';
import type { KubeConfig, V1ReplicaSet } from '@kubernetes/client-node';
import type { RolloutObject } from './rollout-object.js';

// The pieces the controller composes, each as small as the controller needs it. The package's own
// work queue, status store, workload, Service selector router, event recorder, leader elector and
// shard manager satisfy them (see `default-parts.ts`); tests and embedders may swap one.

/** A rollout by namespace and name. */
export interface RolloutRef {
  namespace: string;
  name: string;
}

/** client-go's work queue: one worker per key at a time, de-duplicated, rate-limited requeue. */
export interface ControllerQueue {
  add(key: string): void;
  addAfter(key: string, ms: number): void;
  addRateLimited(key: string): void;
  forget(key: string): void;
  readonly length: number;
  /** Runs `handler` for queued keys until `signal` fires or the queue shuts down. */
  process(
    handler: (key: string, options: { signal: AbortSignal }) => Promise<void>,
    options: { concurrency: number; signal: AbortSignal },
  ): Promise<void>;
  /** Stops taking keys and resolves once no handler is in flight (queued keys are dropped unless `drain`). */
  shutdown(options?: { drain?: boolean | undefined }): Promise<void>;
}

/** Pods of a rollout's ReplicaSets, as Argo's status counts them. */
export interface WorkloadCounts {
  replicas: number;
  /** Pods of the revision the spec ships. */
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  /** The Rollout's label selector as text (`app=web`). */
  selector?: string | undefined;
}

/** What the status store read from a Rollout object: gradual's status and the version it was read at. */
export interface StoredRollout {
  object: RolloutObject;
  /** gradual's status, or null before the first reconcile. */
  status: RolloutStatus | null;
  resourceVersion: string;
}

/** The Rollout status store: optimistic concurrency on the Rollout object. */
export interface ControllerStatusStore {
  /** From an object of the informer's cache: no request. */
  fromObject(object: RolloutObject): StoredRollout;
  /** A fresh GET, after a conflict showed the cache behind. */
  read(ref: RolloutRef, options: CallOptions): Promise<StoredRollout>;
  /**
   * Writes gradual's status (and Argo's projection) with the resourceVersion read; resolves with the
   * new resourceVersion (the same one when nothing changed). A stale one rejects with code STATUS_CONFLICT.
   */
  write(
    ref: RolloutRef,
    update: {
      resourceVersion: string;
      status: RolloutStatus;
      spec: RolloutSpec;
      stored: StoredRollout;
      /** The rollout's pods as its ReplicaSets report them, for Argo's replica fields. */
      workload?: WorkloadCounts | undefined;
    },
    options: CallOptions,
  ): Promise<string>;
  /** The commands `kubectl argo rollouts` wrote into the object since the last write, each once. */
  commands(stored: StoredRollout): RolloutCommand[];
}

/** What `spec.workloadRef` points at: the Deployment's pod template and selector. */
export interface WorkloadTemplate {
  template: Record<string, unknown>;
  selector?: Record<string, unknown> | undefined;
  /** The Deployment's `spec.replicas` now. */
  replicas: number;
}

/** What the controller needs to build the per-rollout adapters. */
export interface RolloutAdapters {
  /** The revision the spec ships: an existing ReplicaSet with the same pod template keeps its hash. */
  resolveRevision(input: { spec: RolloutSpec; replicaSets: readonly V1ReplicaSet[] }): string;
  /** The pod template (and selector) of `spec.workloadRef`'s Deployment, or undefined when the Rollout has none. */
  workloadTemplate(object: RolloutObject, options: CallOptions): Promise<WorkloadTemplate | undefined>;
  /** Parses the Rollout object, with what was read for a workloadRef. */
  parse(object: RolloutObject, workloadTemplate: WorkloadTemplate | undefined): RolloutSpec;
  /** The ReplicaSets of the rollout; undefined to run without one (every version counts as available). */
  workload(input: {
    namespace: string;
    object: RolloutObject;
    spec: RolloutSpec;
    /** gradual's stored status, null before the first reconcile. */
    status: RolloutStatus | null;
  }): Workload | undefined;
  /** After a stored reconcile of a `workloadRef` Rollout: scales the Deployment by `scaleDown`, as Argo. */
  scaleWorkloadRef?(
    input: {
      namespace: string;
      spec: RolloutSpec;
      status: RolloutStatus;
      referenced: WorkloadTemplate;
      counts: WorkloadCounts;
    },
    options: CallOptions,
  ): Promise<void>;
  /** The Service selector router, or undefined when the spec names no Service to switch. */
  serviceRouter(input: { namespace: string; spec: RolloutSpec }): TrafficRouter | undefined;
}

/** Kubernetes Events on a Rollout; a failed write never fails a reconcile. */
export interface ControllerEventRecorder {
  record(object: RolloutObject, event: RolloutEvent, options: CallOptions): Promise<void>;
}

/** What the controller does when ownership changes. */
export interface OwnershipHooks {
  /**
   * This replica now owns more keys: queue every key of the cache it owns. `takenOver`: another replica may
   * have owned them until now (a Lease changed hands), so the cache may be behind its last write.
   */
  acquired(options?: { takenOver?: boolean | undefined }): void;
  /** This replica is losing the keys `lost` picks: resolves when their reconciles in flight have ended. */
  releasing(lost: (key: string) => boolean): Promise<void>;
}

/** Who may reconcile which rollout now: a leader, the owners of shards, or (alone) everyone. */
export interface Ownership {
  /** Whether this replica may reconcile the rollout with this key now. */
  owns(key: string): boolean;
  /** An AbortSignal that fires when this replica loses the right to reconcile `key`; undefined when it does not own it. */
  signalFor(key: string): AbortSignal | undefined;
  /** Runs elections until `signal` fires; leases are released before it resolves. */
  run(signal: AbortSignal, hooks: OwnershipHooks): Promise<void>;
}

/** Everything the controller composes; built from a KubeConfig by `defaultParts`. */
export interface ControllerParts {
  queue: ControllerQueue;
  store: ControllerStatusStore;
  adapters: RolloutAdapters;
  events: ControllerEventRecorder;
  ownership: Ownership;
}

/** A part built from the controller's connection. */
export type PartFactory<T> = (context: { kubeConfig: KubeConfig }) => T;
