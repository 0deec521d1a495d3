import { createHash } from 'node:crypto';
import type {
  CallOptions,
  Clock,
  JsonObject,
  ReplicaObservation,
  ReplicaTarget,
  RolloutExperimentTemplate,
  RolloutSpec,
  Workload,
  WorkloadObservation,
  WorkloadState,
} from '@gradual/core';
import { AppsV1Api, type KubeConfig, type V1ReplicaSet } from '@kubernetes/client-node';
import { kubeCall } from '../kube/kube-call.js';
import { KubernetesApiError } from '../kube/kubernetes-api-error.js';
import {
  experimentNameAnnotation,
  experimentTemplateNameAnnotation,
  podTemplateHashLabel,
  revisionAnnotation,
  scaleDownDeadlineAnnotation,
} from '../kube/labels.js';
import { labelSelectorString } from './label-selector-string.js';
import { MissingReplicaSetError } from './missing-replica-set-error.js';
import { experimentName, replicaSetName } from './replica-set-names.js';

/** The Rollout that owns the ReplicaSets (their `ownerReferences` entry, `controller: true`). */
export interface WorkloadOwner {
  name: string;
  uid: string;
  /** Default `argoproj.io/v1alpha1`. */
  apiVersion?: string | undefined;
  /** Default `Rollout`. */
  kind?: string | undefined;
}

/** Options of {@link createKubernetesWorkload}. */
export interface KubernetesWorkloadOptions {
  kubeConfig: KubeConfig;
  namespace: string;
  rollout: WorkloadOwner;
  /**
   * The parsed Rollout, its `revision` resolved with `resolveRevision` (so Argo's ReplicaSets are adopted).
   * Used: template, selector, replicas, revision, revisionHistoryLimit, minReadySeconds, the experiment steps
   * and the scale-down delays.
   */
  spec: RolloutSpec;
  /** For `scale-down-deadline`; default the clock of each call. */
  clock?: Clock | undefined;
  /**
   * The stable revision before the first `apply` (Argo's `status.stableRS`), so that `observe` can report it
   * to a fresh instance; after an apply, the applied state says.
   */
  stableRevision?: string | null | undefined;
  /**
   * The rollout's `status.currentStepIndex`, to name experiment ReplicaSets as Argo does when two experiment
   * steps run the same template names; otherwise the step is found in `spec` by its template names.
   */
  currentStepIndex?: (() => number | undefined) | undefined;
  /** PUTs answered 409 are re-read and tried again this many times; default 5. */
  conflictRetries?: number | undefined;
}

/** A `Workload` on Kubernetes ReplicaSets. */
export interface KubernetesWorkload extends Workload {
  readonly namespace: string;
  /** The ReplicaSets of the rollout as listed now (owned by it, picked by `spec.selector`). */
  replicaSets(options: CallOptions): Promise<V1ReplicaSet[]>;
}

const resource = 'replicasets.apps';
const defaultHistoryLimit = 10;

/**
 * A Workload that runs each revision of a rollout as one ReplicaSet, the way Argo Rollouts does: named
 * `<rollout>-<hash>`, labelled `rollouts-pod-template-hash` (on the ReplicaSet, its selector and its pod
 * template), annotated with the rollout revision number (1, 2, 3 ...), owned by the Rollout. `apply` scales
 * the stable, canary, experiment and retiring versions to the engine's numbers and everything else to 0
 * (once the stable is known), marks a retiring version with `scale-down-deadline`, and deletes the oldest
 * ReplicaSets at 0 beyond `revisionHistoryLimit` (default 10). An apply that changes nothing writes nothing;
 * writes are PUTs with the resourceVersion read (a 409 is re-read and retried). `observe` reports replicas
 * and available replicas from ReplicaSet status (0 available until the status is of the current generation).
 */
