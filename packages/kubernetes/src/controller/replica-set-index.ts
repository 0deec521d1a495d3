import type { V1ReplicaSet } from '@kubernetes/client-node';

/**
 * The ReplicaSets of each Rollout by the uid of their controller owner, kept from the informer's events,
 * so a reconcile finds its own in O(its own) and not by scanning the namespace.
 */
export function createReplicaSetIndex() {
  const byOwner = new Map<string, Map<string, V1ReplicaSet>>();
  const ownerById = new Map<string, string>();
  const ownerOf = (replicaSet: V1ReplicaSet) =>
    replicaSet.metadata?.ownerReferences?.find((o) => o.controller && o.kind === 'Rollout');
  const idOf = (replicaSet: V1ReplicaSet) => `${replicaSet.metadata?.namespace}/${replicaSet.metadata?.name}`;
  return {
    /** The Rollout owning this ReplicaSet as controller, if any. */
    ownerOf,
    /** Records a change seen by the informer. */
    update(replicaSet: V1ReplicaSet, change: 'add' | 'update' | 'delete') {
      const id = idOf(replicaSet);
      const previous = ownerById.get(id);
      if (previous !== undefined) {
        const entries = byOwner.get(previous);
        entries?.delete(id);
        if (entries?.size === 0) byOwner.delete(previous);
        ownerById.delete(id);
      }
      const owner = ownerOf(replicaSet);
      if (!owner || change === 'delete') return;
      ownerById.set(id, owner.uid);
      let entries = byOwner.get(owner.uid);
      if (!entries) {
        entries = new Map();
        byOwner.set(owner.uid, entries);
      }
      entries.set(idOf(replicaSet), replicaSet);
    },
    /** The ReplicaSets a Rollout (by uid) controls. */
    owned(ownerUid: string): readonly V1ReplicaSet[] {
      const entries = byOwner.get(ownerUid);
      return entries ? [...entries.values()] : [];
    },
  };
}
