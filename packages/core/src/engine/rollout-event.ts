/** Something that happened during a reconcile, for logs, UIs and Kubernetes Events. */
export interface RolloutEvent {
  /** Argo's event reasons where one exists: RolloutStepCompleted, RolloutPaused, RolloutAborted, ... */
  reason: string;
  /** `Warning` for failures, as Kubernetes Events. */
  type: 'Normal' | 'Warning';
  message: string;
  /** ISO 8601, for logs and Kubernetes Events (the status itself keeps epoch milliseconds). */
  at: string;
  stepIndex?: number | undefined;
}

/** The one way the engine makes an event; `now` is epoch ms. */
export function rolloutEvent(input: {
  reason: string;
  message: string;
  now: number;
  type?: 'Normal' | 'Warning' | undefined;
  stepIndex?: number | undefined;
}): RolloutEvent {
  return {
    reason: input.reason,
    type: input.type ?? 'Normal',
    message: input.message,
    at: new Date(input.now).toISOString(),
    ...(input.stepIndex === undefined ? {} : { stepIndex: input.stepIndex }),
  };
}
