import { TrafficRouterError } from '@gradual/core';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIstioTrafficRouter, type VirtualService } from '../src/index.js';
import { readBackIssues } from '../src/read-back-issues.js';
import { hostLevelVirtualService, realCall, uniqueName } from './support/router-fixture.js';
import { state } from './support/states.js';

let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer();
});
afterAll(async () => {
  await server.close();
});

const ns = 'default';
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error as Error,
  );

// Issue #17: observe() reported a hand-edited `weight: "lots"` or `-10` as the canary weight.
describe('observe() validates what it reads back from the cluster', () => {
  it.each([
    ['a weight that is not a number', 'lots', 'spec.http[0].route[1].weight must be a whole number from 0 to 100, not "lots"'],
    ['a negative weight', -10, 'spec.http[0].route[1].weight must be a whole number from 0 to 100, not -10'],
    ['a weight over 100', 250, 'spec.http[0].route[1].weight must be a whole number from 0 to 100, not 250'],
    ['a fractional weight', 12.5, 'spec.http[0].route[1].weight must be a whole number from 0 to 100, not 12.5'],
  ])('%s is an ISTIO_READ_BACK error naming the object and field', async (_name, weight, problem) => {
    const name = uniqueName('read-back');
    server.seed('virtualservices', ns, hostLevelVirtualService(name) as never);
    const router = createIstioTrafficRouter({
      virtualService: { name, routes: ['primary'] },
      canaryService: 'canary-svc',
      stableService: 'stable-svc',
      namespace: ns,
      kubeConfig: server.kubeConfig(),
    });
    await router.apply(state({ canaryWeight: 20 }), realCall());
    expect((await router.observe!(realCall())).canaryWeight).toBe(20);
    server.edit('virtualservices', ns, name, (object) => {
      const route = (object as unknown as VirtualService).spec.http![0]!.route!;
      (route[1] as { weight: unknown }).weight = weight;
    });
    const error = await failure(router.observe!(realCall()));
    expect(error).toBeInstanceOf(TrafficRouterError);
    expect((error as TrafficRouterError).code).toBe('ISTIO_READ_BACK');
    expect((error as TrafficRouterError).retryable).toBe(false);
    expect(error.message).toBe(
      `VirtualService 'default/${name}' as read from the cluster is malformed, so its traffic state cannot be read: ${problem}`,
    );
  });

  it('a DestinationRule whose subset labels are not strings is refused too', async () => {
    const name = uniqueName('read-back-dr');
    server.seed('virtualservices', ns, {
      metadata: { name },
      spec: {
        hosts: ['reviews'],
        http: [
          {
            name: 'primary',
            route: [
              { destination: { host: 'reviews', subset: 'stable' }, weight: 100 },
              { destination: { host: 'reviews', subset: 'canary' }, weight: 0 },
            ],
          },
        ],
      },
    });
    server.seed('destinationrules', ns, {
      metadata: { name: `${name}-dr` },
      spec: { host: 'reviews', subsets: [{ name: 'stable', labels: { 'rollouts-pod-template-hash': 42 } }, { name: 'canary' }] },
    });
    const router = createIstioTrafficRouter({
      virtualService: { name, routes: ['primary'] },
      destinationRule: { name: `${name}-dr`, stableSubsetName: 'stable', canarySubsetName: 'canary' },
      namespace: ns,
      kubeConfig: server.kubeConfig(),
    });
    const error = await failure(router.observe!(realCall()));
    expect((error as TrafficRouterError).code).toBe('ISTIO_READ_BACK');
    expect(error.message).toContain(`DestinationRule 'default/${name}-dr'`);
    expect(error.message).toContain('spec.subsets[0].labels.rollouts-pod-template-hash must be a string, not 42');
  });
});

describe('readBackIssues', () => {
  it.each([
    [
      'a destination without a host',
      { spec: { http: [{ route: [{ destination: {} }] }] } },
      'spec.http[0].route[0].destination.host is required',
    ],
    ['routes that are not a list', { spec: { http: { name: 'x' } } }, 'spec.http must be a list, not {"name":"x"}'],
    ['a route name that is a number', { spec: { http: [{ name: 7 }] } }, 'spec.http[0].name must be a string, not 7'],
    [
      'a header match that is a string',
      { spec: { http: [{ match: [{ headers: { 'x-canary': 'yes' } }] }] } },
      'spec.http[0].match[0].headers.x-canary must be an object (exact, prefix or regex), not "yes"',
    ],
    [
      'a mirror percentage of NaN-like text',
      { spec: { http: [{ mirrorPercentage: { value: 'half' } }] } },
      'spec.http[0].mirrorPercentage.value must be a number from 0 to 100, not "half"',
    ],
    [
      'a tcp port out of range',
      { spec: { tcp: [{ match: [{ port: 70000 }] }] } },
      'spec.tcp[0].match[0].port must be a port number (1-65535), not 70000',
    ],
  ])('%s', (_name, object, issue) => {
    expect(readBackIssues('VirtualService', object)).toEqual([issue]);
  });

  it('a well-formed object has no issues', () => {
    expect(readBackIssues('VirtualService', hostLevelVirtualService('ok'))).toEqual([]);
  });
});
