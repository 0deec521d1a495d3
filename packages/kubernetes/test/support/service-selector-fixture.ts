import type { KubeApiServer } from '@gradual/kube-api-test-server';

let counter = 0;

/** A name no other case of the run uses. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${counter}`;
}

/** Seeds a Service selecting `app: <app>` (no revision yet), as a user creates it before the first rollout. */
export function seedService(
  server: KubeApiServer,
  namespace: string,
  name: string,
  extra: { annotations?: Record<string, string> | undefined; app?: string | undefined } = {},
): void {
  server.seed('services', namespace, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: { team: 'web' }, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: { ports: [{ name: 'http', port: 8080 }], selector: { app: extra.app ?? 'web' } },
  });
}

/**
 * Seeds the ReplicaSet of one revision of `rollout`, as the Workload creates it (Argo's name
 * `<rollout>-<hash>`, the hash label, an owner reference to the Rollout), then reports `available`
 * of its pods available (all when absent).
 */
export function seedReplicaSet(
  server: KubeApiServer,
  input: { namespace: string; rollout: string; revision: string; replicas: number; available?: number | undefined },
): string {
  const name = `${input.rollout}-${input.revision}`;
  const labels = { app: 'web', 'rollouts-pod-template-hash': input.revision };
  server.seed('replicasets', input.namespace, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      labels,
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Rollout',
          name: input.rollout,
          uid: `uid-${input.rollout}`,
          controller: true,
        },
      ],
    },
    spec: {
      replicas: input.replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: `web:${input.revision}` }] } },
    },
  });
  server.setAvailable(input.namespace, name, input.available ?? input.replicas);
  return name;
}

/** The `rollouts-pod-template-hash` a stored Service selects. */
export function selectedRevision(server: KubeApiServer, namespace: string, name: string): string | undefined {
  const service = server.get('services', namespace, name) as { spec?: { selector?: Record<string, string> } } | undefined;
  return service?.spec?.selector?.['rollouts-pod-template-hash'];
}

/** An annotation of a stored Service. */
export function annotationOf(server: KubeApiServer, namespace: string, name: string, key: string): string | undefined {
  const service = server.get('services', namespace, name) as { metadata?: { annotations?: Record<string, string> } } | undefined;
  return service?.metadata?.annotations?.[key];
}
