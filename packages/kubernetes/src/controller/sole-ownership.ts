import type { Ownership } from './controller-parts.js';
import { untilAborted } from './until-aborted.js';

/** One replica, no election: it owns every rollout from the start until it stops. */
export function soleOwnership(): Ownership {
  const owning = new AbortController();
  return {
    owns: () => !owning.signal.aborted,
    signalFor: () => (owning.signal.aborted ? undefined : owning.signal),
    async run(signal, hooks) {
      hooks.acquired();
      await untilAborted(signal);
      owning.abort();
    },
  };
}
