/** Something that happened during a reconcile, for logs, UIs and Kubernetes Events. */
export interface RolloutEvent {
  /** Argo's event reasons where one exists: RolloutStepCompleted, RolloutPaused, RolloutAborted, ... */
  reason: string;
  /** `Warning` for failures, as Kubernetes Events. */
  type: 'Normal' | 'Warning';
  message: string;
  /** ISO 8601. */
  at: string;
  stepIndex?: number | undefined;
}
