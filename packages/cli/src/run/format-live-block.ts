import type { RolloutSpec, RolloutStatus } from '@gradual/core';
import { formatDuration } from '../simulate/format-duration.js';

/**
 * The few lines a terminal shows under the event log while a rollout runs:
 * name and phase, step, a bar of the canary weight, the analysis runs, and
 * the time since the run started.
 */
export function formatLiveBlock(input: {
  spec: RolloutSpec;
  status: RolloutStatus | undefined;
  elapsedMs: number;
  width?: number | undefined;
}): string {
  const { spec, status } = input;
  const steps = spec.strategy.canary?.steps.length ?? 0;
  const weight = status?.traffic?.canaryWeight ?? 0;
  const barWidth = Math.max(10, Math.min(40, (input.width ?? 80) - 40));
  const filled = Math.round((barWidth * weight) / 100);
  const analysis = (status?.analysisRuns ?? []).map((run) => `${run.analysisName ?? run.kind}: ${run.state.phase}`).join(', ');
  return [
    `rollout ${spec.name}  ${status?.phase ?? 'Starting'}  ${formatDuration(input.elapsedMs)}`,
    `  step    ${status ? Math.min(status.currentStepIndex + 1, steps) : 0}/${steps}`,
    `  canary  ${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)} ${weight}%`,
    `  analysis ${analysis || '-'}`,
  ].join('\n');
}
