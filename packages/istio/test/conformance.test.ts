import { describeTrafficRouterConformance } from '@gradual/core/conformance';
import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { afterAll, beforeAll } from 'vitest';
import { createIstioTrafficRouter } from '../src/index.js';
import { uniqueName } from './support/router-fixture.js';

let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer();
});
afterAll(async () => {
  await server.close();
});

// Subset-level, so that "promotion by revision" is visible in the DestinationRule; each case gets fresh objects.
describeTrafficRouterConformance({
  name: 'istio (subset-level, over the Kubernetes API test server)',
  create: async () => {
    const name = uniqueName('conformance');
    server.seed('virtualservices', 'default', {
      metadata: { name },
      spec: {
        hosts: ['app'],
        http: [
          {
            name: 'primary',
            route: [
              { destination: { host: 'app', subset: 'stable' }, weight: 100 },
              { destination: { host: 'app', subset: 'canary' }, weight: 0 },
            ],
          },
        ],
      },
    });
    server.seed('destinationrules', 'default', {
      metadata: { name },
      spec: {
        host: 'app',
        subsets: [
          { name: 'stable', labels: { app: 'app' } },
          { name: 'canary', labels: { app: 'app' } },
        ],
      },
    });
    const router = createIstioTrafficRouter({
      virtualService: { name, routes: ['primary'] },
      destinationRule: { name, canarySubsetName: 'canary', stableSubsetName: 'stable' },
      managedRoutes: [{ name: 'header-route' }, { name: 'mirror-route' }],
      namespace: 'default',
      kubeConfig: server.kubeConfig(),
    });
    return { router };
  },
});

// The same suite host-level, with the Services' selectors switched by revision (manageServiceSelectors).
describeTrafficRouterConformance({
  name: 'istio (host-level, over the Kubernetes API test server)',
  create: async () => {
    const name = uniqueName('conformance-host');
    for (const service of [`${name}-stable`, `${name}-canary`]) {
      server.seed('services', 'default', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: service },
        spec: { selector: { app: 'app' } },
      });
    }
    server.seed('virtualservices', 'default', {
      metadata: { name },
      spec: {
        hosts: ['app'],
        http: [
          {
            name: 'primary',
            route: [
              { destination: { host: `${name}-stable` }, weight: 100 },
              { destination: { host: `${name}-canary` }, weight: 0 },
            ],
          },
        ],
      },
    });
    const router = createIstioTrafficRouter({
      virtualService: { name, routes: ['primary'] },
      canaryService: `${name}-canary`,
      stableService: `${name}-stable`,
      manageServiceSelectors: true,
      managedRoutes: [{ name: 'header-route' }, { name: 'mirror-route' }],
      namespace: 'default',
      kubeConfig: server.kubeConfig(),
    });
    return { router };
  },
});
