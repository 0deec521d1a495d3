import type { RolloutCommand } from '@gradual/core';
import { type ArgoCommandFields, argoCommandFields } from './argo-command-fields.js';
import type { RolloutStatusRead } from './rollout-status-from-object.js';
import { statusWriteStampOf } from './status-write-stamp.js';

/**
 * The commands `kubectl argo rollouts` wrote into a Rollout since gradual
 * last wrote it, as gradual `RolloutCommand`s, each once:
 *
 * | the plugin writes | command |
 * |---|---|
 * | `status.abort: true` | abort |
 * | `status.abort: false` (was true) | retry |
 * | `status.promoteFull: true` | promote full |
 * | `status.pauseConditions: null` (were set) | promote |
 * | `status.currentStepIndex` +1 (no pause cleared) | promote (skip a step) |
 * | `status.currentStepIndex` to the end (`--skip-all-steps`) | promote full |
 * | `spec.paused: true` | pause |
 * | `spec.paused: false` (was true, gradual paused by command) | promote (resume) |
 *
 * A field counts as a command when it differs from what gradual wrote
 * there: the projection of the last write when that projection landed (its
 * stamp says so), else what was on the Rollout before that write (a crash
 * between the annotation and the projection writes leaves that, and it is
 * no command). The next `write` acknowledges them: it records the fields
 * as they are now. One promote of the plugin can be two commands (e.g.
 * resume from `pause` and clear a step's pause), as it is two effects in
 * Argo. Pure.
 */
export function commandsFromRollout(read: RolloutStatusRead): RolloutCommand[] {
  const written = read.written;
  if (!written || !read.status) return [];
  const now = argoCommandFields(read.argoStatus);
  const landed = statusWriteStampOf(read.argoStatus) === written.write;
  const base: ArgoCommandFields = landed ? written.intended : written.previous;
  const commands: RolloutCommand[] = [];

  if (now.abort !== base.abort) commands.push(now.abort ? { type: 'abort' } : { type: 'retry' });

  const spec = (read.object.spec ?? {}) as {
    paused?: unknown;
    strategy?: { canary?: { steps?: unknown[] | undefined } | undefined } | undefined;
  };
  const paused = spec.paused === true;
  if (paused && !written.paused) commands.push({ type: 'pause' });
  // Argo's paused is a level; gradual's pause lasts until a promote: only a pause gradual holds is resumed.
  if (!paused && written.paused && read.status.pausedByCommand === true) commands.push({ type: 'promote' });

  const steps = spec.strategy?.canary?.steps?.length ?? 0;
  // The plugin counts an unset index as 0 (GetCurrentCanaryStep), and so does this.
  const skipped = now.currentStepIndex === null ? 0 : Math.max(0, now.currentStepIndex - (base.currentStepIndex ?? 0));
  if (now.promoteFull && !base.promoteFull) commands.push({ type: 'promote', full: true });
  else if (now.pauseConditions === 0 && base.pauseConditions > 0) commands.push({ type: 'promote' });
  else if (skipped > 1 && now.currentStepIndex === steps) commands.push({ type: 'promote', full: true });
  else if (skipped > 0) commands.push({ type: 'promote' });
  return commands;
}
