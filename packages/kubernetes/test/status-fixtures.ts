import { initialStatus, parseRollout, type RolloutSpec, type RolloutStatus } from '@gradual/core';

// Shared by the status-*.test.ts files: a canary with Istio routing and a blue/green, as users write them.
export const canaryManifest = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    replicas: 4,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:2' }] } },
    strategy: {
      canary: {
        canaryService: 'web-canary',
        stableService: 'web-stable',
        trafficRouting: { istio: { virtualService: { name: 'web', routes: ['primary'] } } },
        steps: [{ setWeight: 20 }, { pause: {} }, { setWeight: 50 }, { pause: { duration: 60 } }],
      },
    },
  },
};

export const blueGreenManifest = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name: 'api', namespace: 'shop' },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'api' } },
    template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'api:2' }] } },
    strategy: { blueGreen: { activeService: 'api-active', previewService: 'api-preview', autoPromotionEnabled: false } },
  },
};

export const canarySpec: RolloutSpec = parseRollout(canaryManifest);
export const blueGreenSpec: RolloutSpec = parseRollout(blueGreenManifest);

/** A status of `spec` mid-rollout from stable revision `old`, with `change` applied. */
export function statusOf(spec: RolloutSpec, change: Partial<RolloutStatus> = {}): RolloutStatus {
  return { ...initialStatus(spec, { now: 1_000_000, stableRevision: 'old' }), ...change };
}
