import { readFileSync } from 'node:fs';
import { createRollout, parseRollout, type TrafficRouter } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { createIstioTrafficRouter, istioRoutingFromRollout, type VirtualService } from '@gradual/istio';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const seedRollout = readFileSync(new URL('../examples/manifests/rollout-canary.yaml', import.meta.url), 'utf8');

let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer();
});
afterAll(async () => {
  await server.close();
});

const weights = () => {
  const vs = server.get('virtualservices', 'default', 'rollout-vsvc') as unknown as VirtualService;
  const route = vs.spec.http?.find((r) => r.name === 'primary')?.route ?? [];
  const of = (host: string) => route.find((d) => d.destination.host === host)?.weight;
  return `${of('rollouts-demo-backend')}/${of('rollouts-demo-canary')}`;
};

describe('seed rollout-canary.yaml through the core runner with the Istio router', () => {
  it('moves the VirtualService 80/20, 50/50, 0/100 and back to 100/0, one write per distinct state', async () => {
    server.seed('virtualservices', 'default', {
      apiVersion: 'networking.istio.io/v1beta1',
      kind: 'VirtualService',
      metadata: { name: 'rollout-vsvc' },
      spec: {
        hosts: ['rollouts-demo.local'],
        gateways: ['rollouts-demo-gateway'],
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
    const spec = parseRollout(seedRollout);
    const router = createIstioTrafficRouter({
      ...istioRoutingFromRollout(spec),
      namespace: 'default',
      kubeConfig: server.kubeConfig(),
    });
    // Records the VirtualService after every apply the runner makes, and whether apply reported a change.
    const seen: string[] = [];
    const applies: boolean[] = [];
    const recording: TrafficRouter = {
      ...router,
      apply: async (desired, options) => {
        const result = await router.apply(desired, options);
        applies.push(result.changed);
        if (seen.at(-1) !== weights()) seen.push(weights());
        return result;
      },
    };
    const clock = createFakeClock({ auto: true, start: Date.UTC(2026, 0, 1) });
    const rollout = createRollout({ spec, router: recording, clock, stableRevision: 'blue-rs-hash' });
    const result = await rollout.run();

    expect(result.outcome).toBe('Promoted');
    expect(seen).toEqual(['80/20', '50/50', '0/100', '100/0']);
    // One write per distinct state: applies that changed nothing wrote nothing.
    expect(server.acceptedWrites('rollout-vsvc')).toBe(4);
    expect(applies.filter(Boolean)).toHaveLength(4);
    expect(server.requests.filter((r) => r.name === 'rollout-vsvc' && r.verb === 'update')).toHaveLength(4);
    // The two pauses (1m, 2m) ran on the fake clock.
    expect(clock.now() - Date.UTC(2026, 0, 1)).toBeGreaterThanOrEqual(3 * 60_000);
    // A repeated apply of the final state writes nothing.
    const final = result.status.traffic;
    expect(final).not.toBeNull();
    expect((await router.apply(final!, { signal: new AbortController().signal, clock })).changed).toBe(false);
    expect(server.acceptedWrites('rollout-vsvc')).toBe(4);
  });
});
