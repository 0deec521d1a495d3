import type { TrafficState } from '@gradual/core';

/** Requests one version answered while one routing table was installed. */
export interface ServedCounts {
  /** By the weighted split. */
  weighted: number;
  /** By a managed header route. */
  header: number;
  /** Copies sent by a mirror route (their answers were discarded). */
  mirrored: number;
  /** Answers with a 5xx code (or no answer), among the three above. */
  failed: number;
}

/** What was served while one routing table was installed. */
export interface GenerationTally {
  generation: number;
  state: TrafficState;
  /** Versions the state's stable and canary revisions resolved to. */
  stableVersion: string;
  canaryVersion?: string;
  /** By version (`v1`, `v2`). */
  served: Record<string, ServedCounts>;
}

const empty = (): ServedCounts => ({ weighted: 0, header: 0, mirrored: 0, failed: 0 });

/** Counts served requests by the routing generation that decided them: the proxy's own record of the split. */
export class ServedTally {
  readonly #generations = new Map<number, GenerationTally>();

  open(generation: number, state: TrafficState, versions: { stable: string; canary?: string }): void {
    if (this.#generations.has(generation)) return;
    this.#generations.set(generation, {
      generation,
      state: structuredClone(state),
      stableVersion: versions.stable,
      ...(versions.canary ? { canaryVersion: versions.canary } : {}),
      served: {},
    });
  }

  record(generation: number, version: string, kind: 'weighted' | 'header' | 'mirrored', failed: boolean): void {
    const tally = this.#generations.get(generation);
    if (!tally) return;
    const counts = tally.served[version] ?? empty();
    tally.served[version] = counts;
    counts[kind]++;
    if (failed) counts.failed++;
  }

  /** Every generation so far, oldest first (copies). */
  snapshot(): GenerationTally[] {
    return [...this.#generations.values()].map((tally) => structuredClone(tally));
  }
}
