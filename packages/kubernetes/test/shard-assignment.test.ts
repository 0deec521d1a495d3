import { assignShards, shardOf } from '@gradual/kubernetes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('shardOf', () => {
  // Rows: FNV-1a 32-bit reference values (the offset basis for ""; "a" = 0xe40c292c from the FNV test
  // suite, isthe.com/chongo/tech/comp/fnv), modulo the shard count.
  it.each([
    ['', 16, 0x811c9dc5 % 16],
    ['a', 16, 0xe40c292c % 16],
    ['a', 7, 0xe40c292c % 7],
    ['foobar', 1000, 0xbf9cf968 % 1000],
  ])('shardOf(%j, %i) = %i', (key, count, shard) => {
    expect(shardOf(key, count)).toBe(shard);
  });

  it('spreads rollout keys evenly enough (200 keys over 16 shards: none empty, none over 3x the mean)', () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 200; i++) counts[shardOf(`team-${i % 7}/rollout-${i}`, 16)]!++;
    expect(Math.min(...counts)).toBeGreaterThan(0);
    expect(Math.max(...counts)).toBeLessThanOrEqual((3 * 200) / 16);
  });

  it('refuses a shard count that is not a positive integer', () => {
    expect(() => shardOf('default/a', 0)).toThrow(/shardCount: must be a positive integer, got 0/);
  });
});

describe('assignShards (rendezvous hashing)', () => {
  const members = (n: number) => Array.from({ length: n }, (_, i) => `gradual-controller-${i}`);

  it('gives every shard to exactly one member, the same whatever the order of the member list', () => {
    const owners = assignShards({ members: ['c', 'a', 'b'], shardCount: 16 });
    expect(owners).toHaveLength(16);
    expect(owners.every((owner) => owner === 'a' || owner === 'b' || owner === 'c')).toBe(true);
    expect(assignShards({ members: ['b', 'c', 'a', 'a'], shardCount: 16 })).toEqual(owners);
    expect(assignShards({ members: [], shardCount: 3 })).toEqual([undefined, undefined, undefined]);
  });

  it('a join moves shards only to the joiner; a death moves only the dead one’s', () => {
    const before = assignShards({ members: members(2), shardCount: 16 });
    const after = assignShards({ members: members(3), shardCount: 16 });
    const moved = after.filter((owner, shard) => owner !== before[shard]);
    // Pure rendezvous: the joiner's take is binomial (here 11 of 16); the shard manager caps it (sticky shares).
    expect(moved.length).toBeGreaterThan(0);
    expect(new Set(moved)).toEqual(new Set(['gradual-controller-2']));
    const survivors = assignShards({ members: members(3).filter((m) => m !== 'gradual-controller-1'), shardCount: 16 });
    after.forEach((owner, shard) => {
      if (owner !== 'gradual-controller-1') expect(survivors[shard]).toBe(owner);
    });
  });

  it('property: adding a member only moves shards to it; removing one only moves its shards', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,20}$/), { minLength: 1, maxLength: 8 }),
        fc.stringMatching(/^[a-z0-9-]{1,20}$/),
        fc.integer({ min: 1, max: 64 }),
        (group, joiner, shardCount) => {
          fc.pre(!group.includes(joiner));
          const before = assignShards({ members: group, shardCount });
          const after = assignShards({ members: [...group, joiner], shardCount });
          after.forEach((owner, shard) => {
            if (owner !== before[shard]) expect(owner).toBe(joiner);
          });
          const [gone, ...rest] = group;
          if (rest.length === 0) return;
          const without = assignShards({ members: rest, shardCount });
          before.forEach((owner, shard) => {
            if (owner !== gone) expect(without[shard]).toBe(owner);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('balances: with 3 members and 240 shards each owns between 50% and 150% of its share', () => {
    const owners = assignShards({ members: members(3), shardCount: 240 });
    for (const member of members(3)) {
      const count = owners.filter((owner) => owner === member).length;
      expect(count).toBeGreaterThanOrEqual(40);
      expect(count).toBeLessThanOrEqual(120);
    }
  });
});
