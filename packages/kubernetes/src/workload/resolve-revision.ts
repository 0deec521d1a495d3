import type { RolloutSpec } from '@gradual/core';
import type { V1ReplicaSet } from '@kubernetes/client-node';
import { experimentNameAnnotation, podTemplateHashLabel } from '../kube/labels.js';
import { podTemplatesEqual } from './pod-templates-equal.js';

/** Inputs of {@link resolveRevision}. */
export interface ResolveRevisionInput {
  /** The parsed Rollout: its `template` and gradual's own hash of it, `revision`. */
  spec: Pick<RolloutSpec, 'template' | 'revision'>;
  /** The rollout's ReplicaSets as listed (experiment ReplicaSets are skipped). */
  replicaSets: readonly V1ReplicaSet[];
}

/**
 * The pod-template hash to run `spec.template` under. Argo hashes a Go `spew` dump of the PodTemplateSpec
 * struct (FNV-32a), which cannot be reproduced outside Go; Argo itself falls back to template equality to
 * find "the new ReplicaSet" (FindNewReplicaSet / PodTemplateEqualIgnoreHash). So does this: a ReplicaSet
 * already labelled with `spec.revision` wins; else the oldest ReplicaSet whose pod template equals
 * `spec.template` (ignoring the hash label and the API server's defaults, see {@link podTemplatesEqual})
 * gives its `rollouts-pod-template-hash` — so ReplicaSets Argo Rollouts created are adopted, not
 * duplicated; else `spec.revision`. Pass `{ ...spec, revision }` on to the engine and the Workload.
 */
export function resolveRevision(input: ResolveRevisionInput): string {
  const { spec } = input;
  const candidates = input.replicaSets.filter(
    (set) => !set.metadata?.annotations?.[experimentNameAnnotation] && !set.metadata?.deletionTimestamp,
  );
  if (candidates.some((set) => hashOf(set) === spec.revision)) return spec.revision;
  const oldestFirst = [...candidates].sort((a, b) => createdAt(a) - createdAt(b));
  for (const set of oldestFirst) {
    const hash = hashOf(set);
    // Typed models of the client hold Dates and undefined fields: compared as the JSON they came from.
    if (hash && podTemplatesEqual(spec.template, plain(set.spec?.template))) return hash;
  }
  return spec.revision;
}

function hashOf(set: V1ReplicaSet): string | undefined {
  return set.metadata?.labels?.[podTemplateHashLabel];
}

function createdAt(set: V1ReplicaSet): number {
  const at: unknown = set.metadata?.creationTimestamp;
  if (at instanceof Date) return at.getTime();
  return typeof at === 'string' ? Date.parse(at) : 0;
}

function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}
