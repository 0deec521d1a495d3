import type { CallOptions, JsonObject, WorkloadRef } from '@gradual/core';
import { AppsV1Api, type KubeConfig } from '@kubernetes/client-node';
import { kubeCall } from '../kube/kube-call.js';

/** What {@link readWorkloadRef} reads. */
export interface ReadWorkloadRefRequest {
  kubeConfig: KubeConfig;
  namespace: string;
  /** `spec.workloadRef` of the Rollout (only its name is read: an apps/v1 Deployment). */
  ref: Pick<WorkloadRef, 'name'> & { apiVersion?: string | undefined; kind?: string | undefined };
}

/** The parts of the referenced Deployment a Rollout runs from. */
export interface WorkloadRefTemplate {
  /** `spec.template` of the Deployment, as plain JSON: pass it as `parseRollout(input, { workloadTemplate })`. */
  template: JsonObject;
  /** `spec.selector` of the Deployment (`parseRollout(input, { workloadSelector })`). */
  selector?: JsonObject | undefined;
  /** `metadata.generation`: changes with every spec change (Argo keeps it as `rollout.argoproj.io/workload-generation`). */
  generation: number;
  /** `spec.replicas` of the Deployment now (for {@link workloadRefScaleDown}). */
  replicas: number;
}

/** Reads the Deployment a Rollout's `spec.workloadRef` names: its pod template, selector, generation, replicas. */
export async function readWorkloadRef(request: ReadWorkloadRefRequest, options: CallOptions): Promise<WorkloadRefTemplate> {
  const api = request.kubeConfig.makeApiClient(AppsV1Api);
  const { namespace } = request;
  const name = request.ref.name;
  const deployment = await kubeCall(
    { verb: 'get', resource: 'deployments.apps', name, namespace, signal: options.signal },
    (configuration) => api.readNamespacedDeployment({ name, namespace }, configuration),
  );
  // The client's models hold Dates and unset fields: the template is hashed as the JSON the server sent.
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as JsonObject;
  return {
    template: plain(deployment.spec?.template ?? {}),
    ...(deployment.spec?.selector ? { selector: plain(deployment.spec.selector) } : {}),
    generation: deployment.metadata?.generation ?? 0,
    replicas: deployment.spec?.replicas ?? 1,
  };
}
