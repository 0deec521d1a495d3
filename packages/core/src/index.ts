export { type Clock, systemClock } from './clock/clock.js';
export { throwIfAborted } from './clock/throw-if-aborted.js';
export * from './contracts/index.js';
export { applyCommand } from './engine/apply-command.js';
export { applyIntentResult, type IntentResult } from './engine/apply-intent-result.js';
export { checkCapabilities } from './engine/check-capabilities.js';
export { describeStep } from './engine/describe-step.js';
export { type InitialStatusOptions, initialStatus } from './engine/initial-status.js';
export type * from './engine/intent.js';
export { migrateStatus } from './engine/migrate-status.js';
export { type Plan, type PlanInput, planRollout } from './engine/plan-rollout.js';
export type { RolloutCommand } from './engine/rollout-command.js';
export type { RolloutEvent } from './engine/rollout-event.js';
export type * from './engine/rollout-status.js';
export { trafficStatesEqual } from './engine/traffic-states-equal.js';
export * from './errors/index.js';
export {
  type CreateRolloutOptions,
  createRollout,
  type RolloutHandle,
  type RolloutResult,
} from './runner/create-rollout.js';
export { type ReconcileInput, type ReconcileResult, reconcile } from './runner/reconcile.js';
export { createRedactor, REDACTED, secretForms } from './secrets/create-redactor.js';
export { parseDuration } from './spec/parse-duration.js';
export { parseGoDuration } from './spec/parse-go-duration.js';
export { parseRollout } from './spec/parse-rollout.js';
export type * from './spec/rollout-types.js';
