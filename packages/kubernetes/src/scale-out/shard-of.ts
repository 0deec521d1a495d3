import { ValidationError } from '@gradual/core';
import { fnv1a32 } from './fnv1a32.js';

/**
 * The shard of a work-queue key (`namespace/name`): FNV-1a (32 bit) of the
 * key's UTF-8 bytes modulo `shardCount`. Stable across processes, versions
 * and machines, so every replica agrees on it; changing `shardCount` moves
 * most keys (every replica must use the same count).
 */
export function shardOf(key: string, shardCount: number): number {
  if (!Number.isInteger(shardCount) || shardCount < 1)
    throw new ValidationError('shardOf', [{ path: 'shardCount', message: `must be a positive integer, got ${shardCount}` }]);
  return fnv1a32(key) % shardCount;
}
