export type { ControllerCoreOptions, RolloutController } from './controller/build-rollout-controller.js';
export {
  createRolloutController,
  type RolloutControllerOptions,
} from './controller/create-rollout-controller.js';
export type { LeaseTimings } from './controller/leader-ownership.js';
export type { RouterFor } from './controller/reconcile-rollout.js';
export type { RolloutObject } from './controller/rollout-object.js';
export { argoEventReason } from './events/argo-event-reason.js';
export {
  createEventRecorder,
  type EventRecorder,
  type EventRecorderOptions,
  type EventRecorderStats,
  type RecordEventOptions,
  type RecordedEvent,
  type RolloutReference,
} from './events/create-event-recorder.js';
export type { AnalysisRunReference } from './job/build-metric-job.js';
export { createJobProvider, type JobProviderOptions } from './job/create-job-provider.js';
export type { JobMetric } from './job/job-metric.js';
export { kubeCall } from './kube/kube-call.js';
export { KubernetesApiError, type KubernetesCallContext, toKubernetesApiError } from './kube/kubernetes-api-error.js';
export {
  experimentNameAnnotation,
  experimentTemplateNameAnnotation,
  gradualStatusAnnotation,
  managedByAnnotation,
  podTemplateHashLabel,
  revisionAnnotation,
  scaleDownDeadlineAnnotation,
} from './kube/labels.js';
export { type KubeCallConfiguration, signalConfiguration } from './kube/signal-configuration.js';
export { type BucketRateLimiterOptions, createBucketRateLimiter } from './queue/create-bucket-rate-limiter.js';
export { createDefaultControllerRateLimiter } from './queue/create-default-controller-rate-limiter.js';
export {
  createExponentialRateLimiter,
  type ExponentialRateLimiterOptions,
} from './queue/create-exponential-rate-limiter.js';
export { createMaxOfRateLimiter } from './queue/create-max-of-rate-limiter.js';
export {
  createWorkQueue,
  type ProcessOptions,
  type ShutdownOptions,
  type WorkHandler,
  type WorkQueue,
  type WorkQueueOptions,
  type WorkResult,
} from './queue/create-work-queue.js';
export type { RateLimiter } from './queue/rate-limiter.js';
export { type AssignShardsRequest, assignShards } from './scale-out/assign-shards.js';
export {
  createLeaderElector,
  type LeaderElector,
  type LeaderElectorOptions,
} from './scale-out/create-leader-elector.js';
export { createShardManager, type ShardManager, type ShardManagerOptions } from './scale-out/create-shard-manager.js';
export { shardOf } from './scale-out/shard-of.js';
export {
  createServiceSelectorRouter,
  type ServiceSelectorRouterOptions,
} from './service-selector/create-service-selector-router.js';
export { type RecordedTraffic, recordedTrafficAnnotation } from './service-selector/recorded-traffic.js';
export { serviceSelectorIssues } from './service-selector/service-selector-issues.js';
export { serviceSelectorRoutingFromRollout } from './service-selector/service-selector-routing-from-rollout.js';
export {
  type BlueGreenServices,
  type CanaryServices,
  isBlueGreenServices,
  type ServiceSelectorServices,
} from './service-selector/service-selector-services.js';
export { type ArgoCommandFields, argoCommandFields } from './status/argo-command-fields.js';
export { type ArgoRolloutConditionsInput, argoRolloutConditions } from './status/argo-rollout-conditions.js';
export type {
  ArgoAnalysisRunStatus,
  ArgoRolloutCondition,
  ArgoRolloutStatus,
  ArgoWeightDestination,
} from './status/argo-rollout-status.js';
export { commandsFromRollout } from './status/commands-from-rollout.js';
export {
  createRolloutStatusStore,
  type RolloutRef,
  type RolloutStatusCallOptions,
  type RolloutStatusStore,
  type RolloutStatusStoreOptions,
  type RolloutStatusUpdate,
} from './status/create-rollout-status-store.js';
export { RolloutStatusConflictError } from './status/rollout-status-conflict-error.js';
export {
  type RolloutStatusRead,
  rolloutStatusFromObject,
  type StoredRolloutStatus,
  type WrittenProjection,
} from './status/rollout-status-from-object.js';
export { RolloutStatusTooLargeError } from './status/rollout-status-too-large-error.js';
export { statusWriteStampType } from './status/status-write-stamp.js';
export {
  type ArgoWorkloadCounts,
  type ToArgoRolloutStatusInput,
  toArgoRolloutStatus,
} from './status/to-argo-rollout-status.js';
export {
  createKubernetesWorkload,
  type KubernetesWorkload,
  type KubernetesWorkloadOptions,
  type WorkloadOwner,
} from './workload/create-kubernetes-workload.js';
export { labelSelectorString } from './workload/label-selector-string.js';
export { MissingReplicaSetError } from './workload/missing-replica-set-error.js';
export { podTemplatesEqual } from './workload/pod-templates-equal.js';
export { type ReadWorkloadRefRequest, readWorkloadRef, type WorkloadRefTemplate } from './workload/read-workload-ref.js';
export {
  type ExperimentNameInput,
  experimentName,
  experimentReplicaSetName,
  replicaSetName,
} from './workload/replica-set-names.js';
export { type ResolveRevisionInput, resolveRevision } from './workload/resolve-revision.js';
export { type ScaleWorkloadRefRequest, scaleWorkloadRef } from './workload/scale-workload-ref.js';
export { type WorkloadRefScaleDownInput, workloadRefScaleDown } from './workload/workload-ref-scale-down.js';