export function createKubernetesWorkload(options: KubernetesWorkloadOptions): KubernetesWorkload {
  const api = options.kubeConfig.makeApiClient(AppsV1Api);
  const { namespace, spec } = options;
  const owner = options.rollout;
  const selector = labelSelectorString(spec.selector, `Rollout "${spec.name}"`);
  const retries = options.conflictRetries ?? 5;
  let applied: WorkloadState | undefined;

  const list = async (call: CallOptions): Promise<V1ReplicaSet[]> => {
    const result = await kubeCall({ verb: 'list', resource, namespace, signal: call.signal }, (configuration) =>
      api.listNamespacedReplicaSet({ namespace, labelSelector: selector }, configuration),
    );
    // The selector may pick ReplicaSets of others: only the rollout's own count (Argo's controller reference).
    const own: V1ReplicaSet[] = [];
    for (const set of result.items) {
      const references = set.metadata?.ownerReferences ?? [];
      if (references.some((ref) => ref.controller === true && ref.uid === owner.uid)) own.push(set);
      else if (!references.some((ref) => ref.controller === true) && !set.metadata?.deletionTimestamp) {
        // Argo's ClaimReplicaSets: an orphan the selector picks is adopted (a Rollout deleted with
        // --cascade=orphan and created again), instead of a create that conflicts with it for ever.
        own.push(await update(set, (copy) => adopt(copy, owner), call));
      }
    }
    return own;
  };
  const read = (name: string, call: CallOptions) =>
    kubeCall({ verb: 'get', resource, name, namespace, signal: call.signal }, (configuration) =>
      api.readNamespacedReplicaSet({ name, namespace }, configuration),
    );
  const create = (body: V1ReplicaSet, call: CallOptions) =>
    kubeCall({ verb: 'create', resource, name: body.metadata?.name, namespace, signal: call.signal }, (configuration) =>
      api.createNamespacedReplicaSet({ namespace, body }, configuration),
    );
  const remove = (name: string, call: CallOptions) =>
    kubeCall({ verb: 'delete', resource, name, namespace, signal: call.signal }, (configuration) =>
      api.deleteNamespacedReplicaSet({ name, namespace }, configuration),
    );
  /** PUT what `change` makes of the ReplicaSet; nothing when it changes nothing; on 409 read it again. */
  const update = async (set: V1ReplicaSet, change: (copy: V1ReplicaSet) => boolean, call: CallOptions) => {
    let current = set;
    const name = set.metadata?.name as string;
    for (let attempt = 0; ; attempt++) {
      const copy = structuredClone(current);
      if (!change(copy)) return current;
      try {
        return await kubeCall({ verb: 'update', resource, name, namespace, signal: call.signal }, (configuration) =>
          api.replaceNamespacedReplicaSet({ name, namespace, body: copy }, configuration),
        );
      } catch (error) {
        if (!KubernetesApiError.isConflict(error) || attempt >= retries) throw error;
        current = await read(name, call);
      }
    }
  };

  const observeSet = (set: V1ReplicaSet | undefined, revision: string): ReplicaObservation | undefined =>
    set && { revision, replicas: set.spec?.replicas ?? 0, availableReplicas: availableOf(set) };

  return {
    specificationVersion: 'v1',
    namespace,
    replicaSets: list,

    async observe(call) {
      const sets = await list(call);
      const revisions = revisionSets(sets);
      const stableRevision = applied ? applied.stable?.revision : (options.stableRevision ?? undefined);
      const canaryRevision = applied?.canary?.revision ?? spec.revision;
      const stable = stableRevision ? observeSet(revisions.get(stableRevision), stableRevision) : undefined;
      const canary = observeSet(revisions.get(canaryRevision), canaryRevision);
      const wantedExperiments = new Map((applied?.experiments ?? []).map((e) => [e.name, e.revision]));
      const experiments = sets
        .filter((set) => annotation(set, experimentNameAnnotation))
        .filter((set) => (applied ? wantedExperiments.has(templateNameOf(set)) : (set.spec?.replicas ?? 0) > 0))
        .map((set) => ({
          name: templateNameOf(set),
          revision: wantedExperiments.get(templateNameOf(set)) ?? hashOf(set) ?? '',
          replicas: set.spec?.replicas ?? 0,
          availableReplicas: availableOf(set),
        }));
      return { ...(stable ? { stable } : {}), ...(canary ? { canary } : {}), experiments } satisfies WorkloadObservation;
    },

    async apply(desired, call) {
      const clock = options.clock ?? call.clock;
      const sets = await list(call);
      const revisions = revisionSets(sets);
      let maxRevision = Math.max(0, ...[...revisions.values()].map(revisionNumberOf));
      const wanted = new Map<string, { replicas: number; retiring: boolean }>();
      for (const target of [desired.stable, desired.canary]) {
        if (target) wanted.set(target.revision, { replicas: target.replicas, retiring: false });
      }
      for (const target of desired.retiring ?? []) {
        if (!wanted.has(target.revision)) wanted.set(target.revision, { replicas: target.replicas, retiring: true });
      }

      for (const [revision, want] of wanted) {
        const existing = revisions.get(revision);
        if (!existing) {
          if (want.replicas === 0) continue;
          if (revision !== spec.revision) {
            throw new MissingReplicaSetError(
              `revision ${revision} of rollout "${spec.name}" in namespace "${namespace}" has no ReplicaSet ` +
                `(${replicaSetName(spec.name, revision)}) to scale to ${want.replicas}; only the canary's template (spec.template) is known`,
              { revision },
            );
          }
          maxRevision += 1;
          const body = revisionReplicaSet({
            spec,
            namespace,
            owner,
            hash: revision,
            replicas: want.replicas,
            revision: maxRevision,
          });
          revisions.set(revision, await create(body, call));
          continue;
        }
        // A rollback to an old ReplicaSet makes it the newest revision again, as Argo does.
        const bump = revision === spec.revision && revisionNumberOf(existing) < maxRevision;
        if (bump) maxRevision += 1;
        const newRevision = bump ? maxRevision : undefined;
        const deadline =
          want.retiring && want.replicas > 0 ? rfc3339(clock.now() + scaleDownDelaySeconds(spec) * 1000) : undefined;
        const updated = await update(
          existing,
          (copy) => {
            let changed = setReplicas(copy, want.replicas);
            if (newRevision !== undefined) changed = setAnnotation(copy, revisionAnnotation, String(newRevision)) || changed;
            // The deadline is written once when the version starts waiting, and removed when it is needed again.
            if (deadline === undefined) changed = setAnnotation(copy, scaleDownDeadlineAnnotation, undefined) || changed;
            else if (!annotation(copy, scaleDownDeadlineAnnotation))
              changed = setAnnotation(copy, scaleDownDeadlineAnnotation, deadline) || changed;
            return changed;
          },
          call,
        );
        revisions.set(revision, updated);
      }

      // Versions no longer wanted go to 0 — only once the stable is known, so production is never guessed away.
      if (desired.stable) {
        for (const [revision, set] of revisions) {
          if (wanted.has(revision)) continue;
          revisions.set(
            revision,
            await update(
              set,
              (copy) => {
                const scaled = setReplicas(copy, 0);
                return setAnnotation(copy, scaleDownDeadlineAnnotation, undefined) || scaled;
              },
              call,
            ),
          );
        }
      }

      await applyExperiments(desired, sets, revisions, call);
      await trimHistory(desired, revisions, call);
      applied = structuredClone(desired);
    },
  };

  async function applyExperiments(
    desired: WorkloadState,
    sets: V1ReplicaSet[],
    revisions: Map<string, V1ReplicaSet>,
    call: CallOptions,
  ): Promise<void> {
    const existing = sets.filter((set) => annotation(set, experimentNameAnnotation));
    const keep = new Set<string>();
    if (desired.experiments.length > 0) {
      const canarySet = revisions.get(spec.revision);
      const stepIndex = experimentStepIndex(spec, desired.experiments, options.currentStepIndex?.());
      const name = experimentName({
        rollout: spec.name,
        canaryHash: spec.revision,
        revision: canarySet ? revisionNumberOf(canarySet) : 1,
        stepIndex,
      });
      for (const target of desired.experiments) {
        const setName = `${name}-${target.name}`;
        keep.add(setName);
        const found = existing.find((set) => set.metadata?.name === setName);
        if (found) {
          await update(found, (copy) => setReplicas(copy, target.replicas), call);
          continue;
        }
        if (target.replicas === 0) continue;
        const template = experimentTemplateOf(spec, stepIndex, target.name);
        const base = templateOfRevision(target.revision, revisions);
        await create(experimentReplicaSet({ spec, namespace, owner, experiment: name, target, template, base, setName }), call);
      }
    }
    // Experiments of other steps: scaled to 0, then deleted (Argo deletes them with their Experiment).
    for (const set of existing) {
      if (keep.has(set.metadata?.name as string)) continue;
      if ((set.spec?.replicas ?? 0) > 0) await update(set, (copy) => setReplicas(copy, 0), call);
      else if (availableOf(set) === 0 && (set.status?.replicas ?? 0) === 0) await removeIfThere(set, call);
    }
  }

  /** The pod template of a revision: the canary's from the spec, any other from its ReplicaSet. */
  function templateOfRevision(revision: string, revisions: Map<string, V1ReplicaSet>): JsonObject {
    if (revision === spec.revision) return spec.template;
    const set = revisions.get(revision);
    if (!set?.spec?.template) {
      throw new MissingReplicaSetError(
        `revision ${revision} of rollout "${spec.name}" in namespace "${namespace}" has no ReplicaSet to take an experiment's template from`,
        { revision },
      );
    }
    return withoutHash(JSON.parse(JSON.stringify(set.spec.template)) as JsonObject);
  }

  // Argo's revisionHistoryLimit: old ReplicaSets at 0 (and settled) beyond the limit go, oldest first.
  async function trimHistory(desired: WorkloadState, revisions: Map<string, V1ReplicaSet>, call: CallOptions) {
    const limit = spec.revisionHistoryLimit ?? defaultHistoryLimit;
    const protectedRevisions = new Set([desired.stable?.revision, desired.canary?.revision, spec.revision]);
    const old = [...revisions.entries()]
      .filter(([revision, set]) => !protectedRevisions.has(revision) && (set.spec?.replicas ?? 0) === 0)
      .filter(([, set]) => (set.status?.observedGeneration ?? 0) >= (set.metadata?.generation ?? 0))
      .sort(([, a], [, b]) => revisionNumberOf(a) - revisionNumberOf(b));
    for (const [revision, set] of old.slice(0, Math.max(0, old.length - limit))) {
      await removeIfThere(set, call);
      revisions.delete(revision);
    }
  }

  async function removeIfThere(set: V1ReplicaSet, call: CallOptions) {
    try {
      await remove(set.metadata?.name as string, call);
    } catch (error) {
      if (!KubernetesApiError.isNotFound(error)) throw error;
    }
  }
}

