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
export { KubernetesApiError, type KubernetesCallContext, toKubernetesApiError } from './kube/kubernetes-api-error.js';
export {
  managedByAnnotation,
  podTemplateHashLabel,
  revisionAnnotation,
  scaleDownDeadlineAnnotation,
} from './kube/labels.js';
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
