import { parseRollout, reconcile } from '@gradual/core';
import { createFakeClock, createMemoryRouter, createTestWorkload } from '@gradual/core/testing';
import { describe, expect, it } from 'vitest';
import { basicCanaryReplicas, resolveSurgeAndUnavailable, weightedReplicaSplit } from '../src/engine/basic-canary-replicas.js';

// Source of every row: argoproj/argo-rollouts utils/replicaset/canary_test.go (HEAD 9f8d111d),
// TestApproximateWeightedNewStableReplicaCounts; maxWeight 100. [replicas, weight, maxSurge, canary, stable]
const splits: [number, number, number, number, number][] = [
  [0, 0, 0, 0, 0],
  [0, 50, 0, 0, 0],
  [0, 100, 0, 0, 0],
  [0, 0, 1, 0, 0],
  [0, 50, 1, 0, 0],
  [0, 100, 1, 0, 0],
  [1, 0, 0, 0, 1],
  [1, 1, 0, 0, 1],
  [1, 49, 0, 0, 1],
  [1, 50, 0, 1, 0],
  [1, 99, 0, 1, 0],
  [1, 100, 0, 1, 0],
  [1, 0, 1, 0, 1],
  [1, 1, 1, 1, 1],
  [1, 49, 1, 1, 1],
  [1, 50, 1, 1, 1],
  [1, 99, 1, 1, 1],
  [1, 100, 1, 1, 0],
  [2, 0, 0, 0, 2],
  [2, 1, 0, 1, 1],
  [2, 50, 0, 1, 1],
  [2, 99, 0, 1, 1],
  [2, 100, 0, 2, 0],
  [2, 0, 1, 0, 2],
  [2, 1, 1, 1, 2],
  [2, 50, 1, 1, 1],
  [2, 99, 1, 2, 1],
  [2, 100, 1, 2, 0],
  [3, 10, 0, 1, 2],
  [3, 25, 0, 1, 2],
  [3, 33, 0, 1, 2],
  [3, 34, 0, 1, 2],
  [3, 49, 0, 1, 2],
  [3, 50, 0, 2, 1],
  [3, 10, 1, 1, 3],
  [3, 25, 1, 1, 3],
  [3, 33, 1, 1, 2],
  [3, 34, 1, 1, 2],
  [3, 49, 1, 2, 2],
  [3, 50, 1, 2, 2],
  [10, 0, 1, 0, 10],
  [10, 1, 0, 1, 9],
  [10, 14, 0, 1, 9],
  [10, 15, 0, 2, 8],
  [10, 16, 0, 2, 8],
  [10, 99, 0, 9, 1],
  [10, 100, 1, 10, 0],
  [10, 1, 1, 1, 10],
  [10, 18, 1, 2, 9],
  [10, 19, 1, 2, 9],
  [10, 20, 1, 2, 8],
  [10, 23, 1, 2, 8],
  [10, 24, 1, 3, 8],
  [10, 25, 1, 3, 8],
  [10, 99, 1, 10, 1],
  [10, 100, 1, 10, 0],
  // Argo's docs (features/canary.md): 10 replicas at 41% run 4 canary and 6 stable pods.
  [10, 41, 0, 4, 6],
];

describe('weightedReplicaSplit (Argo approximateWeightedCanaryStableReplicaCounts)', () => {
  it.each(splits)('%i replicas at %i%% with surge %i: %i canary, %i stable', (replicas, weight, maxSurge, canary, stable) => {
    expect(weightedReplicaSplit({ replicas, weight, maxSurge })).toEqual({ canary, stable });
  });
});

interface Row {
  name: string;
  replicas: number;
  weight: number;
  maxSurge: number | string;
  maxUnavailable: number | string;
  stable: [number, number];
  canary: [number, number];
  older?: [number, number];
  expected: { canary: number; stable: number };
}