/** The ReplicaSet of one revision, as Argo writes it (rollout/replicaset.go newReplicaSet). */
function revisionReplicaSet(input: {
  spec: RolloutSpec;
  namespace: string;
  owner: WorkloadOwner;
  hash: string;
  replicas: number;
  revision: number;
}): V1ReplicaSet {
  const { spec, hash } = input;
  const template = withHash(spec.template, hash);
  const labels = { ...((template.metadata as JsonObject | undefined)?.labels as Record<string, string> | undefined) };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: replicaSetName(spec.name, hash),
      namespace: input.namespace,
      labels: { ...labels, [podTemplateHashLabel]: hash },
      annotations: { [revisionAnnotation]: String(input.revision) },
      ownerReferences: [ownerReference(input.owner)],
    },
    spec: {
      replicas: input.replicas,
      ...(spec.minReadySeconds ? { minReadySeconds: spec.minReadySeconds } : {}),
      selector: selectorWith(spec.selector, { [podTemplateHashLabel]: hash }),
      template: template as NonNullable<V1ReplicaSet['spec']>['template'],
    },
  };
}

/**
 * The ReplicaSet of one experiment template (experiments/replicaset.go newReplicaSetFromTemplate): the
 * revision's pod template plus the template's metadata, its own pod hash, annotated with the experiment and
 * template names.
 */
