import type { CallOptions } from '@gradual/core';
import { AppsV1Api, type KubeConfig } from '@kubernetes/client-node';
import { kubeCall } from '../kube/kube-call.js';
import { KubernetesApiError } from '../kube/kubernetes-api-error.js';

/** What {@link scaleWorkloadRef} scales. */
export interface ScaleWorkloadRefRequest {
  kubeConfig: KubeConfig;
  namespace: string;
  /** The Deployment's name (`spec.workloadRef.name`). */
  name: string;
  /** From {@link workloadRefScaleDown}; undefined does nothing. */
  replicas: number | undefined;
  /** A 409 is re-read and tried again this many times; default 5. */
  conflictRetries?: number | undefined;
}

/**
 * Sets the referenced Deployment's `spec.replicas` with a PUT carrying the resourceVersion read (409: read
 * again). Writes nothing when the count is already right or `replicas` is undefined; true when it wrote.
 */
export async function scaleWorkloadRef(request: ScaleWorkloadRefRequest, options: CallOptions): Promise<boolean> {
  const { namespace, name, replicas } = request;
  if (replicas === undefined) return false;
  const api = request.kubeConfig.makeApiClient(AppsV1Api);
  const resource = 'deployments.apps';
  const retries = request.conflictRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const deployment = await kubeCall({ verb: 'get', resource, name, namespace, signal: options.signal }, (configuration) =>
      api.readNamespacedDeployment({ name, namespace }, configuration),
    );
    if (!deployment.spec || deployment.spec.replicas === replicas) return false;
    deployment.spec.replicas = replicas;
    try {
      await kubeCall({ verb: 'update', resource, name, namespace, signal: options.signal }, (configuration) =>
        api.replaceNamespacedDeployment({ name, namespace, body: deployment }, configuration),
      );
      return true;
    } catch (error) {
      if (!KubernetesApiError.isConflict(error) || attempt >= retries) throw error;
    }
  }
}
