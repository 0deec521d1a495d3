/** What a person (or a controller on their behalf) asks of a rollout; Argo's kubectl plugin verbs. */
export type RolloutCommand =
  | { type: 'promote'; full?: boolean | undefined }
  | { type: 'abort'; reason?: string | undefined }
  | { type: 'retry' };
