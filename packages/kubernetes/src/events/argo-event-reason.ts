import type { RolloutEvent } from '@gradual/core';

/**
 * Engine reasons that Argo Rollouts spells differently on a Rollout's Events (sources: `utils/conditions`
 * constants and the `recorder.Eventf` calls in `rollout/*.go`). Reasons not listed are Argo's already
 * (RolloutStepCompleted, RolloutPaused, RolloutResumed, RolloutAborted, RolloutRetry, RolloutCompleted,
 * RolloutUpdated, ProgressDeadlineExceeded, SkipSteps, ExperimentCreated, TrafficRoutingError) or have no
 * Argo twin (TrafficDrift, PromoteIgnored, PromoteRefused, PauseIgnored, AbortIgnored, RetryIgnored), and pass
 * through unchanged.
 */
const renamed: Readonly<Record<string, string>> = {
  // conditions.ScalingReplicaSetReason ("Scaled up ReplicaSet x from 1 to 3").
  WorkloadScaled: 'ScalingReplicaSet',
  // The Warning `rollout/replicaset.go` records when a ReplicaSet write fails.
  WorkloadError: 'ReplicaSetUpdateError',
  // conditions.WeightVerifyErrorReason: the router could not read the traffic back.
  TrafficVerifyError: 'WeightVerifyError',
  // `rollout/analysis.go` names the run's phase ("AnalysisRunRunning"); a run the engine started is running.
  AnalysisRunStarted: 'AnalysisRunRunning',
};

/** The Argo reason carrying a phase, from the engine's "... completed <Phase>" message. */
const phased: Readonly<Record<string, string>> = {
  AnalysisRunCompleted: 'AnalysisRun',
  ExperimentCompleted: 'Experiment',
};

const phases = new Set(['Successful', 'Failed', 'Error', 'Inconclusive', 'Running', 'Pending']);

/**
 * The reason a Kubernetes Event on the Rollout carries for `event`, as Argo Rollouts writes it, so that
 * `kubectl describe rollout` and tools keyed on Argo's reasons read gradual's Events alike. A finished analysis
 * run becomes `AnalysisRun<Phase>` (`AnalysisRunSuccessful`, `AnalysisRunFailed`, ...), an experiment
 * `Experiment<Phase>`, a Service selector switch `SwitchService`. Pure.
 */
export function argoEventReason(event: Pick<RolloutEvent, 'reason' | 'message'>): string {
  const prefix = phased[event.reason];
  if (prefix) {
    const phase = / completed (\w+)/.exec(event.message)?.[1];
    return phase && phases.has(phase) ? `${prefix}${phase}` : event.reason;
  }
  // The router's note for a moved selector is the event Argo records in `switchServiceSelector`.
  if (event.reason === 'TrafficNote' && event.message.startsWith('Switched selector for service ')) return 'SwitchService';
  return renamed[event.reason] ?? event.reason;
}
