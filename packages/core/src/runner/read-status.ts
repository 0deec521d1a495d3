import type { RolloutStatus } from '../engine/rollout-status.js';
import { ValidationError } from '../errors/validation-error.js';

/**
 * Checks that a persisted status has the shape the engine wrote, so a
 * corrupted or foreign object fails loudly instead of restarting a rollout.
 */
export function readStatus(value: unknown): RolloutStatus {
  const status = value as Partial<RolloutStatus> | null;
  const issues: { path: string; message: string }[] = [];
  if (!status || typeof status !== 'object')
    throw new ValidationError('rollout status', [{ path: 'status', message: 'must be an object' }]);
  const expect = (field: keyof RolloutStatus, type: string) => {
    const actual = Array.isArray(status[field]) ? 'array' : status[field] === null ? 'null' : typeof status[field];
    if (!type.split('|').includes(actual))
      issues.push({ path: `status.${field}`, message: `must be ${type.replace('|', ' or ')}, got ${actual}` });
  };
  expect('currentRevision', 'string');
  expect('stableRevision', 'string|null');
  expect('currentStepIndex', 'number');
  expect('currentStepHash', 'string');
  expect('attempt', 'number');
  expect('abort', 'boolean');
  expect('pauseConditions', 'array');
  expect('analysisRuns', 'array');
  expect('traffic', 'object|null');
  if (issues.length > 0) throw new ValidationError('rollout status', issues);
  return status as RolloutStatus;
}
