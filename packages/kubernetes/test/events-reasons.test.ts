import { describe, expect, it } from 'vitest';
import { eventName } from '../src/events/event-name.js';
import { argoEventReason } from '../src/index.js';

describe("argoEventReason: the engine's reasons as Argo Rollouts records them on a Rollout", () => {
  // Source of each row: Argo's utils/conditions/conditions.go constants and the recorder.Eventf calls in rollout/*.go.
  it.each([
    ['RolloutStepCompleted', 'Rollout step 1/3 completed (setWeight: 20)', 'RolloutStepCompleted'], // RolloutStepCompletedReason
    ['RolloutPaused', 'Rollout is paused (CanaryPauseStep)', 'RolloutPaused'], // RolloutPausedReason
    ['RolloutResumed', 'Rollout is resumed', 'RolloutResumed'], // RolloutResumedReason
    ['RolloutAborted', 'Rollout aborted update to revision 2', 'RolloutAborted'], // RolloutAbortedReason
    ['RolloutRetry', 'Retrying', 'RolloutRetry'], // RolloutRetryReason
    ['RolloutCompleted', 'Rollout completed update to revision 2', 'RolloutCompleted'], // RolloutCompletedReason
    ['RolloutUpdated', 'Rollout updated to revision 2', 'RolloutUpdated'], // RolloutUpdatedReason
    ['ProgressDeadlineExceeded', 'timed out', 'ProgressDeadlineExceeded'], // TimedOutReason
    ['SkipSteps', 'Rollback to stable ReplicaSets', 'SkipSteps'], // rollout/sync.go
    ['ExperimentCreated', 'Experiment x created for step 2', 'ExperimentCreated'], // rollout/experiment.go
    ['TrafficRoutingError', 'conflict', 'TrafficRoutingError'], // rollout/trafficrouting.go
    ['WorkloadScaled', 'canary abc=2', 'ScalingReplicaSet'], // ScalingReplicaSetReason
    ['WorkloadError', 'could not scale', 'ReplicaSetUpdateError'], // rollout/replicaset.go
    ['TrafficVerifyError', 'could not read', 'WeightVerifyError'], // WeightVerifyErrorReason
    ['AnalysisRunStarted', 'Analysis run r started (step)', 'AnalysisRunRunning'], // rollout/analysis.go "AnalysisRun"+phase
    ['AnalysisRunCompleted', 'Analysis run r completed Successful', 'AnalysisRunSuccessful'],
    ['AnalysisRunCompleted', 'Analysis run r completed Failed: Metric "x" assessed Failed', 'AnalysisRunFailed'],
    ['AnalysisRunCompleted', 'Analysis run r completed Inconclusive', 'AnalysisRunInconclusive'],
    ['ExperimentCompleted', 'Experiment e completed Error: boom', 'ExperimentError'], // experiments/controller.go "Experiment"+phase
    ['TrafficNote', "Switched selector for service 'a' from 'v1' to 'v2'", 'SwitchService'], // rollout/service.go
    ['TrafficNote', 'put the weights back', 'TrafficNote'], // no Argo twin
    ['TrafficDrift', 'traffic drifted', 'TrafficDrift'], // no Argo twin
    ['PromoteIgnored', 'nothing to promote', 'PromoteIgnored'], // no Argo twin
  ])('%s (%s) -> %s', (reason, message, expected) => {
    expect(argoEventReason({ reason, message })).toBe(expected);
  });
});

describe('eventName', () => {
  it("is the object's name and the time in nanoseconds as hex, as client-go names Events", () => {
    // 1_700_000_000_000 ms = 1_700_000_000_000_000_000 ns.
    expect(eventName('web', 1_700_000_000_000, 0)).toBe(`web.${(1_700_000_000_000_000_000n).toString(16)}`);
  });

  it('differs for Events in the same millisecond', () => {
    expect(eventName('web', 5, 1)).not.toBe(eventName('web', 5, 2));
  });
});
