import type { RolloutObject } from './rollout-object.js';

const icons: Record<string, string> = {
  Progressing: '◌',
  Error: '⚠',
  InvalidSpec: '⚠',
  Paused: '॥',
  Healthy: '✔',
  Degraded: '✖',
  Unknown: '?',
  ScaledDown: '•',
};

/**
 * What `kubectl argo rollouts get rollout` prints above its tree, read from
 * the Rollout's spec and Argo's status fields as the plugin reads them
 * (info/rollout_info.go): phase and message (Progressing while the
 * controller has not observed the spec or is unpausing), step as
 * `index/steps`, the step's set weight and the weight the router reports,
 * images, replica counts. Lines are `%-17s%v` as the plugin's.
 */
export function rolloutSummary(rollout: RolloutObject): string {
  const status = rollout.status ?? {};
  const canary = rollout.spec?.strategy?.canary;
  const steps = canary?.steps ?? [];
  const { phase, message } = phaseOf(rollout);
  const rows: [string, string | number][] = [
    ['Name:', rollout.metadata?.name ?? ''],
    ['Namespace:', rollout.metadata?.namespace ?? ''],
    ['Status:', `${icons[phase] ?? ' '} ${phase}`],
  ];
  if (message) rows.push(['Message:', message]);
  rows.push(['Strategy:', canary ? 'Canary' : rollout.spec?.strategy?.blueGreen ? 'BlueGreen' : '']);
  if (canary) {
    rows.push([
      '  Step:',
      status.currentStepIndex !== undefined && steps.length > 0 ? `${status.currentStepIndex}/${steps.length}` : '',
    ]);
    const setWeight = setWeightOf(rollout);
    rows.push(['  SetWeight:', setWeight]);
    rows.push(['  ActualWeight:', actualWeightOf(rollout, setWeight)]);
  }
  const images = (rollout.spec?.template?.spec?.containers ?? []).flatMap((c) => (c.image ? [c.image] : []));
  images.forEach((image, i) => {
    rows.push([i === 0 ? 'Images:' : '', image]);
  });
  const lines = rows.map(([label, value]) => `${label.padEnd(17)}${value}`);
  lines.push('Replicas:');
  for (const [label, value] of [
    ['  Desired:', rollout.spec?.replicas ?? 1],
    ['  Current:', status.replicas ?? 0],
    ['  Updated:', status.updatedReplicas ?? 0],
    ['  Ready:', status.readyReplicas ?? 0],
    ['  Available:', status.availableReplicas ?? 0],
  ] as const)
    lines.push(`${label.padEnd(17)}${value}`);
  return `${lines.join('\n')}\n`;
}

function phaseOf(rollout: RolloutObject): { phase: string; message: string } {
  const status = rollout.status ?? {};
  const observed = Number(status.observedGeneration);
  const generation = rollout.metadata?.generation ?? 0;
  if (Number.isInteger(observed) && status.observedGeneration !== undefined && observed < generation) {
    return { phase: 'Progressing', message: 'waiting for rollout spec update to be observed' };
  }
  const pauseConditions = Array.isArray(status.pauseConditions) ? status.pauseConditions.length : 0;
  if (status.controllerPause === true && pauseConditions === 0)
    return { phase: 'Progressing', message: 'waiting for rollout to unpause' };
  return { phase: status.phase || 'Progressing', message: status.message ?? '' };
}

function maxWeight(rollout: RolloutObject): number {
  return rollout.spec?.strategy?.canary?.trafficRouting?.maxTrafficWeight ?? 100;
}

// Argo's GetCurrentSetWeight: 0 when aborted, the max at the end of the steps, else the last setWeight so far.
function setWeightOf(rollout: RolloutObject): number {
  if (rollout.status?.abort === true) return 0;
  const steps = rollout.spec?.strategy?.canary?.steps ?? [];
  const index = rollout.status?.currentStepIndex ?? 0;
  if (steps.length === 0 || index >= steps.length) return maxWeight(rollout);
  for (let i = index; i >= 0; i--) {
    const weight = steps[i]?.setWeight;
    if (weight !== undefined) return weight;
  }
  return 0;
}

function actualWeightOf(rollout: RolloutObject, setWeight: number): number {
  const steps = rollout.spec?.strategy?.canary?.steps ?? [];
  const index = rollout.status?.currentStepIndex ?? 0;
  if (steps.length === 0 || index >= steps.length) return maxWeight(rollout);
  if ((rollout.status?.availableReplicas ?? 0) <= 0) return 0;
  return rollout.status?.canary?.weights?.canary.weight ?? setWeight;
}
