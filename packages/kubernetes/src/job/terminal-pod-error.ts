import type { V1Pod } from '@kubernetes/client-node';

/** Waiting reasons of a container that will not recover on its own (Argo's `terminalWaitingReasons`). */
const terminalWaitingReasons = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName']);

/**
 * Why a Job's pods can never make progress (an image that cannot be pulled), worded as Argo's
 * job provider words it, or undefined. Argo then ends the measurement Inconclusive, pausing the
 * rollout for a person rather than failing it.
 */
export function terminalPodError(pods: readonly V1Pod[]): string | undefined {
  for (const pod of pods) {
    for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
      const waiting = status.state?.waiting;
      if (waiting?.reason && terminalWaitingReasons.has(waiting.reason))
        return `Pod ${pod.metadata?.name}, container ${status.name} has terminal error (${waiting.reason}): ${waiting.message ?? ''}`;
    }
  }
  return undefined;
}
