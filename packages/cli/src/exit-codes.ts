/** The exit codes of `gradual`, for CI jobs: the outcome of a rollout, bad input, or an interruption. */
export const exitCodes = {
  /** Promoted (or, for lint, no errors). */
  ok: 0,
  /** Aborted (or, for lint, errors found). */
  aborted: 1,
  /** The manifests, flags or files are invalid. */
  invalidInput: 2,
  /** Progress stopped: an adapter failed for good or the progress deadline passed. */
  degraded: 3,
  /** SIGINT / SIGTERM; the status was saved. */
  interrupted: 130,
} as const;

/** The exit code for a rollout outcome. */
export function exitCodeOf(outcome: 'Promoted' | 'Aborted' | 'Degraded'): number {
  return outcome === 'Promoted' ? exitCodes.ok : outcome === 'Aborted' ? exitCodes.aborted : exitCodes.degraded;
}
