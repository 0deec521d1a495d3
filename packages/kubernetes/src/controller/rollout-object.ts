import type { KubernetesObject, V1ObjectMeta } from '@kubernetes/client-node';

/** An `argoproj.io/v1alpha1` Rollout as the API server returns it; the controller reads `spec` through `parseRollout`. */
export interface RolloutObject extends KubernetesObject {
  /** Name, namespace, uid, resourceVersion, generation, annotations (gradual's status among them). */
  metadata?: V1ObjectMeta | undefined;
  /** The Rollout's spec as written (`parseRollout` reads it). */
  spec?: Record<string, unknown> | undefined;
  /** Argo's status fields, as the status subresource holds them. */
  status?: Record<string, unknown> | undefined;
}

/** An `argoproj.io/v1alpha1` AnalysisTemplate, handed to `parseAnalysisTemplate` as is. */
export interface AnalysisTemplateObject extends KubernetesObject {
  /** Name, namespace, resourceVersion. */
  metadata?: V1ObjectMeta | undefined;
  /** The template's spec as written. */
  spec?: Record<string, unknown> | undefined;
}
