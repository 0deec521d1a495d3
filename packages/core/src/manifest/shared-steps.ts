import { deepFreeze } from '../data/deep-freeze.js';
import type { CanaryStep } from './rollout-types.js';

// Rollouts made from one chart have the same step list, and a host holds each parsed spec for as long as it
// manages the rollout. Equal lists are one deeply frozen list: 100,000 seed specs hold about 1 KB less each,
// and every scavenge then walks fewer old pages (docs/benchmarks/fleet.md, "Sixth pass"). Keyed by content;
// bounded like the parse cache, which starts again when full. A list too long to key is frozen, not shared.
const byContent = new Map<string, CanaryStep[]>();
const maxLists = 256;
const maxKeyLength = 16_384;

/** The parsed step list, frozen, and the same object as every earlier list with the same content. */
export function sharedSteps(steps: CanaryStep[]): CanaryStep[] {
  const key = JSON.stringify(steps);
  if (key.length > maxKeyLength) return deepFreeze(steps);
  const known = byContent.get(key);
  if (known) return known;
  if (byContent.size >= maxLists) byContent.clear();
  byContent.set(key, deepFreeze(steps));
  return steps;
}
