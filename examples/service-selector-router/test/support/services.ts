import type { KubeApiServer } from '@gradual/kube-api-test-server';

let counter = 0;

/** A namespace no other case uses, so that every case has the seed's own Service names. */
export function freshNamespace(): string {
  counter++;
  return `seed-${counter}`;
}

/** Seeds the seed's `my-service` and its preview twin `my-service-preview` in `namespace`. */
export function seedServices(server: KubeApiServer, namespace: string): { active: string; preview: string } {
  const active = 'my-service';
  const preview = 'my-service-preview';
  for (const name of [active, preview]) {
    server.seed('services', namespace, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, labels: { app: 'mystuff' } },
      // As in the seed's blue-green.yaml: the selector names pods, not a version yet.
      spec: { ports: [{ name: 'http', port: 8000 }], selector: { app: 'mynode' }, type: 'LoadBalancer' },
    });
  }
  return { active, preview };
}

/**
 * Seeds the ReplicaSet of one revision of the Rollout `mynode`, as a Workload creates it, with every pod
 * available (no kubelet here: the test decides, as envtest users do). The router moves no selector before that.
 */
export function seedReplicaSet(server: KubeApiServer, namespace: string, revision: string): void {
  const labels = { app: 'mynode', 'rollouts-pod-template-hash': revision };
  const name = `mynode-${revision}`;
  server.seed('replicasets', namespace, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      labels,
      ownerReferences: [{ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'mynode', uid: 'u' }],
    },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'mynode', image: 'quay.io/rhdevelopers/mynode' }] } },
    },
  });
  server.setAvailable(namespace, name, 1);
}

/** The `rollouts-pod-template-hash` a stored Service selects. */
export function selectedRevision(server: KubeApiServer, namespace: string, name: string): string | undefined {
  const service = server.get('services', namespace, name) as { spec?: { selector?: Record<string, string> } } | undefined;
  return service?.spec?.selector?.['rollouts-pod-template-hash'];
}

/** Writes the server accepted on one Service of `namespace` (acceptedWrites counts a name in every namespace). */
export function writesTo(server: KubeApiServer, namespace: string, name: string): number {
  const writes = new Set(['create', 'update', 'patch', 'delete']);
  return server.requests.filter((r) => r.namespace === namespace && r.name === name && writes.has(r.verb) && r.status < 300)
    .length;
}
