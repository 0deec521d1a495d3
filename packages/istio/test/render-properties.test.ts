import type { TrafficState } from '@gradual/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type HttpRoute,
  type IstioRoutingConfig,
  readTrafficState,
  renderVirtualService,
  type VirtualService,
} from '../src/index.js';

const managedNames = ['hdr-a', 'mirror-b', 'hdr-c'];
const config: IstioRoutingConfig = {
  canaryService: 'canary-svc',
  stableService: 'stable-svc',
  virtualService: { name: 'vsvc', routes: ['primary'] },
  managedRoutes: managedNames.map((name) => ({ name })),
};

const stringMatch = fc.oneof(
  fc.record({ exact: fc.string({ maxLength: 5 }) }),
  fc.record({ prefix: fc.string({ maxLength: 5 }) }),
  fc.record({ regex: fc.constantFrom('^a.*', 'b+') }),
);

/** Any valid desired state for `config`: weights that fit in 100, managed routes by name. */
const desiredState: fc.Arbitrary<TrafficState> = fc
  .record({
    canaryWeight: fc.integer({ min: 0, max: 100 }),
    experimentWeights: fc.array(fc.integer({ min: 1, max: 20 }), { maxLength: 3 }),
    header: fc.subarray(['hdr-a', 'hdr-c']),
    mirror: fc.boolean(),
    match: fc.array(fc.record({ headerName: fc.constantFrom('x-user', 'x-canary'), headerValue: stringMatch }), {
      minLength: 1,
      maxLength: 2,
    }),
    percentage: fc.integer({ min: 0, max: 100 }),
  })
  .filter(({ canaryWeight, experimentWeights }) => canaryWeight + experimentWeights.reduce((a, b) => a + b, 0) <= 100)
  .map(({ canaryWeight, experimentWeights, header, mirror, match, percentage }) => ({
    canaryWeight,
    experiments: experimentWeights.map((weight, i) => ({ name: `exp-${i}`, weight })),
    headerRoutes: header.map((name) => ({ name, match })),
    mirrorRoutes: mirror ? [{ name: 'mirror-b', percentage, match: [{ method: { exact: 'GET' } }] }] : [],
    stableRevision: undefined,
    canaryRevision: undefined,
  }))
  .map(({ stableRevision: _s, canaryRevision: _c, ...state }) => state);

/** A VirtualService with the split route among user routes, in any order. */
const virtualService: fc.Arbitrary<VirtualService> = fc
  .record({
    before: fc.array(fc.constantFrom('u1', 'u2', 'u3'), { maxLength: 2 }),
    after: fc.array(fc.constantFrom('u4', 'u5'), { maxLength: 2 }),
    stable: fc.integer({ min: 0, max: 100 }),
  })
  .map(({ before, after, stable }) => {
    const user = (name: string): HttpRoute => ({ name, route: [{ destination: { host: `${name}-svc` } }] });
    return {
      metadata: { name: 'vsvc', namespace: 'default' },
      spec: {
        http: [
          ...before.map(user),
          {
            name: 'primary',
            route: [
              { destination: { host: 'stable-svc' }, weight: stable },
              { destination: { host: 'canary-svc' }, weight: 100 - stable },
            ],
          },
          ...after.map(user),
        ],
      },
    };
  });

describe('renderVirtualService properties (fast-check)', () => {
  it('weights add up to 100, managed routes lead in managedRoutes order, user routes keep order, render is idempotent, observe reads desired back', () => {
    fc.assert(
      fc.property(virtualService, desiredState, desiredState, (current, first, desired) => {
        // Render from an arbitrary earlier state, so removal of managed routes is exercised too.
        const previous = renderVirtualService(current, config, first);
        const out = renderVirtualService(previous, config, desired);
        const http = out.spec.http ?? [];
        const primary = http.find((route) => route.name === 'primary')!;
        expect(primary.route!.reduce((sum, d) => sum + (d.weight ?? 0), 0)).toBe(100);
        const wantedManaged = managedNames.filter(
          (name) => desired.headerRoutes.some((r) => r.name === name) || desired.mirrorRoutes.some((r) => r.name === name),
        );
        expect(http.slice(0, wantedManaged.length).map((route) => route.name)).toEqual(wantedManaged);
        expect(http.slice(wantedManaged.length).map((route) => route.name)).toEqual(
          current.spec.http!.map((route) => route.name),
        );
        expect(renderVirtualService(out, config, desired)).toStrictEqual(out);
        const observed = readTrafficState({ virtualService: out, config });
        expect(observed.canaryWeight).toBe(desired.canaryWeight);
        expect(observed.headerRoutes).toEqual(desired.headerRoutes);
        expect(observed.mirrorRoutes).toEqual(desired.mirrorRoutes);
        expect(observed.experiments.map((e) => e.weight)).toEqual(desired.experiments.map((e) => e.weight));
      }),
      { numRuns: 300 },
    );
  });
});
