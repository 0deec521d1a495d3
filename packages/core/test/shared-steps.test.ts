import { describe, expect, it } from 'vitest';
import { parseRollout } from '../src/index.js';

// Rollouts from one chart share their step list; a parsed spec's list is frozen, and equal lists are one object.
const rollout = (name: string, steps: unknown[], canary: Record<string, unknown> = {}) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  metadata: { name },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: `${name}:1` }] } },
    strategy: { canary: { ...canary, steps } },
  },
});
// Each manifest is its own object, as a host reads them (JSON per rollout).
const seedSteps = () => [{ setWeight: 20 }, { pause: { duration: '30s' } }, { setWeight: 50 }, { pause: {} }];

describe('parsed step lists', () => {
  it('are one frozen object for rollouts whose steps are equal', () => {
    const a = parseRollout(rollout('checkout', seedSteps()));
    const b = parseRollout(rollout('payments', seedSteps()));
    expect(a.name).not.toBe(b.name);
    expect(a.strategy.canary?.steps).toBe(b.strategy.canary?.steps);
    expect(Object.isFrozen(a.strategy.canary?.steps)).toBe(true);
    expect(Object.isFrozen(a.strategy.canary?.steps[1])).toBe(true);
    expect(() => (a.strategy.canary?.steps as unknown[]).push({ setWeight: 90 })).toThrow(TypeError);
    expect(b.strategy.canary?.steps).toHaveLength(4);
  });

  it('are not shared when the steps differ, and keep their own content', () => {
    const a = parseRollout(rollout('checkout', seedSteps()));
    const c = parseRollout(rollout('search', [{ setWeight: 20 }, { pause: { duration: '60s' } }]));
    expect(c.strategy.canary?.steps).not.toBe(a.strategy.canary?.steps);
    expect(c.strategy.canary?.steps).toEqual([{ setWeight: 20 }, { pause: { duration: '60s' } }]);
    expect(Object.isFrozen(c.strategy.canary?.steps)).toBe(true);
  });

  it('leave the manifest the host gave unfrozen, every kind of step included', () => {
    const manifest = rollout(
      'checkout',
      [
        { setCanaryScale: { replicas: 1 } },
        { setHeaderRoute: { name: 'hdr', match: [{ headerName: 'end-user', headerValue: { exact: 'Alexandra' } }] } },
        { setMirrorRoute: { name: 'mirror', percentage: 10, match: [{ method: { exact: 'GET' } }] } },
        { setWeight: 20 },
        { analysis: { templates: [{ templateName: 'success-rate' }], args: [{ name: 'service', value: 'checkout' }] } },
        { experiment: { duration: '1h', templates: [{ name: 'baseline', specRef: 'stable', weight: 5 }] } },
        { pause: { duration: '30s' } },
      ],
      {
        canaryService: 'checkout-canary',
        stableService: 'checkout-stable',
        trafficRouting: { istio: { virtualService: { name: 'vs' } }, managedRoutes: [{ name: 'hdr' }, { name: 'mirror' }] },
      },
    );
    const spec = parseRollout(manifest);
    expect(Object.isFrozen(spec.strategy.canary?.steps[1])).toBe(true);
    expect(Object.isFrozen(manifest.spec.strategy.canary.steps)).toBe(false);
    const frozen: string[] = [];
    const visit = (value: unknown, path: string) => {
      if (value === null || typeof value !== 'object') return;
      if (Object.isFrozen(value)) frozen.push(path);
      for (const [key, child] of Object.entries(value)) visit(child, `${path}.${key}`);
    };
    visit(manifest, 'manifest');
    expect(frozen).toEqual([]);
  });
});
