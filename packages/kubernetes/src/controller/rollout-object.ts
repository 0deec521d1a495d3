import type { KubernetesObject } from '@kubernetes/client-node';

/**
 * An `argoproj.io/v1alpha1` Rollout as the API server returns it (its `metadata` carries gradual's status
 * annotation); the controller reads `spec` through `parseRollout`.
 */
export interface RolloutObject extends KubernetesObject {
  /** The Rollout's spec as written (`parseRollout` reads it). */
  spec?: Record<string, unknown> | undefined;
  /** Argo's status fields, as the status subresource holds them. */
  status?: Record<string, unknown> | undefined;
}

/** An `argoproj.io/v1alpha1` AnalysisTemplate, handed to `parseAnalysisTemplate` as is. */
export interface AnalysisTemplateObject extends KubernetesObject {
  /** The template's spec as written. */
  spec?: Record<string, unknown> | undefined;
}