// Source of every row: argo-rollouts utils/replicaset/canary_test.go TestCalculateReplicaCountsForCanary (the rows
// without trafficRouting; `name` is Argo's), plus the promote --full rows (weight 100) as Argo computes them.
// stable/canary/older: [spec.replicas, availableReplicas].
const rows: Row[] = [
  {
    name: 'Do not add extra RSs in scaleDownCount when .Spec.Replica < AvailableReplicas',
    replicas: 10,
    weight: 100,
    maxSurge: 3,
    maxUnavailable: 0,
    stable: [7, 8],
    canary: [6, 3],
    expected: { stable: 7, canary: 6 },
  },
  {
    name: 'Use max surge int to scale up canary',
    replicas: 10,
    weight: 20,
    maxSurge: 2,
    maxUnavailable: 0,
    stable: [10, 10],
    canary: [0, 0],
    expected: { stable: 10, canary: 2 },
  },
  {
    name: 'Use max surge percentage to scale up canary',
    replicas: 10,
    weight: 20,
    maxSurge: '20%',
    maxUnavailable: 0,
    stable: [10, 10],
    canary: [0, 0],
    expected: { stable: 10, canary: 2 },
  },
  {
    name: 'Scale down extra stable replicas',
    replicas: 10,
    weight: 20,
    maxSurge: '20%',
    maxUnavailable: 0,
    stable: [10, 10],
    canary: [2, 2],
    expected: { stable: 8, canary: 2 },
  },
  {
    name: 'Do not go past max surge',
    replicas: 10,
    weight: 30,
    maxSurge: 2,
    maxUnavailable: 0,
    stable: [10, 10],
    canary: [0, 0],
    expected: { stable: 10, canary: 2 },
  },
  {
    name: 'Use max unavailable int to scale down stableRS',
    replicas: 10,
    weight: 20,
    maxSurge: 0,
    maxUnavailable: 2,
    stable: [10, 10],
    canary: [0, 0],
    expected: { stable: 8, canary: 0 },
  },
  {
    name: 'Use max surge percentage to scale down stableRS',
    replicas: 10,
    weight: 20,
    maxSurge: 0,
    maxUnavailable: '20%',
    stable: [10, 10],
    canary: [0, 0],
    expected: { stable: 8, canary: 0 },
  },
  {
    name: 'Do not go past max unavailable',
    replicas: 10,
    weight: 30,
    maxSurge: 0,
    maxUnavailable: 2,
    stable: [10, 10],
    canary: [0, 0],
    expected: { stable: 8, canary: 0 },
  },
  {
    name: 'Use Max Surge and Max Unavailable',
    replicas: 10,
    weight: 50,
    maxSurge: 2,
    maxUnavailable: 1,
    stable: [10, 10],
    canary: [0, 0],
    expected: { stable: 9, canary: 2 },
  },
  {
    name: 'Scale canaryRS to zero on setWeight of 0%',
    replicas: 10,
    weight: 0,
    maxSurge: 1,
    maxUnavailable: 1,
    stable: [10, 10],
    canary: [1, 1],
    expected: { stable: 10, canary: 0 },
  },
  {
    name: 'Scale stable to zero on setWeight of 100%',
    replicas: 10,
    weight: 100,
    maxSurge: 1,
    maxUnavailable: 1,
    stable: [1, 1],
    canary: [10, 10],
    expected: { stable: 0, canary: 10 },
  },
  {
    name: 'Do not scale canaryRS down to zero on non-zero weight',
    replicas: 1,
    weight: 20,
    maxSurge: 1,
    maxUnavailable: 0,
    stable: [1, 1],
    canary: [0, 0],
    expected: { stable: 1, canary: 1 },
  },
  {
    name: 'Do not scale canaryRS down to zero on non-100 weight',
    replicas: 1,
    weight: 90,
    maxSurge: 1,
    maxUnavailable: 0,
    stable: [1, 1],
    canary: [0, 0],
    expected: { stable: 1, canary: 1 },
  },
  {
    name: 'Scale canaryRS to zero on <50 weight without surge',
    replicas: 1,
    weight: 49,
    maxSurge: 0,
    maxUnavailable: 1,
    stable: [1, 1],
    canary: [0, 0],
    expected: { stable: 1, canary: 0 },
  },
  {
    name: 'Scale stableRS down to zero on >=50 weight without surge',
    replicas: 1,
    weight: 51,
    maxSurge: 0,
    maxUnavailable: 1,
    stable: [1, 1],
    canary: [0, 0],
    expected: { stable: 0, canary: 0 },
  },
  {
    name: 'Scale canaryRS to one on >=50 weight without surge and stable replicas',
    replicas: 1,
    weight: 51,
    maxSurge: 0,
    maxUnavailable: 1,
    stable: [0, 0],
    canary: [0, 0],
    expected: { stable: 0, canary: 1 },
  },
  {
    name: 'Scale up Stable before canaryRS',
    replicas: 10,
    weight: 30,
    maxSurge: 1,
    maxUnavailable: 0,
    stable: [1, 1],
    canary: [0, 0],
    older: [3, 3],
    expected: { stable: 7, canary: 1 },
  },
  {
    name: 'Scale down canaryRS and stable',
    replicas: 10,
    weight: 30,
    maxSurge: 0,
    maxUnavailable: 3,
    stable: [8, 5],
    canary: [4, 4],
    expected: { stable: 7, canary: 3 },
  },
  {
    name: 'Scale down stable and canary available',
    replicas: 10,
    weight: 100,
    maxSurge: 1,
    maxUnavailable: 0,
    stable: [10, 2],
    canary: [10, 8],
    expected: { stable: 2, canary: 9 },
  },
  {
    name: 'Do not scale down canaryRS or stable when older RS count >= scaleDownCount',
    replicas: 10,
    weight: 30,
    maxSurge: 0,
    maxUnavailable: 1,
    stable: [8, 6],
    canary: [4, 2],
    older: [3, 3],
    expected: { stable: 8, canary: 4 },
  },
  {
    name: 'Do not round past maxSurge with uneven setWeight divisor',
    replicas: 10,
    weight: 5,
    maxSurge: 0,
    maxUnavailable: 1,
    stable: [10, 10],
    canary: [0, 0],
    expected: { stable: 9, canary: 0 },
  },
  {
    name: 'Do not round past maxSurge with uneven setWeight divisor (part 2)',
    replicas: 10,
    weight: 5,
    maxSurge: 0,
    maxUnavailable: 1,
    stable: [9, 9],
    canary: [0, 0],
    expected: { stable: 9, canary: 1 },
  },
  {
    name: 'Use maxUnavailable of 1 when percentage of maxUnavailable and maxSurge result in 0 replicas',
    replicas: 10,
    weight: 10,
    maxSurge: '0%',
    maxUnavailable: '0%',
    stable: [10, 10],
    canary: [0, 0],
    expected: { stable: 9, canary: 0 },
  },
  {
    name: 'Ignore setCanaryScale when trafficRouting is missing and use setWeight for replicas',
    replicas: 10,
    weight: 20,
    maxSurge: '20%',
    maxUnavailable: 0,
    stable: [10, 10],
    canary: [0, 0],
    expected: { stable: 10, canary: 2 },
  },
  {
    name: 'honor maxSurge during scale up when stableRS unavailable',
    replicas: 4,
    weight: 100,
    maxSurge: 1,
    maxUnavailable: 0,
    stable: [4, 1],
    canary: [0, 0],
    expected: { stable: 4, canary: 1 },
  },
  {
    name: 'scale down to maxunavailable without exceeding maxSurge',
    replicas: 3,
    weight: 99,
    maxSurge: 0,
    maxUnavailable: 2,
    stable: [3, 3],
    canary: [0, 0],
    expected: { stable: 1, canary: 0 },
  },
  {
    name: 'scale down to maxunavailable without exceeding maxSurge (part 2)',
    replicas: 3,
    weight: 99,
    maxSurge: 0,
    maxUnavailable: 2,
    stable: [1, 1],
    canary: [0, 0],
    expected: { stable: 1, canary: 2 },
  },
  {
    name: 'honor maxUnavailable during scale down stableRS unavailable',
    replicas: 4,
    weight: 100,
    maxSurge: 1,
    maxUnavailable: 0,
    stable: [4, 1],
    canary: [1, 1],
    expected: { stable: 3, canary: 1 },
  },
  {
    name: 'honor maxUnavailable when aborting or reducing weight part 1',
    replicas: 4,
    weight: 0,
    maxSurge: 1,
    maxUnavailable: 0,
    stable: [0, 0],
    canary: [4, 4],
    expected: { stable: 1, canary: 4 },
  },
  {
    name: 'honor maxUnavailable when aborting or reducing weight part 2',
    replicas: 4,
    weight: 0,
    maxSurge: 1,
    maxUnavailable: 0,
    stable: [1, 0],
    canary: [4, 4],
    expected: { stable: 1, canary: 4 },
  },
  {
    name: 'honor maxUnavailable when aborting or reducing weight part 3',
    replicas: 4,
    weight: 0,
    maxSurge: 1,
    maxUnavailable: 0,
    stable: [1, 1],
    canary: [4, 4],
    expected: { stable: 1, canary: 3 },
  },
  {
    name: 'promote full does not consider weight',
    replicas: 4,
    weight: 100,
    maxSurge: 4,
    maxUnavailable: 4,
    stable: [4, 4],
    canary: [0, 0],
    expected: { stable: 0, canary: 4 },
  },
  {
    name: 'promote full still honors maxSurge/maxUnavailable',
    replicas: 4,
    weight: 100,
    maxSurge: 3,
    maxUnavailable: 0,
    stable: [4, 4],
    canary: [0, 0],
    expected: { stable: 4, canary: 3 },
  },
];

