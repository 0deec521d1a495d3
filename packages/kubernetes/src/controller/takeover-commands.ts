import type { RolloutCommand } from '@gradual/core';
import type { RolloutObject } from './rollout-object.js';

/**
 * What a Rollout that Argo Rollouts (or anyone) left without gradual's status says must hold when gradual
 * takes it over: an aborted update stays aborted (the new revision must not take production because its
 * abort lived only in Argo's fields), and a paused one stays paused until someone promotes it.
 */
export function takeoverCommands(object: RolloutObject): RolloutCommand[] {
  const status = object.status ?? {};
  if (status.abort === true) return [{ type: 'abort', reason: 'aborted before gradual took the rollout over' }];
  const paused = status.controllerPause === true || (Array.isArray(status.pauseConditions) && status.pauseConditions.length > 0);
  return paused ? [{ type: 'pause' }] : [];
}
