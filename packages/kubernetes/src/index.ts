export { KubernetesApiError, type KubernetesCallContext, toKubernetesApiError } from './kube/kubernetes-api-error.js';
export {
  experimentNameAnnotation,
  experimentTemplateNameAnnotation,
  managedByAnnotation,
  podTemplateHashLabel,
  revisionAnnotation,
  scaleDownDeadlineAnnotation,
} from './kube/labels.js';
export {
  createKubernetesWorkload,
  type KubernetesWorkload,
  type KubernetesWorkloadOptions,
  type WorkloadOwner,
} from './workload/create-kubernetes-workload.js';
export { type KubeCallConfiguration, kubeCall } from './workload/kube-call.js';
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
