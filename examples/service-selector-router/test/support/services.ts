import type { KubeApiServer } from '@gradual/kube-api-test-server';

let counter = 0;

/** Seeds the seed's `my-service` (and a preview twin) under fresh names; returns the names. */
export function seedServices(server: KubeApiServer, namespace: string): { active: string; preview: string } {
  counter++;
  const active = `my-service-${counter}`;
  const preview = `my-service-preview-${counter}`;
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

/** The `rollouts-pod-template-hash` a stored Service selects. */
export function selectedRevision(server: KubeApiServer, namespace: string, name: string): string | undefined {
  const service = server.get('services', namespace, name) as { spec?: { selector?: Record<string, string> } } | undefined;
  return service?.spec?.selector?.['rollouts-pod-template-hash'];
}
