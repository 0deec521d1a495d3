import type { TrafficState } from '@gradual/core';
import { describe, expect, it } from 'vitest';
import type { IstioRoutingConfig, VirtualService } from '../src/index.js';
import type { RelabelledRoles } from '../src/relabelled-roles.js';
import { stepDownState } from '../src/step-down-state.js';
import { state } from './support/states.js';

const config: IstioRoutingConfig = {
  virtualService: { name: 'vs', routes: ['primary'] },
  destinationRule: { name: 'dr', canarySubsetName: 'canary', stableSubsetName: 'stable' },
  managedRoutes: [{ name: 'hdr' }],
};
const header = { name: 'hdr', match: [{ headerName: 'x', headerValue: { exact: 'y' } }] };

const vs = (canary: number, withHeader = false): VirtualService => ({
  metadata: { name: 'vs', namespace: 'default' },
  spec: {
    http: [
      ...(withHeader ? [{ name: 'hdr', route: [{ destination: { host: 'app', subset: 'canary' }, weight: 100 }] }] : []),
      {
        name: 'primary',
        route: [
          { destination: { host: 'app', subset: 'stable' }, weight: 100 - canary },
          { destination: { host: 'app', subset: 'canary' }, weight: canary },
        ],
      },
    ],
  },
});

// The canary weight while the DestinationRule is written: never more than either side of a canary relabel,
// never less than either side of a stable-only relabel (its share must not grow before it selects its pods).
const rows: { source: string; now: number; desired: number; relabelled: RelabelledRoles; step: number }[] = [
  {
    source: 'canary v2 -> v3, 20 -> 0 (review scenario)',
    now: 20,
    desired: 0,
    relabelled: { canary: true, stable: false },
    step: 0,
  },
  { source: 'canary v2 -> v3, 0 -> 30', now: 0, desired: 30, relabelled: { canary: true, stable: false }, step: 0 },
  { source: 'canary v2 -> v3, 20 -> 30', now: 20, desired: 30, relabelled: { canary: true, stable: false }, step: 20 },
  {
    source: 'promotion: stable v1 -> v2, 100 -> 0',
    now: 100,
    desired: 0,
    relabelled: { canary: false, stable: true },
    step: 100,
  },
  { source: 'stable only, 10 -> 40', now: 10, desired: 40, relabelled: { canary: false, stable: true }, step: 40 },
  { source: 'both relabelled: the canary rule wins', now: 50, desired: 10, relabelled: { canary: true, stable: true }, step: 10 },
];

describe('stepDownState', () => {
  for (const row of rows) {
    it(row.source, () => {
      const desired: TrafficState = state({ canaryWeight: row.desired });
      const step = stepDownState({
        current: vs(row.now),
        config,
        ref: config.virtualService!,
        desired,
        relabelled: row.relabelled,
      });
      expect(step.canaryWeight).toBe(row.step);
    });
  }

  it('managed routes the desired state adds wait for the relabel; ones it keeps stay', () => {
    const desired = state({ canaryWeight: 10, headerRoutes: [header] });
    const relabelled = { canary: true, stable: false };
    expect(stepDownState({ current: vs(10), config, ref: config.virtualService!, desired, relabelled }).headerRoutes).toEqual([]);
    expect(
      stepDownState({ current: vs(10, true), config, ref: config.virtualService!, desired, relabelled }).headerRoutes,
    ).toEqual([header]);
  });

  it('experiments keep the stable-only step at or below 100', () => {
    const desired = state({ canaryWeight: 0, experiments: [{ name: 'exp', weight: 20 }] });
    const step = stepDownState({
      current: vs(100),
      config,
      ref: config.virtualService!,
      desired,
      relabelled: { canary: false, stable: true },
    });
    expect(step.canaryWeight).toBe(80);
  });
});