function experimentReplicaSet(input: {
  spec: RolloutSpec;
  namespace: string;
  owner: WorkloadOwner;
  experiment: string;
  target: ReplicaTarget & { name: string };
  template: RolloutExperimentTemplate | undefined;
  base: JsonObject;
  setName: string;
}): V1ReplicaSet {
  const { template, base } = input;
  const metadata = (base.metadata ?? {}) as JsonObject;
  const extraLabels = template?.metadata?.labels ?? {};
  const podTemplate: JsonObject = {
    ...base,
    metadata: {
      ...metadata,
      labels: { ...((metadata.labels ?? {}) as Record<string, string>), ...extraLabels },
      ...(template?.metadata?.annotations
        ? { annotations: { ...((metadata.annotations ?? {}) as Record<string, string>), ...template.metadata.annotations } }
        : {}),
    },
  };
  const hash = podHash(podTemplate);
  const withPodHash = withHash(podTemplate, hash);
  const selector = selectorWith((template?.selector ?? input.spec.selector) as JsonObject | undefined, {
    ...extraLabels,
    [podTemplateHashLabel]: hash,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: input.setName,
      namespace: input.namespace,
      labels: { ...((withPodHash.metadata as JsonObject).labels as Record<string, string>), [podTemplateHashLabel]: hash },
      annotations: { [experimentNameAnnotation]: input.experiment, [experimentTemplateNameAnnotation]: input.target.name },
      ownerReferences: [ownerReference(input.owner)],
    },
    spec: {
      replicas: input.target.replicas,
      selector: selector as NonNullable<V1ReplicaSet['spec']>['selector'],
      template: withPodHash as NonNullable<V1ReplicaSet['spec']>['template'],
    },
  };
}

