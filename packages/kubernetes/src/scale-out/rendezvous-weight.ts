import { fnv1a32 } from './fnv1a32.js';

/** murmur3's finaliser: FNV-1a alone leaves similar inputs (`a/1`, `a/2`) with similar high bits. */
function mix(hash: number): number {
  let h = hash;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** How much `member` wants `shard` in rendezvous hashing: FNV-1a of `member NUL shard`, mixed; the same on every replica. */
export function rendezvousWeight(member: string, shard: number): number {
  return mix(fnv1a32(`${member}\u0000${shard}`));
}
