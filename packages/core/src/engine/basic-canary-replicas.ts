// Replica arithmetic of a canary without trafficRouting, as Argo Rollouts' CalculateReplicaCountsForBasicCanary
// (utils/replicaset/canary.go): the weight is carried by the ratio of pods, so both versions are scaled towards the
// closest whole-number split, moving at most maxSurge above and maxUnavailable below spec.replicas per reconcile.

/** One ReplicaSet as it is: its `spec.replicas` and its available pods. */
export interface ReplicaSetCounts {
  replicas: number;
  availableReplicas: number;
}

/** Inputs of {@link basicCanaryReplicas}. */
export interface BasicCanaryReplicasInput {
  /** `spec.replicas` of the rollout. */
  replicas: number;
  /** The canary weight wanted now (0 while aborted, 100 after the last step or on promote --full). */
  weight: number;
  /** Argo's maxTrafficWeight; default 100. */
  maxWeight?: number | undefined;
  /** `strategy.canary.maxSurge`: a count or `"N%"` of `replicas` (rounded up). */
  maxSurge: number | string;
  /** `strategy.canary.maxUnavailable`: a count or `"N%"` of `replicas` (rounded down). */
  maxUnavailable: number | string;
  /** The canary ReplicaSet as it is; absent (or zeros) when it has no replicas yet. */
  canary?: ReplicaSetCounts | undefined;
  /** The stable ReplicaSet as it is; absent when there is none or it is the canary itself. */
  stable?: ReplicaSetCounts | undefined;
  /** Any other ReplicaSet of the rollout that still has replicas; they are scaled down first. */
  older?: readonly ReplicaSetCounts[] | undefined;
}

/** Replicas to ask of the canary and the stable ReplicaSet in this reconcile. */
export interface BasicCanaryReplicas {
  canary: number;
  stable: number;
}

/**
 * The next replica counts of a basic canary (Argo's CalculateReplicaCountsForBasicCanary): the desired split
 * of {@link weightedReplicaSplit}, reached step by step within maxSurge/maxUnavailable from the counts as they
 * are. Called again with the new counts it moves on; at the desired split it returns the counts unchanged.
 */
export function basicCanaryReplicas(input: BasicCanaryReplicasInput): BasicCanaryReplicas {
  const total = input.replicas;
  const maxWeight = input.maxWeight ?? 100;
  const { surge, unavailable } = resolveSurgeAndUnavailable(input.maxSurge, input.maxUnavailable, total);
  const canaryRs = input.canary ?? { replicas: 0, availableReplicas: 0 };
  const stableRs = input.stable;
  const older = input.older ?? [];

  let { canary: desiredCanary, stable: desiredStable } = weightedReplicaSplit({
    replicas: total,
    weight: input.weight,
    maxWeight,
    maxSurge: surge,
  });
  // Without a separate stable the rollout does not follow the steps: the canary goes to spec.replicas.
  if (!stableRs) {
    desiredCanary = total;
    desiredStable = 0;
  }
  let canary = canaryRs.replicas;
  let stable = stableRs?.replicas ?? 0;
  const maxAllowed = total + surge;
  const current = sum(older) + canaryRs.replicas + (stableRs?.replicas ?? 0);
  let scaleUp = maxAllowed - current;

  if (stableRs && stableRs.replicas < desiredStable && scaleUp > 0) {
    if (stableRs.replicas + scaleUp < desiredStable) {
      stable = stableRs.replicas + scaleUp;
      scaleUp = 0;
    } else {
      stable = desiredStable;
      scaleUp -= desiredStable - stableRs.replicas;
    }
  }
  if (canaryRs.replicas < desiredCanary && scaleUp > 0) {
    canary = Math.min(canaryRs.replicas + scaleUp, desiredCanary);
  }
  // Older ReplicaSets go first, before either of the two is scaled down.
  if (sum(older) > 0) return { canary, stable };

  const minAvailable = total - unavailable;
  // Growing the canary may ignore the stable's availability; shrinking it (an abort) ignores the canary's.
  const increasing = desiredCanary >= canaryRs.replicas;
  const scalable = forScaleDown(canaryRs, !increasing) + (stableRs ? forScaleDown(stableRs, increasing) : 0);
  if (scalable <= minAvailable) return { canary, stable };
  const scaleDown = scalable - minAvailable;
  if (!increasing) {
    canary = drained(canaryRs, desiredCanary, scaleDown, canary);
    const adjusted = withinLimits({
      drain: canaryRs,
      drainCount: canary,
      adjust: stableRs,
      adjustCount: stable,
      maxAllowed,
      minAvailable,
    });
    return { canary: adjusted.drain, stable: adjusted.adjust };
  }
  if (stableRs) {
    stable = drained(stableRs, desiredStable, scaleDown, stable);
    const adjusted = withinLimits({
      drain: stableRs,
      drainCount: stable,
      adjust: canaryRs,
      adjustCount: canary,
      maxAllowed,
      minAvailable,
    });
    return { canary: adjusted.adjust, stable: adjusted.drain };
  }
  return { canary, stable };
}

