import type { TrafficState } from '@gradual/core';
import type { GatewayApiRoutingConfig, HTTPRoute } from '../../src/index.js';

/** The config of a Rollout with canaryService `app-canary`, stableService `app-stable` and two managed routes. */
export const config: GatewayApiRoutingConfig = {
  httpRoute: 'app',
  canaryService: 'app-canary',
  stableService: 'app-stable',
  managedRoutes: [{ name: 'header-route' }, { name: 'mirror-route' }],
};

/** An HTTPRoute as a user writes it: a weighted `/` rule (stable only) and a rule of someone else's. */
export function httpRoute(name = 'app'): HTTPRoute {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name, namespace: 'default' },
    spec: {
      parentRefs: [{ name: 'gateway' }],
      hostnames: ['app.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' } }],
          backendRefs: [
            { name: 'app-stable', port: 80, weight: 100 },
            { name: 'app-canary', port: 80, weight: 0 },
          ],
        },
        {
          matches: [{ path: { type: 'PathPrefix', value: '/legacy' } }],
          backendRefs: [{ name: 'legacy', port: 8080 }],
        },
      ],
    },
  };
}

/** The state of no rollout in progress. */
export const base: TrafficState = { canaryWeight: 0, headerRoutes: [], mirrorRoutes: [], experiments: [] };

/** Each backend's share of a rule's traffic in percent: Gateway API weights are relative (default 1). */
export function sharesOf(rule: { backendRefs?: { name: string; weight?: number | undefined }[] | undefined }) {
  const refs = rule.backendRefs ?? [];
  const total = refs.reduce((sum, ref) => sum + (ref.weight ?? 1), 0);
  return Object.fromEntries(refs.map((ref) => [ref.name, ((ref.weight ?? 1) / total) * 100]));
}
