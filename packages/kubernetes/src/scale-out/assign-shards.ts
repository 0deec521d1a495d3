import { rendezvousWeight } from './rendezvous-weight.js';

/** Request of {@link assignShards}. */
export interface AssignShardsRequest {
  /** Identities of the live members. */
  members: readonly string[];
  shardCount: number;
}

/**
 * Which member owns each shard, by rendezvous (highest-random-weight)
 * hashing: shard `s` goes to the member with the highest `weight(member, s)`.
 * A member that joins takes only the shards it now weighs highest on (about
 * 1/N), and one that leaves gives up only its own; every replica computes the
 * same answer from the same member set. Returns one identity per shard
 * (undefined when there are no members).
 */
export function assignShards(request: AssignShardsRequest): (string | undefined)[] {
  const members = [...new Set(request.members)].sort();
  return Array.from({ length: request.shardCount }, (_, shard) => {
    let best: string | undefined;
    let bestWeight = -1;
    for (const member of members) {
      const weight = rendezvousWeight(member, shard);
      // Members are sorted, so a tie goes to the same one on every replica.
      if (weight > bestWeight) {
        best = member;
        bestWeight = weight;
      }
    }
    return best;
  });
}
