import type { AnalysisRunRequest } from '@gradual/core';
import { deepFreeze } from '@gradual/core/adapter';
import type { StartedRun } from './start-run.js';

/** The fields of a request that decide a run's set-up (its name and owner do not). */
export type SetupRequest = Pick<AnalysisRunRequest, 'templates' | 'args' | 'dryRun' | 'measurementRetention'>;

/**
 * Remembers each request's set-up (merge, args, checks, fingerprint) so that `validate`
 * and `start` of the same request, and every later run of the same step, set up once. The engine hands
 * the same frozen request object for an analysis each time, so identity finds most (only frozen
 * requests are remembered by identity: a caller may change its own object between calls); the
 * request's content finds the rest. A run's set-up depends only on the request, the runner's templates and its
 * providers, which never change for one runner, plus the start time, which each call puts in.
 * The remembered run is frozen: states share it, and the run engine only ever copies it.
 */
export function createStartedRunMemo(setup: (request: SetupRequest) => StartedRun, limit = 64) {
  const byRequest = new WeakMap<object, StartedRun>();
  const byContent = new Map<string, StartedRun>();
  const find = (request: SetupRequest): StartedRun => {
    const known = byRequest.get(request);
    if (known) return known;
    const key = JSON.stringify([request.templates, request.args, request.dryRun, request.measurementRetention]);
    let started = byContent.get(key);
    if (!started) {
      started = deepFreeze(setup(request));
      if (byContent.size >= limit) byContent.clear();
      byContent.set(key, started);
    }
    if (Object.isFrozen(request)) byRequest.set(request, started);
    return started;
  };
  /** The request's run as it starts at `now` (epoch ms). Throws what the set-up throws; failures are not kept. */
  return (request: SetupRequest, now: number): StartedRun => {
    const started = find(request);
    return { ...started, data: { ...started.data, startedAt: now } };
  };
}
