import { readFileSync } from 'node:fs';
import { createRollout, parseRollout, type TrafficRouter } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { createIstioTrafficRouter, istioRoutingFromRollout, type VirtualService } from '@gradual/istio';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const seedRollout = readFileSync(new URL('../examples/manifests/rollout-experiment.yaml', import.meta.url), 'utf8');

let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer();
});
afterAll(async () => {
  await server.close();
});

const routeNow = () => {
  const vs = server.get('virtualservices', 'default', 'rollout-vsvc') as unknown as VirtualService;
  const route = vs.spec.http?.find((r) => r.name === 'primary')?.route ?? [];
  return route.map((d) => `${d.destination.host}=${d.weight}`).join(' ');
};

describe('seed rollout-experiment.yaml through the core runner with the Istio router', () => {
  it('sends 5% to each experiment template from the stable share, then removes them', async () => {
    server.seed('virtualservices', 'default', {
      metadata: { name: 'rollout-vsvc' },
      spec: {
        hosts: ['rollouts-demo.local'],
        http: [
          {
            name: 'primary',
            route: [
              { destination: { host: 'rollouts-demo-stable' }, weight: 100 },
              { destination: { host: 'rollouts-demo-canary' }, weight: 0 },
            ],
          },
        ],
      },
    });
    const spec = parseRollout(seedRollout);
    const router = createIstioTrafficRouter({
      ...istioRoutingFromRollout(spec),
      namespace: 'default',
      kubeConfig: server.kubeConfig(),
    });
    const seen: string[] = [];
    const recording: TrafficRouter = {
      ...router,
      apply: async (desired, options) => {
        const result = await router.apply(desired, options);
        if (seen.at(-1) !== routeNow()) seen.push(routeNow());
        return result;
      },
    };
    const result = await createRollout({
      spec,
      router: recording,
      clock: createFakeClock({ auto: true }),
      stableRevision: 'blue',
    }).run();
    expect(result.outcome).toBe('Promoted');
    expect(seen).toEqual([
      'rollouts-demo-stable=90 rollouts-demo-canary=0 experiment-baseline=5 experiment-canary=5',
      'rollouts-demo-stable=0 rollouts-demo-canary=100',
      'rollouts-demo-stable=100 rollouts-demo-canary=0',
    ]);
  });
});
