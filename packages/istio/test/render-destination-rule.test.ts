import { describe, expect, it } from 'vitest';
import { type DestinationRule, type IstioRoutingConfig, renderDestinationRule } from '../src/index.js';
import { state } from './support/states.js';

const config: IstioRoutingConfig = {
  virtualService: { name: 'vsvc', routes: ['primary'] },
  destinationRule: { name: 'app-dr', canarySubsetName: 'canary', stableSubsetName: 'stable' },
};

const rule = (): DestinationRule => ({
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'DestinationRule',
  metadata: { name: 'app-dr', namespace: 'default', resourceVersion: '3' },
  spec: {
    host: 'app-svc',
    trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } },
    subsets: [
      { name: 'canary', labels: { app: 'x' } },
      { name: 'stable', labels: { app: 'x' } },
      { name: 'legacy', labels: { app: 'old' } },
    ],
  },
});

describe('renderDestinationRule', () => {
  it('§7.5 subset-level: subsets select the revisions by rollouts-pod-template-hash', () => {
    const out = renderDestinationRule(rule(), config, state({ stableRevision: 'abc123', canaryRevision: 'def456' }));
    expect(out.spec.subsets).toEqual([
      { name: 'canary', labels: { app: 'x', 'rollouts-pod-template-hash': 'def456' } },
      { name: 'stable', labels: { app: 'x', 'rollouts-pod-template-hash': 'abc123' } },
      { name: 'legacy', labels: { app: 'old' } },
    ]);
    expect(out.spec.trafficPolicy).toEqual({ tls: { mode: 'ISTIO_MUTUAL' } });
    expect(out.metadata).toEqual(rule().metadata);
  });

  it('the canary becomes stable: a change of stableRevision, not of weights', () => {
    const during = renderDestinationRule(
      rule(),
      config,
      state({ canaryWeight: 100, stableRevision: 'old', canaryRevision: 'new' }),
    );
    const promoted = renderDestinationRule(
      during,
      config,
      state({ canaryWeight: 0, stableRevision: 'new', canaryRevision: 'new' }),
    );
    expect(promoted.spec.subsets?.slice(0, 2).map((s) => s.labels?.['rollouts-pod-template-hash'])).toEqual(['new', 'new']);
  });

  it('an absent revision leaves its label alone; the input is not modified', () => {
    const current = rule();
    current.spec.subsets![1]!.labels!['rollouts-pod-template-hash'] = 'keep';
    const before = structuredClone(current);
    const out = renderDestinationRule(current, config, state({ canaryRevision: 'c1' }));
    expect(out.spec.subsets?.[1]?.labels?.['rollouts-pod-template-hash']).toBe('keep');
    expect(current).toEqual(before);
  });

  it('a missing subset is named with the subsets that exist', () => {
    const current = rule();
    current.spec.subsets = current.spec.subsets!.filter((s) => s.name !== 'canary');
    expect(() => renderDestinationRule(current, config, state({ canaryRevision: 'c1' }))).toThrow(
      "subset 'canary' is not found in DestinationRule 'default/app-dr'; its subsets are: stable, legacy",
    );
  });
});
