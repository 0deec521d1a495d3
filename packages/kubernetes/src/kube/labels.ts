// The labels and annotations Argo Rollouts writes, so that objects it created are recognised and
// `kubectl argo rollouts` reads the ones gradual creates.

/** Pod-template hash of a revision, on ReplicaSets, their pods and the selectors that pick them. */
export const podTemplateHashLabel = 'rollouts-pod-template-hash';
/** Rollout revision number on a ReplicaSet (Argo's `rollout.argoproj.io/revision`). */
export const revisionAnnotation = 'rollout.argoproj.io/revision';
/** When an old ReplicaSet may be scaled to zero (RFC 3339), as Argo writes it. */
export const scaleDownDeadlineAnnotation = 'scale-down-deadline';
/** Marks a Service whose selector a rollout manages. */
export const managedByAnnotation = 'argo-rollouts.argoproj.io/managed-by-rollouts';
/** Experiment an experiment ReplicaSet belongs to (Argo's `experiment.argoproj.io/name`). */
export const experimentNameAnnotation = 'experiment.argoproj.io/name';
/** Template of the experiment an experiment ReplicaSet runs (Argo's `experiment.argoproj.io/template-name`). */
export const experimentTemplateNameAnnotation = 'experiment.argoproj.io/template-name';
/** gradual's own status (JSON) on a Rollout; Argo's CRD schema would prune it from `.status`. */
export const gradualStatusAnnotation = 'rollouts.gradual.dev/status';
/** UID of the AnalysisRun a metric Job measures for (Argo's job provider; on the Job and its pods). */
export const analysisRunUidLabel = 'analysisrun.argoproj.io/uid';
/** Name of the AnalysisRun a metric Job measures for. */
export const analysisRunNameAnnotation = 'analysisrun.argoproj.io/name';
/** Namespace of the AnalysisRun a metric Job measures for. */
export const analysisRunNamespaceAnnotation = 'analysisrun.argoproj.io/namespace';
/** Name of the metric a Job measures. */
export const analysisRunMetricAnnotation = 'analysisrun.argoproj.io/metric-name';
