/**
 * What a person (or a controller on their behalf) asks of a rollout; Argo's
 * kubectl plugin verbs. `pause` is `kubectl argo rollouts pause` (as
 * `spec.paused`, until a promote); `promote` ends a pause or skips a step,
 * `full` every remaining step and analysis.
 */
export type RolloutCommand =
  | { type: 'promote'; full?: boolean | undefined }
  | { type: 'abort'; reason?: string | undefined }
  | { type: 'retry' }
  | { type: 'pause' };

/** A command as the status records it: when it arrived and what it did. */
export type RecordedCommand = RolloutCommand & {
  /** Epoch ms. */
  at: number;
  /** `ignored` when it did not apply (nothing to promote, not aborted, ...); `message` says why. */
  result: 'applied' | 'ignored';
  message: string;
};
