import type { KubernetesObject, V1ObjectMeta } from '@kubernetes/client-node';

/** An `argoproj.io/v1alpha1` Rollout as the API server returns it; the controller reads `spec` through `parseRollout`. */
export interface RolloutObject extends KubernetesObject {
  metadata?: V1ObjectMeta | undefined;
  spec?: Record<string, unknown> | undefined;
  status?: Record<string, unknown> | undefined;
}

/** An `argoproj.io/v1alpha1` AnalysisTemplate, handed to `parseAnalysisTemplate` as is. */
export interface AnalysisTemplateObject extends KubernetesObject {
  metadata?: V1ObjectMeta | undefined;
  spec?: Record<string, unknown> | undefined;
}