/** Makes `owner` the controller of an orphaned ReplicaSet; true when that changed it. */
function adopt(set: V1ReplicaSet, owner: WorkloadOwner): boolean {
  const references = set.metadata?.ownerReferences ?? [];
  if (references.some((ref) => ref.controller === true)) return false;
  set.metadata = { ...set.metadata, ownerReferences: [...references, ownerReference(owner)] };
  return true;
}

function ownerReference(owner: WorkloadOwner) {
  return {
    apiVersion: owner.apiVersion ?? 'argoproj.io/v1alpha1',
    kind: owner.kind ?? 'Rollout',
    name: owner.name,
    uid: owner.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** Which experiment step the experiments belong to: the hint if it is one, else the step with those templates. */
function experimentStepIndex(spec: RolloutSpec, experiments: { name: string }[], hint: number | undefined): number {
  const steps = spec.strategy.canary?.steps ?? [];
  const names = experiments
    .map((e) => e.name)
    .sort()
    .join('\n');
  const matches = (index: number) => {
    const step = steps[index];
    return (
      step !== undefined &&
      'experiment' in step &&
      step.experiment.templates
        .map((t) => t.name)
        .sort()
        .join('\n') === names
    );
  };
  if (hint !== undefined && matches(hint)) return hint;
  const found = steps.findIndex((_, index) => matches(index));
  return found < 0 ? (hint ?? 0) : found;
}

function experimentTemplateOf(spec: RolloutSpec, stepIndex: number, name: string): RolloutExperimentTemplate | undefined {
  const step = spec.strategy.canary?.steps[stepIndex];
  return step && 'experiment' in step ? step.experiment.templates.find((t) => t.name === name) : undefined;
}

function scaleDownDelaySeconds(spec: RolloutSpec): number {
  return spec.strategy.blueGreen?.scaleDownDelaySeconds ?? spec.strategy.canary?.scaleDownDelaySeconds ?? 30;
}

/** The revision ReplicaSets (not experiments) by pod-template hash. */
function revisionSets(sets: V1ReplicaSet[]): Map<string, V1ReplicaSet> {
  const byHash = new Map<string, V1ReplicaSet>();
  for (const set of sets) {
    const hash = hashOf(set);
    if (hash && !annotation(set, experimentNameAnnotation)) byHash.set(hash, set);
  }
  return byHash;
}

/** Available pods, 0 while the status does not yet describe the current spec (observedGeneration behind). */
function availableOf(set: V1ReplicaSet): number {
  if ((set.status?.observedGeneration ?? 0) < (set.metadata?.generation ?? 0)) return 0;
  return set.status?.availableReplicas ?? 0;
}

function hashOf(set: V1ReplicaSet): string | undefined {
  return set.metadata?.labels?.[podTemplateHashLabel];
}

function templateNameOf(set: V1ReplicaSet): string {
  return annotation(set, experimentTemplateNameAnnotation) ?? '';
}

function revisionNumberOf(set: V1ReplicaSet): number {
  const value = Number(annotation(set, revisionAnnotation));
  return Number.isFinite(value) ? value : 0;
}

function annotation(set: V1ReplicaSet, key: string): string | undefined {
  return set.metadata?.annotations?.[key];
}

function setReplicas(set: V1ReplicaSet, replicas: number): boolean {
  if (!set.spec || set.spec.replicas === replicas) return false;
  set.spec.replicas = replicas;
  return true;
}

function setAnnotation(set: V1ReplicaSet, key: string, value: string | undefined): boolean {
  const metadata = set.metadata ?? {};
  set.metadata = metadata;
  const current = metadata.annotations?.[key];
  if (current === value) return false;
  if (value === undefined) {
    const { [key]: _gone, ...rest } = metadata.annotations ?? {};
    metadata.annotations = rest;
  } else metadata.annotations = { ...metadata.annotations, [key]: value };
  return true;
}

function withHash(template: JsonObject, hash: string): JsonObject {
  const metadata = (template.metadata ?? {}) as JsonObject;
  return {
    ...structuredClone(template),
    metadata: {
      ...structuredClone(metadata),
      labels: { ...((metadata.labels ?? {}) as JsonObject), [podTemplateHashLabel]: hash },
    },
  };
}

function withoutHash(template: JsonObject): JsonObject {
  const copy = structuredClone(template);
  const labels = (copy.metadata as JsonObject | undefined)?.labels as Record<string, string> | undefined;
  if (labels) delete labels[podTemplateHashLabel];
  return copy;
}

function selectorWith(selector: JsonObject | undefined, labels: Record<string, string>) {
  const base = structuredClone(selector ?? {}) as {
    matchLabels?: Record<string, string> | undefined;
    matchExpressions?: unknown[] | undefined;
  };
  return { ...base, matchLabels: { ...base.matchLabels, ...labels } } as NonNullable<V1ReplicaSet['spec']>['selector'];
}

// An experiment's own pod hash (Argo hashes the modified template too): the Kubernetes safe alphabet, 10 letters.
function podHash(template: JsonObject): string {
  const digest = createHash('sha256').update(canonicalJson(template)).digest();
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let out = '';
  for (let i = 0; i < 10; i++) out += alphabet[(digest[i] as number) % alphabet.length];
  return out;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// Argo writes RFC 3339 in UTC without fractions (time.RFC3339).
function rfc3339(at: number): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
