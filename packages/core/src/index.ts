// What applications call. Helpers for adapter authors live in `@gradual/core/adapter`; test doubles in
// `@gradual/core/testing`; the conformance suites in `@gradual/core/conformance`.
export { type Clock, systemClock } from './clock/clock.js';
export * from './contracts/index.js';
export { applyIntentResult, type IntentResult } from './engine/apply-intent-result.js';
export { type InitialStatusOptions, initialStatus } from './engine/initial-status.js';
export type * from './engine/intent.js';
export { migrateStatus } from './engine/migrate-status.js';
export { type Observations, type Plan, type PlanInput, planRollout } from './engine/plan-rollout.js';
export type { AdapterFailure } from './engine/record-adapter-failure.js';
export type { RecordedCommand, RolloutCommand } from './engine/rollout-command.js';
export type { RolloutEvent } from './engine/rollout-event.js';
export type { RolloutOutcome } from './engine/rollout-outcome.js';
export type * from './engine/rollout-status.js';
export { statusVersion } from './engine/rollout-status.js';
export { heldIntentsStillWanted } from './engine/verdict-batch.js';
export * from './errors/index.js';
export { manifestLimits } from './manifest/manifest-limits.js';
export { parseDuration } from './manifest/parse-duration.js';
export { parseRollout } from './manifest/parse-rollout.js';
export type * from './manifest/rollout-types.js';
export {
  type CreateRolloutOptions,
  createRollout,
  type RolloutHandle,
  type RolloutResult,
} from './runner/create-rollout.js';
export { type ReconcileInput, type ReconcileResult, reconcile } from './runner/reconcile.js';
