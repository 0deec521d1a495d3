import { workloadRefScaleDown } from '@gradual/kubernetes';
import { describe, expect, it } from 'vitest';

// Source: argo-rollouts rollout/replicaset.go reconcileNewReplicaSet (progressively) and rollout/sync.go
// (onsuccess), docs/migrating.md "Reference Deployment From Rollout". 5 replicas in the Rollout.
type Row = [string, Parameters<typeof workloadRefScaleDown>[0]['scaleDown'], number, boolean, number, number | undefined];
const rows: Row[] = [
  // [case, scaleDown, rollout available, healthy, deployment replicas now, expected]
  ['never: untouched while progressing', 'never', 2, false, 5, undefined],
  ['never: untouched when healthy', 'never', 5, true, 5, undefined],
  ['onsuccess: untouched while progressing', 'onsuccess', 4, false, 5, undefined],
  ['onsuccess: 0 once healthy', 'onsuccess', 5, true, 5, 0],
  ['onsuccess: already 0, nothing to write', 'onsuccess', 5, true, 0, undefined],
  ['progressively: untouched before any rollout pod is available', 'progressively', 0, false, 5, undefined],
  ['progressively: gives way pod by pod', 'progressively', 2, false, 5, 3],
  ['progressively: takes over again when rollout pods go', 'progressively', 1, false, 3, 4],
  ['progressively: never below 0 (surge)', 'progressively', 6, false, 1, 0],
  ['progressively: 0 once healthy', 'progressively', 5, true, 1, 0],
];

describe('workloadRefScaleDown', () => {
  it.each(rows)('%s', (_name, scaleDown, availableReplicas, healthy, deploymentReplicas, expected) => {
    expect(workloadRefScaleDown({ scaleDown, replicas: 5, availableReplicas, healthy, deploymentReplicas })).toBe(expected);
  });

  it('leaves the Deployment alone after the first revision, as Argo (the migration is over)', () => {
    expect(
      workloadRefScaleDown({
        scaleDown: 'onsuccess',
        replicas: 5,
        availableReplicas: 5,
        healthy: true,
        deploymentReplicas: 5,
        firstRevision: false,
      }),
    ).toBeUndefined();
  });
});
