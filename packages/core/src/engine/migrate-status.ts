import { ValidationError, type ValidationIssue } from '../errors/validation-error.js';
import { retryDelayMs } from './retry-delay.js';
import { type RolloutStatus, statusVersion } from './rollout-status.js';

type Json = Record<string, unknown>;

/**
 * Reads a persisted status of any format this version knows and returns it
 * in the current one. 0.1.0 wrote no `version`, ISO 8601 times and adapter
 * errors without `retryable`; its "resumed by a human" was `controllerPause`
 * with no pause condition left. A status from a newer gradual is refused,
 * never guessed at. Pure; the input is not modified.
 */
export function migrateStatus(value: unknown): RolloutStatus {
  if (!isObject(value)) throw new ValidationError('rollout status', [{ path: 'status', message: 'must be an object' }]);
  const version = value.version;
  if (version === statusVersion) return value as unknown as RolloutStatus;
  if (version !== undefined) {
    const newer = typeof version === 'number' && Number.isInteger(version) && version > statusVersion;
    throw new ValidationError('rollout status', [
      {
        path: 'status.version',
        message: newer
          ? `format ${version} was written by a newer gradual; this @gradual/core reads formats up to ${statusVersion}: upgrade it`
          : `must be ${statusVersion}, or absent (a status of 0.1.0), got ${JSON.stringify(version)}`,
      },
    ]);
  }
  return fromVersion1(value);
}

/** 0.1.0 → 2. */
function fromVersion1(old: Json): RolloutStatus {
  const issues: ValidationIssue[] = [];
  const time = (path: string, iso: unknown): number | undefined => {
    if (iso === undefined) return undefined;
    const ms = typeof iso === 'string' ? Date.parse(iso) : Number.NaN;
    if (Number.isNaN(ms))
      issues.push({ path, message: `must be an ISO 8601 time (a status of 0.1.0), got ${JSON.stringify(iso)}` });
    return ms;
  };
  const optional = (key: string, ms: number | undefined): Json => (ms === undefined ? {} : { [key]: ms });
  const status: Json = { ...old, version: statusVersion };
  Object.assign(status, optional('startedAt', time('status.startedAt', old.startedAt)));
  for (const key of ['abortedAt', 'completedAt', 'waitingSince'] as const) {
    if (old[key] !== undefined) status[key] = time(`status.${key}`, old[key]);
  }
  if (Array.isArray(old.pauseConditions)) {
    status.pauseConditions = old.pauseConditions.map((condition: Json, i) => ({
      ...condition,
      startTime: time(`status.pauseConditions[${i}].startTime`, condition.startTime),
    }));
    // 0.1.0 said "a human resumed" by clearing the conditions while controllerPause stayed set.
    if (old.controllerPause === true && old.pauseConditions.length === 0) status.resumeRequested = true;
  }
  if (Array.isArray(old.analysisRuns)) {
    status.analysisRuns = old.analysisRuns.map((run: Json, i) => ({
      ...run,
      ...optional('checkedAt', time(`status.analysisRuns[${i}].checkedAt`, run.checkedAt)),
    }));
  }
  if (isObject(old.experiment)) {
    status.experiment = {
      ...old.experiment,
      ...optional('availableAt', time('status.experiment.availableAt', old.experiment.availableAt)),
      ...optional('finishedAt', time('status.experiment.finishedAt', old.experiment.finishedAt)),
    };
  }
  if (isObject(old.blueGreen)) {
    status.blueGreen = {
      ...old.blueGreen,
      ...optional('promotedAt', time('status.blueGreen.promotedAt', old.blueGreen.promotedAt)),
    };
  }
  if (isObject(old.scaleDown)) status.scaleDown = { ...old.scaleDown, at: time('status.scaleDown.at', old.scaleDown.at) };
  for (const key of ['trafficError', 'workloadError', 'analysisError'] as const) {
    const error = old[key];
    if (!isObject(error)) continue;
    const attempts = typeof error.attempts === 'number' ? error.attempts : 1;
    const retryAt = typeof error.retryAt === 'number' ? error.retryAt : 0;
    // 0.1.0 retried every failure; the last one happened one backoff before retryAt.
    status[key] = { ...error, attempts, retryable: true, since: retryAt - retryDelayMs(attempts), retryAt, call: '' };
  }
  if (issues.length > 0) throw new ValidationError('rollout status (0.1.0)', issues);
  return status as unknown as RolloutStatus;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
