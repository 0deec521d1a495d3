import { readFileSync } from 'node:fs';
import type { KubeApiServer } from '@gradual/kube-api-test-server';
import { parse } from 'yaml';

/** Where the demo's objects live. */
export const demoNamespace = 'default';
/** The seed's canary (examples/manifests/rollout-canary.yaml): 20% 1m, 50% 2m, through Istio. */
export const demoRollout = 'rollouts-demo';

/**
 * What the seed's rollout-canary.yaml needs around it on a cluster: its canary and stable Services and the
 * VirtualService `rollout-vsvc` with the route `primary` (all traffic to the stable Service), then the
 * Rollout itself as `kubectl apply` creates it.
 */
export function seedDemo(server: KubeApiServer): void {
  for (const name of ['rollouts-demo-canary', 'rollouts-demo-backend']) {
    server.seed('services', demoNamespace, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }], selector: { app: 'rollouts-demo' } },
    });
  }
  server.seed('virtualservices', demoNamespace, {
    apiVersion: 'networking.istio.io/v1beta1',
    kind: 'VirtualService',
    metadata: { name: 'rollout-vsvc' },
    spec: {
      hosts: ['rollouts-demo.local'],
      http: [
        {
          name: 'primary',
          route: [
            { destination: { host: 'rollouts-demo-backend' }, weight: 100 },
            { destination: { host: 'rollouts-demo-canary' }, weight: 0 },
          ],
        },
      ],
    },
  });
  const rollout = parse(readFileSync(new URL('../../manifests/rollout-canary.yaml', import.meta.url), 'utf8'));
  server.seed('rollouts', demoNamespace, rollout);
}
