import type { TrafficState } from '@gradual/core';

/** A TrafficState with every list empty, overridden by `partial`. */
export function state(partial: Partial<TrafficState> = {}): TrafficState {
  return { canaryWeight: 0, headerRoutes: [], mirrorRoutes: [], experiments: [], ...partial };
}
