export { KubernetesApiError, type KubernetesCallContext, toKubernetesApiError } from './kube/kubernetes-api-error.js';
export {
  gradualStatusAnnotation,
  managedByAnnotation,
  podTemplateHashLabel,
  revisionAnnotation,
  scaleDownDeadlineAnnotation,
} from './kube/labels.js';
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
