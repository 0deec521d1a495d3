import { parseRollout, type RolloutSpec, type TrafficState } from '@gradual/core';
import type { V1Service } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { serviceSelectorIssues, serviceSelectorRoutingFromRollout } from '../src/index.js';
import { observedTraffic } from '../src/service-selector/observed-traffic.js';
import { formatRecordedTraffic, parseRecordedTraffic } from '../src/service-selector/recorded-traffic.js';
import { replicaSetAvailability } from '../src/service-selector/replica-set-availability.js';
import { selectorTargets } from '../src/service-selector/selector-targets.js';

const state = (canaryWeight: number, stableRevision?: string, canaryRevision?: string): TrafficState => ({
  canaryWeight,
  ...(stableRevision ? { stableRevision } : {}),
  ...(canaryRevision ? { canaryRevision } : {}),
  headerRoutes: [],
  mirrorRoutes: [],
  experiments: [],
});
const blueGreen = { activeService: 'active', previewService: 'preview' };
const canary = { canaryService: 'canary', stableService: 'stable' };

describe('selectorTargets: where each selector goes for the states the engine plans', () => {
  // Rows: the TrafficState plan-blue-green.ts / plan-canary.ts produce at that point of a rollout.
  it.each([
    ['blue/green before the cut-over (preview on new)', blueGreen, state(0, 'v1', 'v2'), { preview: 'v2', active: 'v1' }],
    ['blue/green after the cut-over', blueGreen, state(0, 'v2', 'v2'), { preview: 'v2', active: 'v2' }],
    [
      'blue/green abort (active back on stable, preview keeps new)',
      blueGreen,
      state(0, 'v1', 'v2'),
      { preview: 'v2', active: 'v1' },
    ],
    ['blue/green at 100 (conformance only)', blueGreen, state(100, 'v1', 'v2'), { preview: 'v2', active: 'v2' }],
    ['canary at setWeight 20', canary, state(20, 'v1', 'v2'), { canary: 'v2', stable: 'v1' }],
    ['canary abort (canary Service back on stable)', canary, state(0, 'v1', 'v1'), { canary: 'v1', stable: 'v1' }],
    ['canary promoted', canary, state(0, 'v2', 'v2'), { canary: 'v2', stable: 'v2' }],
    ['canary, no canary revision named', canary, state(0, 'v1'), { canary: 'v1', stable: 'v1' }],
  ])('%s', (_, services, desired, expected) => {
    const targets = selectorTargets(services, desired);
    expect(Object.fromEntries(targets.map((t) => [t.service, t.revision]))).toEqual(expected);
  });

  it('writes preview before active, and gates them as Argo does (active: full, preview: none, canary/stable: adoption)', () => {
    expect(selectorTargets(blueGreen, state(0, 'v1', 'v2')).map((t) => [t.service, t.rule])).toEqual([
      ['preview', 'none'],
      ['active', 'full'],
    ]);
    expect(selectorTargets(canary, state(0, 'v1', 'v2')).map((t) => [t.service, t.rule])).toEqual([
      ['canary', 'adoption'],
      ['stable', 'adoption'],
    ]);
  });
});

describe('replicaSetAvailability (Argo utils/replicaset IsReplicaSetAvailable / IsReplicaSetPartiallyAvailable)', () => {
  it.each([
    [3, 3, true, true],
    [3, 2, false, true],
    [3, 0, false, false],
    [0, 0, false, false], // scaled to zero is never "available": Argo requires *replicas != 0
    [undefined, 1, true, true], // spec.replicas defaults to 1
  ])('replicas %s, available %s -> full %s, partial %s', (replicas, available, full, partial) => {
    const a = replicaSetAvailability({
      metadata: { name: 'rs' },
      ...(replicas === undefined ? {} : { spec: { replicas, selector: {} } }),
      status: { replicas: replicas ?? 1, availableReplicas: available },
    } as never);
    expect([a.full, a.partial]).toEqual([full, partial]);
  });
});

