/** One of Argo's `RolloutCondition`s (`status.conditions[]`); times are RFC 3339. */
export interface ArgoRolloutCondition {
  /** Argo's types (Progressing, Available, Paused, Completed, Healthy, ...), or gradual's write stamp. */
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  lastUpdateTime: string;
}

/** Argo's `RolloutAnalysisRunStatus`: an AnalysisRun the rollout waits on. */
export interface ArgoAnalysisRunStatus {
  name: string;
  status: string;
  message?: string | undefined;
}

/** Argo's `WeightDestination` in `status.canary.weights`. */
export interface ArgoWeightDestination {
  weight: number;
  podTemplateHash?: string | undefined;
  serviceName?: string | undefined;
}

/**
 * The fields of Argo's `RolloutStatus` (the Rollout's status subresource)
 * that gradual writes, named and shaped as Argo writes them, so that
 * `kubectl get rollout` and `kubectl argo rollouts get` read them.
 */
export interface ArgoRolloutStatus {
  phase?: string | undefined;
  message?: string | undefined;
  /** Canary with steps only. */
  currentStepIndex?: number | undefined;
  currentPodHash?: string | undefined;
  currentStepHash?: string | undefined;
  stableRS?: string | undefined;
  /** `metadata.generation` as a string, as Argo writes it. */
  observedGeneration?: string | undefined;
  pauseConditions?: { reason: string; startTime: string }[] | null | undefined;
  controllerPause?: boolean | undefined;
  abort?: boolean | undefined;
  abortedAt?: string | undefined;
  promoteFull?: boolean | undefined;
  replicas?: number | undefined;
  updatedReplicas?: number | undefined;
  readyReplicas?: number | undefined;
  availableReplicas?: number | undefined;
  selector?: string | undefined;
  canary?:
    | {
        weights?:
          | {
              canary: ArgoWeightDestination;
              stable: ArgoWeightDestination;
              additional?: ArgoWeightDestination[] | undefined;
            }
          | undefined;
        currentStepAnalysisRunStatus?: ArgoAnalysisRunStatus | undefined;
        currentBackgroundAnalysisRunStatus?: ArgoAnalysisRunStatus | undefined;
      }
    | undefined;
  blueGreen?:
    | {
        activeSelector?: string | undefined;
        previewSelector?: string | undefined;
        prePromotionAnalysisRunStatus?: ArgoAnalysisRunStatus | undefined;
        postPromotionAnalysisRunStatus?: ArgoAnalysisRunStatus | undefined;
      }
    | undefined;
  conditions?: ArgoRolloutCondition[] | undefined;
}
