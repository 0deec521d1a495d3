import { describe, expect, it } from 'vitest';
import { type IstioRoutingConfig, renderVirtualService, type VirtualService } from '../src/index.js';
import { effectiveHttpRoutes } from './support/effective-routes.js';
import { readSeed } from './support/seed.js';
import { state } from './support/states.js';

// The seed's VirtualServices (slides 14-16) are subset-level: one host, subsets version-v1 (stable) and version-v2 (canary).
const config: IstioRoutingConfig = {
  virtualService: { name: 'recommendation' },
  destinationRule: { name: 'recommendation', canarySubsetName: 'version-v2', stableSubsetName: 'version-v1' },
  managedRoutes: [{ name: 'dark-canary' }, { name: 'shadow' }],
};

/** The seed's VirtualService before any rollout: all traffic on version-v1, as Argo keeps it (both destinations, weights). */
const allOnStable = (): VirtualService => ({
  apiVersion: 'networking.istio.io/v1alpha3',
  kind: 'VirtualService',
  metadata: { name: 'recommendation' },
  spec: {
    hosts: ['recommendation'],
    http: [
      {
        route: [
          { destination: { host: 'recommendation', subset: 'version-v1' }, weight: 100 },
          { destination: { host: 'recommendation', subset: 'version-v2' }, weight: 0 },
        ],
      },
    ],
  },
});

describe('the seed VirtualServices from the renderer', () => {
  it('canary-virtualservice.yaml: 75/25 by subsets, exactly (field order aside)', () => {
    const seed = readSeed<VirtualService>('canary-virtualservice.yaml');
    const out = renderVirtualService(allOnStable(), config, state({ canaryWeight: 25 }));
    expect(out).toStrictEqual(seed);
  });

  it('shadow-virtualservice.yaml: mirror to version-v2 routes exactly as the seed', () => {
    const seed = readSeed<VirtualService>('shadow-virtualservice.yaml');
    const out = renderVirtualService(
      allOnStable(),
      config,
      state({ mirrorRoutes: [{ name: 'shadow', percentage: 100, match: [] }] }),
    );
    // Textually gradual writes Argo's shape: a named catch-all mirror route above the (now unreachable) weighted route.
    expect(out.spec.http?.map((r) => r.name)).toEqual(['shadow', undefined]);
    expect(out.spec.http?.[0]?.mirror).toStrictEqual(seed.spec.http?.[0]?.mirror);
    expect(effectiveHttpRoutes(out)).toStrictEqual(effectiveHttpRoutes(seed));
    expect({ ...out, spec: { ...out.spec, http: undefined } }).toStrictEqual({
      ...seed,
      spec: { ...seed.spec, http: undefined },
    });
  });

  it('dark-canary-virtualservice.yaml: end-user exact Alexandra to version-v2 routes exactly as the seed', () => {
    const seed = readSeed<VirtualService>('dark-canary-virtualservice.yaml');
    const out = renderVirtualService(
      allOnStable(),
      config,
      state({
        headerRoutes: [{ name: 'dark-canary', match: [{ headerName: 'end-user', headerValue: { exact: 'Alexandra' } }] }],
      }),
    );
    expect(out.spec.http?.[0]).toStrictEqual({
      ...seed.spec.http?.[0],
      name: 'dark-canary',
      route: [{ ...seed.spec.http?.[0]?.route?.[0], weight: 100 }],
    });
    expect(effectiveHttpRoutes(out)).toStrictEqual(effectiveHttpRoutes(seed));
  });

  it('the comparison can fail: a different mirror target or header value is told apart', () => {
    const seed = readSeed<VirtualService>('dark-canary-virtualservice.yaml');
    const out = renderVirtualService(
      allOnStable(),
      config,
      state({ headerRoutes: [{ name: 'dark-canary', match: [{ headerName: 'end-user', headerValue: { exact: 'Bob' } }] }] }),
    );
    expect(effectiveHttpRoutes(out)).not.toStrictEqual(effectiveHttpRoutes(seed));
    const mirrored = renderVirtualService(
      allOnStable(),
      config,
      state({ canaryWeight: 10, mirrorRoutes: [{ name: 'shadow', percentage: 100, match: [] }] }),
    );
    expect(effectiveHttpRoutes(mirrored)).not.toStrictEqual(effectiveHttpRoutes(readSeed('shadow-virtualservice.yaml')));
  });
});