describe('observedTraffic reads the selectors back', () => {
  const service = (revision: string | undefined, recorded?: TrafficState): V1Service => ({
    metadata: { annotations: recorded ? { 'gradual.dev/traffic': formatRecordedTraffic(recorded) } : {} },
    spec: { selector: { app: 'x', ...(revision ? { 'rollouts-pod-template-hash': revision } : {}) } },
  });
  const read = (services: Record<string, V1Service>) => (name: string) => services[name];

  it('blue/green: the active Service on the recorded stable revision is weight 0, on another one 100', () => {
    const at0 = observedTraffic(blueGreen, read({ active: service('v1', state(0, 'v1', 'v2')), preview: service('v2') }));
    expect(at0).toMatchObject({ canaryWeight: 0, stableRevision: 'v1', canaryRevision: 'v2' });
    const moved = observedTraffic(blueGreen, read({ active: service('v2', state(0, 'v1', 'v2')), preview: service('v2') }));
    expect(moved.canaryWeight).toBe(100);
  });

  it('canary: the recorded weight while the selectors are where the router put them', () => {
    const seen = observedTraffic(canary, read({ canary: service('v2', state(30, 'v1', 'v2')), stable: service('v1') }));
    expect(seen).toMatchObject({ canaryWeight: 30, stableRevision: 'v1', canaryRevision: 'v2' });
  });

  it('canary: a canary Service moved by hand reads 0%, a stable Service moved onto the canary 100% (drift)', () => {
    expect(
      observedTraffic(canary, read({ canary: service('v9', state(30, 'v1', 'v2')), stable: service('v1') })).canaryWeight,
    ).toBe(0);
    expect(
      observedTraffic(canary, read({ canary: service('v2', state(30, 'v1', 'v2')), stable: service('v2') })).canaryWeight,
    ).toBe(100);
  });

  it('ignores a recorded state edited into something the router does not write', () => {
    expect(parseRecordedTraffic('{"canaryWeight":"lots"}')).toBeUndefined();
    expect(parseRecordedTraffic('not json')).toBeUndefined();
    expect(parseRecordedTraffic(formatRecordedTraffic(state(5, 'a', 'b')))).toEqual({
      canaryWeight: 5,
      stableRevision: 'a',
      canaryRevision: 'b',
    });
  });
});

describe('serviceSelectorRoutingFromRollout and validate', () => {
  const template = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'a', image: 'a:1' }] } };
  const rollout = (strategy: object) => parseRollout({ selector: { matchLabels: { app: 'a' } }, template, strategy });

  it('reads blue/green and mesh-less canary Services', () => {
    expect(serviceSelectorRoutingFromRollout(rollout({ blueGreen: { activeService: 'a', previewService: 'p' } }))).toEqual({
      activeService: 'a',
      previewService: 'p',
    });
    expect(
      serviceSelectorRoutingFromRollout(
        rollout({ canary: { canaryService: 'c', stableService: 's', steps: [{ setWeight: 20 }] } }),
      ),
    ).toEqual({ canaryService: 'c', stableService: 's' });
  });

  // Rows: Argo's validation (canaryService must differ from stableService; activeService required).
  it.each([
    [{ canary: { stableService: 's', steps: [] } }, undefined, ['spec.strategy.canary.canaryService']],
    [{ canary: { canaryService: 's', stableService: 's', steps: [] } }, undefined, ['spec.strategy.canary.stableService']],
    [{ blueGreen: { activeService: 'a', previewService: 'a' } }, undefined, ['spec.strategy.blueGreen.previewService']],
    [{ blueGreen: { activeService: 'b' } }, { activeService: 'a' }, ['spec.strategy.blueGreen.activeService']],
    [{ canary: { steps: [] } }, { activeService: 'a' }, ['spec.strategy.blueGreen']],
    [{ blueGreen: { activeService: 'a' } }, { activeService: 'a' }, []],
  ])('%j (router %j) -> issues at %j', (strategy, services, paths) => {
    // parseRollout refuses some of these itself; the router checks them again for specs built by hand.
    const spec = { ...rollout({ blueGreen: { activeService: 'x' } }), strategy: strategy as RolloutSpec['strategy'] };
    expect(serviceSelectorIssues(spec, services).map((issue) => issue.path)).toEqual(paths);
  });

  it('throws a ValidationError naming the path when the Rollout names no Service', () => {
    expect(() => serviceSelectorRoutingFromRollout(rollout({ canary: { steps: [{ setWeight: 20 }] } }))).toThrow(
      /spec\.strategy\.canary\.canaryService/,
    );
  });
});
