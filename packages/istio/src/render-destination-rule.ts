import type { TrafficState } from '@gradual/core';
import { describeObject } from './describe-object.js';
import { istioConfigError } from './istio-config-error.js';
import type { DestinationRule } from './istio-objects.js';
import type { IstioRoutingConfig } from './istio-routing-config.js';

/** Label that selects a version's pods, as Argo Rollouts sets it on ReplicaSets. */
export const podTemplateHashLabel = 'rollouts-pod-template-hash';

/**
 * The DestinationRule `current` as it must be for `desired`: the canary and
 * stable subsets select `canaryRevision` / `stableRevision` by the
 * `rollouts-pod-template-hash` label (an absent revision leaves its label
 * as it is). Promotion and blue/green cut-over are this change, not a change
 * of weights. Other subsets and fields are untouched. Pure.
 */
export function renderDestinationRule(
  current: DestinationRule,
  config: IstioRoutingConfig,
  desired: TrafficState,
): DestinationRule {
  const rule = config.destinationRule;
  if (!rule) throw istioConfigError('renderDestinationRule needs trafficRouting.istio.destinationRule');
  const where = describeObject('DestinationRule', current.metadata);
  const next = structuredClone(current);
  const subsets = next.spec.subsets ?? [];
  const wanted = [
    [rule.canarySubsetName, desired.canaryRevision],
    [rule.stableSubsetName, desired.stableRevision],
  ] as const;
  for (const [name, revision] of wanted) {
    const subset = subsets.find((candidate) => candidate.name === name);
    if (!subset) {
      throw istioConfigError(
        `subset '${name}' is not found in ${where}; its subsets are: ${subsets.map((s) => s.name).join(', ') || '(none)'}`,
        'ISTIO_SUBSET_NOT_FOUND',
      );
    }
    if (revision !== undefined) subset.labels = { ...subset.labels, [podTemplateHashLabel]: revision };
  }
  return next;
}
