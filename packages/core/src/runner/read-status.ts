import { migrateStatus } from '../engine/migrate-status.js';
import type { RolloutStatus } from '../engine/rollout-status.js';
import { ValidationError } from '../errors/validation-error.js';

/**
 * Reads a persisted status: migrates an older format (0.1.0) to the current
 * one, refuses a newer one, and checks that it has the shape the engine
 * writes, so a corrupted or foreign object fails loudly instead of
 * restarting a rollout.
 */
export function readStatus(value: unknown): RolloutStatus {
  const status: Partial<RolloutStatus> = migrateStatus(value);
  const issues: { path: string; message: string }[] = [];
  const expect = (field: keyof RolloutStatus, type: 'string' | 'number' | 'boolean' | 'array', nullable = false) => {
    const value = status[field];
    if (nullable && value === null) return;
    if (type === 'array' ? Array.isArray(value) : typeof value === type) return;
    const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    issues.push({ path: `status.${field}`, message: `must be ${nullable ? `${type} or null` : type}, got ${actual}` });
  };
  expect('currentRevision', 'string');
  expect('stableRevision', 'string', true);
  expect('currentStepIndex', 'number');
  expect('currentStepHash', 'string');
  expect('attempt', 'number');
  expect('abort', 'boolean');
  expect('startedAt', 'number');
  expect('pauseConditions', 'array');
  expect('analysisRuns', 'array');
  if (status.traffic !== null && (typeof status.traffic !== 'object' || Array.isArray(status.traffic))) {
    issues.push({ path: 'status.traffic', message: 'must be an object or null' });
  }
  if (issues.length > 0) throw new ValidationError('rollout status', issues);
  return status as RolloutStatus;
}