describe('basicCanaryReplicas (Argo CalculateReplicaCountsForBasicCanary)', () => {
  it.each(rows)('$name', (row) => {
    const [stableReplicas, stableAvailable] = row.stable;
    const [canaryReplicas, canaryAvailable] = row.canary;
    const result = basicCanaryReplicas({
      replicas: row.replicas,
      weight: row.weight,
      maxSurge: row.maxSurge,
      maxUnavailable: row.maxUnavailable,
      stable: { replicas: stableReplicas, availableReplicas: stableAvailable },
      canary: { replicas: canaryReplicas, availableReplicas: canaryAvailable },
      ...(row.older ? { older: [{ replicas: row.older[0], availableReplicas: row.older[1] }] } : {}),
    });
    expect(result).toEqual(row.expected);
  });

  // TestCalculateReplicaCountsForNewDeployment: the canary is the stable one, so it goes to spec.replicas.
  it('without a separate stable the canary goes to spec.replicas', () => {
    expect(
      basicCanaryReplicas({
        replicas: 10,
        weight: 10,
        maxSurge: 0,
        maxUnavailable: 1,
        canary: { replicas: 10, availableReplicas: 0 },
      }),
    ).toEqual({ canary: 10, stable: 0 });
  });

  it('converges: fed its own answer with every pod available, it reaches the split and stays there', () => {
    let canary = { replicas: 0, availableReplicas: 0 };
    let stable = { replicas: 10, availableReplicas: 10 };
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const next = basicCanaryReplicas({ replicas: 10, weight: 40, maxSurge: 1, maxUnavailable: 1, canary, stable });
      seen.push(`${next.canary}/${next.stable}`);
      expect(next.canary + next.stable).toBeLessThanOrEqual(11);
      canary = { replicas: next.canary, availableReplicas: next.canary };
      stable = { replicas: next.stable, availableReplicas: next.stable };
    }
    expect(seen.at(-1)).toBe('4/6');
    expect(seen.at(-2)).toBe('4/6');
  });
});

