export { type Clock, systemClock } from './clock/clock.js';
export { throwIfAborted } from './clock/throw-if-aborted.js';
export * from './contracts/index.js';
export * from './errors/index.js';
export { parseDuration } from './spec/parse-duration.js';
export type * from './spec/rollout-types.js';