/** Inputs of {@link weightedReplicaSplit}. */
export interface WeightedReplicaSplitInput {
  replicas: number;
  weight: number;
  maxWeight?: number | undefined;
  /** maxSurge resolved to a count; above 0, spec.replicas + 1 pods may be used to come closer to the weight. */
  maxSurge: number;
}

/**
 * The canary/stable split closest to `weight` (Argo's approximateWeightedCanaryStableReplicaCounts): ties go
 * to the larger canary; with 2+ pods (surge included) a weight strictly between 0 and max keeps at least one
 * pod of each; a surge allows spec.replicas + 1 pods in all.
 */
export function weightedReplicaSplit(input: WeightedReplicaSplitInput): BasicCanaryReplicas {
  const { replicas, weight, maxSurge } = input;
  const maxWeight = input.maxWeight ?? 100;
  if (replicas === 0) return { canary: 0, stable: 0 };
  const ceil = Math.ceil((replicas * weight) / maxWeight);
  const floor = Math.floor((replicas * weight) / maxWeight);
  const zeroAllowed = weight === maxWeight || weight === 0 || (replicas === 1 && maxSurge === 0);
  const options: { canary: number; total: number }[] = [];
  if (ceil < replicas || zeroAllowed) options.push({ canary: ceil, total: replicas });
  if (!tied(weight, maxWeight, replicas) && (floor !== 0 || zeroAllowed)) options.push({ canary: floor, total: replicas });
  if (maxSurge > 0) {
    options.push({ canary: ceil, total: replicas + 1 });
    if (!tied(weight, maxWeight, replicas + 1) && (floor !== 0 || zeroAllowed))
      options.push({ canary: floor, total: replicas + 1 });
  }
  let best = options[0];
  if (!best) return { canary: 0, stable: replicas };
  let bestDelta = delta(weight, maxWeight, best);
  for (const option of options.slice(1)) {
    const d = delta(weight, maxWeight, option);
    if (d < bestDelta) {
      best = option;
      bestDelta = d;
    }
  }
  return { canary: best.canary, stable: best.total - best.canary };
}

/**
 * maxSurge and maxUnavailable as pod counts for `replicas` (Argo's resolveFenceposts): a percentage of surge
 * rounds up, of unavailable down; both 0 makes unavailable 1; unavailable never exceeds `replicas`.
 */
export function resolveSurgeAndUnavailable(
  maxSurge: number | string,
  maxUnavailable: number | string,
  replicas: number,
): { surge: number; unavailable: number } {
  if (replicas === 0) return { surge: countOf(maxSurge, 0, true), unavailable: 0 };
  const surge = countOf(maxSurge, replicas, true);
  let unavailable = countOf(maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

function countOf(value: number | string, replicas: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  if (!value.endsWith('%')) return Number(value);
  const exact = (Number(value.slice(0, -1)) * replicas) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

// Ceiling and floor equally far from the weight (3 pods at 50%): Argo then takes the larger canary.
function tied(weight: number, maxWeight: number, total: number): boolean {
  const exact = total * (weight / maxWeight);
  return exact - Math.trunc(exact) === 0.5;
}

function delta(weight: number, maxWeight: number, option: { canary: number; total: number }): number {
  return Math.abs((option.canary * maxWeight) / option.total - weight);
}

function sum(sets: readonly ReplicaSetCounts[]): number {
  return sets.reduce((total, set) => total + set.replicas, 0);
}

// Replicas that can count as gone in a scale-down: spec.replicas when it is already below the available pods
// (those extra pods are going anyway) or when availability is ignored, else the available pods.
function forScaleDown(set: ReplicaSetCounts, ignoreAvailability: boolean): number {
  if (set.replicas < set.availableReplicas || ignoreAvailability) return set.replicas;
  return set.availableReplicas;
}

function drained(set: ReplicaSetCounts, desired: number, scaleDown: number, count: number): number {
  return set.replicas > desired ? Math.max(desired, set.replicas - scaleDown) : count;
}

// Keeps the two counts within maxSurge without dropping below the available minimum (Argo's adjustReplicaWithinLimits).
function withinLimits(input: {
  drain: ReplicaSetCounts;
  drainCount: number;
  adjust: ReplicaSetCounts | undefined;
  adjustCount: number;
  maxAllowed: number;
  minAvailable: number;
}): { drain: number; adjust: number } {
  let { drainCount, adjustCount } = input;
  const { drain, adjust, maxAllowed, minAvailable } = input;
  if (!adjust) return { drain: drainCount, adjust: adjustCount };
  const over = Math.max(0, adjustCount + drainCount - maxAllowed);
  adjustCount -= over;
  const available = Math.min(drain.availableReplicas, drainCount) + Math.min(adjust.availableReplicas, adjustCount);
  const extra = Math.max(0, adjust.availableReplicas - adjustCount);
  const needed = Math.max(0, minAvailable - available);
  adjustCount += Math.min(extra, needed);
  drainCount -= Math.max(0, adjustCount + drainCount - maxAllowed);
  return { drain: drainCount, adjust: adjustCount };
}
