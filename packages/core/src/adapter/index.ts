/**
 * Helpers for people who write adapters (traffic routers, metric providers,
 * analysis runners, workloads) for gradual: cancellation, durations, error
 * classification, redaction of secrets, traffic comparison, step names,
 * reading untrusted input (plain-data copies, bounded YAML), and deep freezing
 * of data shared between callers.
 * Applications need none of these; they import `@gradual/core`.
 *
 * @packageDocumentation
 */
export { abortAfter, type ReleasableTimeout } from '../clock/abort-after.js';
export { throwIfAborted } from '../clock/throw-if-aborted.js';
export {
  copyPlainData,
  NotPlainDataError,
  type PlainDataLimits,
  type PlainDataOptions,
} from '../data/copy-plain-data.js';
export { deepFreeze } from '../data/deep-freeze.js';
export { fillAbsent } from '../data/fill-absent.js';
export { BodyTooLargeError, readCappedBody } from '../data/read-capped-body.js';
export { readYaml } from '../data/read-yaml.js';
export { resolveSurgeAndUnavailable } from '../engine/basic-canary-replicas.js';
export { checkCapabilities } from '../engine/check-capabilities.js';
export { describeStep } from '../engine/describe-step.js';
export { trafficStatesEqual } from '../engine/traffic-states-equal.js';
export { isRetryable } from '../errors/is-retryable.js';
export { parseGoDuration } from '../manifest/parse-go-duration.js';
export { createRedactor, REDACTED, secretForms } from '../secrets/create-redactor.js';
