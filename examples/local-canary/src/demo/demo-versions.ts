import { parseRollout, type RolloutSpec } from '@gradual/core';

/** The image v1 runs: the one the seed's rollout replaces (Argo's rollouts-demo colours). */
export const stableImage = 'argoproj/rollouts-demo:blue';

/** The two versions of the demo, identified as Argo identifies them: by pod-template hash. */
export interface DemoVersions {
  spec: RolloutSpec;
  stableRevision: string;
  canaryRevision: string;
}

/**
 * Parses the rollout (v2, as written) and derives v1's revision from the
 * same manifest with the previous image, so the router selects versions by
 * revision exactly as an Istio DestinationRule selects pods by hash label.
 */
export function demoVersions(rollout: Record<string, unknown>): DemoVersions {
  const spec = parseRollout(rollout);
  const previous = structuredClone(rollout) as { spec: { template: { spec: { containers: { image: string }[] } } } };
  for (const container of previous.spec.template.spec.containers) container.image = stableImage;
  const stable = parseRollout(previous);
  if (stable.revision === spec.revision) throw new Error(`the rollout already runs ${stableImage}; nothing to roll out`);
  return { spec, stableRevision: stable.revision, canaryRevision: spec.revision };
}