describe('resolveSurgeAndUnavailable (Argo resolveFenceposts)', () => {
  it.each([
    // [maxSurge, maxUnavailable, replicas, surge, unavailable]: percentages of surge round up, of unavailable down.
    ['25%', '25%', 10, 3, 2],
    ['0%', '0%', 10, 0, 1],
    [2, 0, 10, 2, 0],
    [0, 20, 10, 0, 10],
    ['25%', '25%', 0, 0, 0],
  ] as const)('surge %s, unavailable %s of %i: %i and %i', (surge, unavailable, replicas, s, u) => {
    expect(resolveSurgeAndUnavailable(surge, unavailable, replicas)).toEqual({ surge: s, unavailable: u });
  });
});

describe('the engine scales a basic canary by the arithmetic', () => {
  const spec = parseRollout({
    replicas: 10,
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:2' }] } },
    // Argo's defaults: maxSurge 25% (3 pods of 10), maxUnavailable 25% (2 pods).
    strategy: { canary: { steps: [{ setWeight: 20 }, { pause: {} }] } },
  });
  const setup = async () => {
    const clock = createFakeClock({ start: 0 });
    const router = createMemoryRouter();
    const workload = createTestWorkload({ clock, readyAfterMs: 10_000 });
    await workload.apply(
      { stable: { revision: 'v1', replicas: 10 }, experiments: [] },
      { signal: new AbortController().signal, clock },
    );
    await clock.advance(10_000);
    return { clock, router, workload };
  };

  it('splits 2/8 at setWeight 20 and completes the step only once the canary pods are available', async () => {
    const { clock, router, workload } = await setup();
    let result = await reconcile({ spec, router, clock, workload, stableRevision: 'v1' });
    expect(workload.asked.at(-1)).toEqual({
      stable: { revision: 'v1', replicas: 8 },
      canary: { revision: spec.revision, replicas: 2 },
      experiments: [],
    });
    expect(result.status.currentStepIndex).toBe(0);
    expect(result.requeueAfterMs).toBe(5_000);
    await clock.advance(10_000);
    result = await reconcile({ spec, router, clock, workload, status: result.status });
    expect(result.status.currentStepIndex).toBe(1);
    expect(router.current.canaryWeight).toBe(20);
    expect(workload.replicaSets()).toEqual([
      { revision: 'v1', replicas: 8, availableReplicas: 8 },
      { revision: spec.revision, replicas: 2, availableReplicas: 2 },
    ]);
  });

  it('an abort rolls back by the arithmetic at weight 0: the stable back to 10, the canary to 0 at once', async () => {
    const { clock, router, workload } = await setup();
    let result = await reconcile({ spec, router, clock, workload, stableRevision: 'v1' });
    await clock.advance(10_000);
    result = await reconcile({ spec, router, clock, workload, status: result.status });
    result = await reconcile({ spec, router, clock, workload, status: result.status, commands: [{ type: 'abort' }] });
    expect(result.status.abort).toBe(true);
    expect(workload.asked.at(-1)).toEqual({
      stable: { revision: 'v1', replicas: 10 },
      canary: { revision: spec.revision, replicas: 0 },
      experiments: [],
    });
  });

  it('promote --full grows the canary within maxSurge and promotes once all 10 are available, old stable at 0', async () => {
    const { clock, router, workload } = await setup();
    let result = await reconcile({ spec, router, clock, workload, stableRevision: 'v1' });
    await clock.advance(10_000);
    result = await reconcile({ spec, router, clock, workload, status: result.status });
    result = await reconcile({
      spec,
      router,
      clock,
      workload,
      status: result.status,
      commands: [{ type: 'promote', full: true }],
    });
    const total = (state: (typeof workload.asked)[number]) => (state.stable?.replicas ?? 0) + (state.canary?.replicas ?? 0);
    for (let i = 0; i < 10 && result.status.stableRevision !== spec.revision; i++) {
      await clock.advance(10_000);
      result = await reconcile({ spec, router, clock, workload, status: result.status });
    }
    expect(result.status.stableRevision).toBe(spec.revision);
    // Never more than spec.replicas + maxSurge (13) pods asked for.
    expect(Math.max(...workload.asked.map(total))).toBeLessThanOrEqual(13);
    expect(workload.replicaSets().find((set) => set.revision === 'v1')?.replicas).toBe(0);
    expect(workload.replicaSets().find((set) => set.revision === spec.revision)).toEqual({
      revision: spec.revision,
      replicas: 10,
      availableReplicas: 10,
    });
  });
});
