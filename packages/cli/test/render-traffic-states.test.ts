import { renderTrafficStates } from '@gradual/cli';
import { parseRollout, ValidationError } from '@gradual/core';
import { describe, expect, it } from 'vitest';

const state = (canaryWeight: number) => ({ canaryWeight, headerRoutes: [], mirrorRoutes: [], experiments: [] });

const spec = parseRollout({
  kind: 'Rollout',
  metadata: { name: 'web', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } } },
    strategy: {
      canary: {
        canaryService: 'web-canary',
        stableService: 'web-stable',
        trafficRouting: { plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: 'web-route' } } },
        steps: [{ setWeight: 25 }],
      },
    },
  },
});

const route = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name: 'web-route', namespace: 'shop' },
  spec: {
    parentRefs: [{ name: 'gateway' }],
    rules: [
      {
        backendRefs: [
          { name: 'web-stable', port: 80, weight: 100 },
          { name: 'web-canary', port: 80, weight: 0 },
        ],
      },
    ],
  },
};

describe('renderTrafficStates with the Gateway API router', () => {
  it('renders each distinct state of the HTTPRoute and leaves out states that change nothing', () => {
    const rendered = renderTrafficStates({
      spec,
      router: 'gateway-api',
      objects: [route],
      states: [state(0), state(25), state(25), state(0)],
    });
    const weights = rendered.map(({ objects }) =>
      (objects[0] as typeof route).spec.rules[0]?.backendRefs.map((b) => `${b.name}=${b.weight}`).join(' '),
    );
    // state(0) first writes the in-progress label only; 25 splits; the last 0 goes back.
    expect(weights.slice(-2)).toEqual(['web-stable=75 web-canary=25', 'web-stable=100 web-canary=0']);
    expect(rendered.every(({ objects }) => (objects[0] as { kind: string }).kind === 'HTTPRoute')).toBe(true);
  });

  it('says which route is missing from --from', () => {
    expect(() => renderTrafficStates({ spec, router: 'gateway-api', objects: [], states: [state(25)] })).toThrow(ValidationError);
    expect(() => renderTrafficStates({ spec, router: 'gateway-api', objects: [], states: [state(25)] })).toThrow(
      /route "web-route" not in the files/,
    );
  });
});
