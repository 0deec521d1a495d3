import type { CanaryStep } from '../spec/rollout-types.js';

/** A step as Argo prints it in "Rollout step i/n completed (…)". */
export function describeStep(step: CanaryStep): string {
  if ('setWeight' in step) return `setWeight: ${step.setWeight}`;
  if ('pause' in step) return step.pause.duration === undefined ? 'pause' : `pause: ${step.pause.duration}`;
  if ('analysis' in step) return 'analysis';
  if ('experiment' in step) return 'experiment';
  if ('setHeaderRoute' in step) return `setHeaderRoute: ${step.setHeaderRoute.name}`;
  if ('setMirrorRoute' in step) return `setMirrorRoute: ${step.setMirrorRoute.name}`;
  const scale = step.setCanaryScale;
  if (scale.replicas !== undefined) return `setCanaryScale{replicas: ${scale.replicas}}`;
  if (scale.weight !== undefined) return `setCanaryScale{weight: ${scale.weight}}`;
  return 'setCanaryScale{matchTrafficWeight: true}';
}
