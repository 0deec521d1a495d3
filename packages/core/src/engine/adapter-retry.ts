import type { Intent } from './intent.js';
import { intentKey } from './intent-key.js';
import type { PlanContext } from './plan-context.js';
import type { AdapterError } from './rollout-status.js';

/**
 * Whether an intent may be carried out now, given the adapter's last
 * failure: a retryable failure waits for its backoff (the pass asks to be
 * woken then); a non-retryable one blocks exactly the call that failed, so a
 * different wish (e.g. traffic back to stable after an abort) is still tried.
 */
export function mayAttempt(ctx: PlanContext, error: AdapterError | undefined, intent: Intent): boolean {
  if (!error) return true;
  if (!error.retryable) return intentKey(intent) !== error.call;
  if (ctx.now >= error.retryAt) return true;
  ctx.wakeNoLaterThan(error.retryAt);
  return false;
}
