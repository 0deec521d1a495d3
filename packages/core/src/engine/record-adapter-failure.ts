import { retryDelayMs } from './retry-delay.js';
import { type RolloutEvent, rolloutEvent } from './rollout-event.js';
import type { AdapterError, RolloutStatus } from './rollout-status.js';
import { statusWith } from './status-with.js';

/** Why an adapter call failed; `retryable` false means the same call cannot succeed later (default true). */
export interface AdapterFailure {
  message: string;
  code?: string | undefined;
  retryable?: boolean | undefined;
}

/** The status fields that keep an adapter's last failure. */
export type AdapterErrorField = 'trafficError' | 'workloadError' | 'analysisError';

/**
 * Records one more failure of an adapter call. The rollout stays where it
 * is: a retryable failure is tried again after a capped backoff on the
 * clock, a non-retryable one never (the plan makes the rollout Degraded, or
 * aborts it). `call` names the call, so only that one is blocked. Pure.
 */
export function recordAdapterFailure(input: {
  status: RolloutStatus;
  field: AdapterErrorField;
  reason: string;
  failure: AdapterFailure;
  call: string;
  now: number;
}): { status: RolloutStatus; events: RolloutEvent[] } {
  const { status, field, failure, now } = input;
  const previous = status[field];
  const attempts = (previous?.attempts ?? 0) + 1;
  const retryable = failure.retryable !== false;
  const retryAt = now + retryDelayMs(attempts);
  const next = retryable ? `retrying in ${(retryAt - now) / 1000}s` : 'not retryable; not retried';
  const recorded: AdapterError = {
    message: failure.message,
    ...(failure.code ? { code: failure.code } : {}),
    attempts,
    retryable,
    since: previous?.since ?? now,
    retryAt,
    call: input.call,
    ...(previous?.deadlineExceeded ? { deadlineExceeded: true } : {}),
  };
  return {
    status: statusWith(status, { [field]: recorded }),
    events: [
      rolloutEvent({ reason: input.reason, type: 'Warning', message: `${failure.message} (attempt ${attempts}; ${next})`, now }),
    ],
  };
}
