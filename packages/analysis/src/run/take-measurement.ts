import {
  type AnalysisMetric,
  type CallOptions,
  CancelledError,
  GradualError,
  type JsonValue,
  type Measurement,
  type MetricProvider,
} from '@gradual/core';
import { assessMeasurement, type MeasurementConditions } from '../condition/assess-measurement.js';
import { type CheckedResult, checkResultData, wrapChecked } from '../condition/check-result.js';
import type { CompiledCondition } from '../condition/compile-condition.js';
import { formatNumber } from '../condition/values.js';
import { isAssessingProvider } from '../kayenta/measurement-assessor.js';
import { substituteArgs } from '../template/substitute-args.js';
import { isoTimeOf } from './iso-time.js';
import { joinMeasurementGuard } from './measurement-guard.js';
import { measurementTimeoutOf } from './measurement-timeout.js';
import { describeNoData, isNoData, noDataPhase, noDataPolicyOf } from './no-data.js';
import { redact } from './redact.js';
import type { MeasurementRecord } from './run-types.js';
import type { SecretResolver } from './secret-resolver.js';

/** Everything one measurement needs. */
export interface TakeMeasurementInput {
  /** The metric with plain args substituted; secret placeholders remain. Measured as it is when there are no secret args. */
  metric: AnalysisMetric;
  /** The metric as the template wrote it, and the plain args: with secret args, both are substituted into it in one pass. */
  template: AnalysisMetric;
  args: Readonly<Record<string, string>>;
  secretArgs: readonly { name: string; secretKeyRef: { name: string; key: string } }[];
  providers: readonly MetricProvider[];
  resolveSecret?: SecretResolver | undefined;
  /** Wall-clock guard around the provider call; raised to the metric's own timeout plus a margin. */
  measurementTimeoutMs: number;
  compile: (expression: string) => CompiledCondition;
  options: CallOptions;
}

/**
 * Takes one measurement and assesses it. Never rejects for a measuring
 * problem: a missing secret, a provider that throws, hangs past the timeout
 * or returns something that is not JSON all become an `Error` measurement
 * with a message. Rejects only with a CancelledError when `options.signal`
 * fires, so a cancelled measurement is never counted.
 */
export async function takeMeasurement(input: TakeMeasurementInput): Promise<MeasurementRecord> {
  const { options } = input;
  const startedAt = options.clock.now();
  // Resolved secret values, redacted from what is kept; the helpers below are module functions, not closures
  // over these: one measurement per metric per interval, across a whole fleet.
  const secrets: string[] = input.secretArgs.length > 0 ? [] : noSecrets;
  const done: Finish = { startedAt, clock: options.clock, secrets };

  let metric = input.metric;
  if (input.secretArgs.length > 0) {
    const values: Record<string, string> = { ...input.args };
    for (const arg of input.secretArgs) {
      if (!input.resolveSecret)
        return failed(done, `args.${arg.name} comes from secret "${arg.secretKeyRef.name}" but no resolveSecret was given`);
      try {
        values[arg.name] = await input.resolveSecret(arg.secretKeyRef, options);
        secrets.push(values[arg.name] as string);
      } catch (cause) {
        if (options.signal.aborted) throw new CancelledError(`measurement of metric "${metric.name}"`, options.signal.reason);
        return failed(
          done,
          `could not read secret "${arg.secretKeyRef.name}" key "${arg.secretKeyRef.key}" for args.${arg.name}: ${messageOf(cause)}`,
        );
      }
    }
    try {
      // One pass over the template, as Argo substitutes the whole metric: a plain value that reads
      // `{{args.token}}` is inserted as text and never resolved to the secret.
      metric = substituteArgs(input.template, values);
    } catch (cause) {
      return failed(done, `Unable to resolve metric arguments: ${messageOf(cause)}`);
    }
  }

  const type = Object.keys(metric.provider)[0] ?? '';
  const provider = input.providers.find((candidate) => candidate.type === type);
  if (!provider) return failed(done, `no MetricProvider of type "${type}" was given`);

  let measurement: Measurement;
  try {
    measurement = await measureWithTimeout(provider, metric, measurementTimeoutOf(metric, input.measurementTimeoutMs), options);
  } catch (cause) {
    if (options.signal.aborted) throw new CancelledError(`measurement of metric "${metric.name}"`, options.signal.reason);
    return failed(done, messageOf(cause));
  }

  let value: JsonValue;
  let checked: CheckedResult;
  try {
    if (measurement?.value === undefined) throw new Error('no value');
    // Checked and copied once; both conditions then read the copy without checking again.
    value = checkResultData(measurement.value, '') as JsonValue;
    checked = wrapChecked(value);
  } catch (cause) {
    return failed(done, `provider "${type}" returned a value that is not JSON: ${messageOf(cause)}`);
  }
  const display = typeof measurement.display === 'string' ? measurement.display : displayOf(value);
  let metadata: Record<string, string> | undefined;
  try {
    metadata = measurement.metadata && typeof measurement.metadata === 'object' ? stringRecord(measurement.metadata) : undefined;
  } catch (cause) {
    // Cyclic, BigInt, a throwing getter: the provider's fault, reported like a value that is not JSON.
    return failed(done, `provider "${type}" returned metadata that is not a record of strings: ${messageOf(cause)}`);
  }
  const hasMetadata = metadata !== undefined && Object.keys(metadata).length > 0;
  if (isNoData(value)) {
    const base: Omit<MeasurementRecord, 'startedAt' | 'finishedAt' | 'phase'> = { value: display };
    if (hasMetadata) base.metadata = metadata;
    const note = describeNoData(metric, metadata);
    const policy = noDataPolicyOf(metric);
    // The metric's own policy decides, not its conditions (Kayenta's `mustHaveData`).
    if (policy) return finish(done, { ...base, phase: noDataPhase[policy], noData: note, message: `${note}; noData: ${policy}` });
    // Argo's behaviour: the conditions decide, with Argo's message when they err; `noData` still says why.
    const assessed = assess(input, metric, checked, { provider, measurement, value });
    return finish(done, { ...base, ...assessed, noData: note, message: assessed.message ?? note });
  }
  const assessed = assess(input, metric, checked, { provider, measurement, value });
  // The usual record as one literal, times filled in by `finish`: fields added to an object after it is made go
  // to a property store of their own, which the host would keep with every measurement in the status.
  const record: MeasurementRecord = { value: display, phase: assessed.phase, startedAt: '', finishedAt: '' };
  if (hasMetadata) record.metadata = metadata;
  if (assessed.message !== undefined) record.message = assessed.message;
  return finish(done, record);
}

const noSecrets: string[] = Object.freeze([]) as never[];

/** What completing a record needs: when the measurement started, the clock, and the secrets to redact. */
interface Finish {
  startedAt: number;
  clock: CallOptions['clock'];
  secrets: readonly string[];
}

// `record` is always a fresh literal of takeMeasurement's: completed in place, not copied.
function finish(done: Finish, record: Omit<MeasurementRecord, 'startedAt' | 'finishedAt'>): MeasurementRecord {
  const { startedAt, secrets } = done;
  const finishedAt = done.clock.now();
  const clean = record as MeasurementRecord;
  clean.startedAt = isoTimeOf(startedAt);
  clean.finishedAt = finishedAt === startedAt ? clean.startedAt : isoTimeOf(finishedAt);
  // Redacted before they are cut, so a cut never leaves the first half of a secret.
  // Redacted, then cut like a value: a message can quote a whole response body, and it is copied into the run state.
  if (clean.message !== undefined) clean.message = truncate(redact(clean.message, secrets));
  if (clean.value !== undefined) clean.value = truncate(redact(clean.value, secrets));
  if (clean.noData !== undefined) clean.noData = truncate(redact(clean.noData, secrets));
  if (clean.metadata) clean.metadata = capMetadata(clean.metadata, (text) => redact(text, secrets));
  return clean;
}

function failed(done: Finish, message: string): MeasurementRecord {
  return finish(done, { phase: 'Error', message });
}

// Conditions against the value; a condition that does not even compile is an Error, as Argo reports it.
function assess(
  input: TakeMeasurementInput,
  metric: AnalysisMetric,
  value: CheckedResult,
  own: { provider: MetricProvider; measurement: Measurement; value: JsonValue },
): Pick<MeasurementRecord, 'phase' | 'message'> {
  let assessment: ReturnType<typeof assessMeasurement>;
  // A provider that decides phases itself (Argo's kayenta: score against thresholds) does so when no condition is set.
  const { provider, measurement } = own;
  if (!metric.successCondition?.trim() && !metric.failureCondition?.trim() && isAssessingProvider(provider)) {
    try {
      assessment = provider.assess(metric, { ...measurement, value: own.value });
    } catch (cause) {
      return { phase: 'Error', message: `provider "${provider.type}" could not assess its measurement: ${messageOf(cause)}` };
    }
    return { phase: assessment.phase, ...(assessment.message ? { message: assessment.message } : {}) };
  }
  try {
    const conditions: MeasurementConditions = {};
    if (metric.successCondition?.trim()) conditions.successCondition = input.compile(metric.successCondition);
    if (metric.failureCondition?.trim()) conditions.failureCondition = input.compile(metric.failureCondition);
    assessment = assessMeasurement(
      conditions,
      value,
      // `now()` in a condition is the run's clock, so a fake clock drives it too.
      { now: input.options.clock.now() },
    );
  } catch (cause) {
    // A condition that does not even compile: Argo reports it like an evaluation error.
    const field = safeCompiles(input.compile, metric.successCondition) ? 'failureCondition' : 'successCondition';
    return { phase: 'Error', message: `could not evaluate ${field} "${metric[field]}": ${messageOf(cause)}` };
  }
  return assessment;
}

function measureWithTimeout(
  provider: MetricProvider,
  metric: AnalysisMetric,
  timeoutMs: number,
  options: CallOptions,
): Promise<Measurement> {
  const cancelled = () => new CancelledError(`measurement of metric "${metric.name}"`, options.signal.reason);
  if (options.signal.aborted) return Promise.reject(cancelled());
  // Network time is wall time: the guard is a real timer, under the caller's signal. One promise settled by
  // whichever comes first, the provider or the guard (cheaper than racing a second promise).
  return new Promise<Measurement>((resolve, reject) => {
    const guard = joinMeasurementGuard(timeoutMs, options.signal, () =>
      reject(
        options.signal.aborted
          ? cancelled()
          : new GradualError('MEASUREMENT_TIMEOUT', `measurement timed out after ${timeoutMs / 1000}s`),
      ),
    );
    // Released at once when the provider answers: a guard left to run its full 60 s holds its timer that long.
    // A provider that ignores its signal keeps running after the cut; its late answer is dropped.
    const settle = (measurement: Measurement) => {
      guard.release();
      resolve(measurement);
    };
    const fail = (error: unknown) => {
      guard.release();
      reject(options.signal.aborted ? cancelled() : error);
    };
    try {
      Promise.resolve(provider.measure(metric, { ...options, signal: guard.signal })).then(settle, fail);
    } catch (error) {
      fail(error);
    }
  });
}

/** Longest measurement value kept in the status: the run state is persisted, often ten times per metric. */
const MAX_DISPLAY_LENGTH = 2_048;

/** Most characters of metadata (keys and values) kept per measurement, for the same reason. */
const MAX_METADATA_LENGTH = 8_192;
const MAX_METADATA_KEY_LENGTH = 256;

function truncate(text: string, limit = MAX_DISPLAY_LENGTH): string {
  return text.length > limit ? `${text.slice(0, limit)}... (${text.length} characters)` : text;
}

// Values are cut like `display`; entries past the total budget are dropped and counted under `truncated`.
function capMetadata(metadata: Record<string, string>, redactText: (text: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Object.entries(metadata);
  let used = 0;
  for (const [i, [rawKey, rawValue]] of entries.entries()) {
    const key = truncate(redactText(rawKey), MAX_METADATA_KEY_LENGTH);
    const value = truncate(redactText(rawValue));
    used += key.length + value.length;
    if (used > MAX_METADATA_LENGTH) {
      out['truncated'] = `${entries.length - i} more metadata entries were dropped (over ${MAX_METADATA_LENGTH} characters)`;
      break;
    }
    out[key] = value;
  }
  return out;
}

// Throws for what JSON cannot hold (cycles, BigInt) and whatever a getter throws.
function stringRecord(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record))
    out[key] =
      typeof value === 'string'
        ? value
        : typeof value === 'number'
          ? formatNumber(value)
          : String(JSON.stringify(value, keepNonFinite));
  return out;
}

/** The value as JSON text, NaN and infinities written as numbers are (`NaN`, `+Inf`), which JSON would make `null`. */
function displayOf(value: JsonValue): string {
  // The replacer costs a call and a key string per value; most values have no such number.
  return allFinite(value) ? JSON.stringify(value) : JSON.stringify(value, keepNonFinite);
}

function keepNonFinite(_key: string, item: unknown): unknown {
  return typeof item === 'number' && !Number.isFinite(item) ? formatNumber(item) : item;
}

function allFinite(value: JsonValue): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (const item of value) if (!allFinite(item)) return false;
    return true;
  }
  for (const key in value) if (!allFinite(value[key] as JsonValue)) return false;
  return true;
}

function safeCompiles(compile: (expression: string) => CompiledCondition, expression: string | undefined): boolean {
  if (!expression) return true;
  try {
    compile(expression);
    return true;
  } catch {
    return false;
  }
}

function messageOf(error: unknown): string {
  if (GradualError.isInstance(error) && 'reason' in error && typeof error.reason === 'string') return error.reason;
  return error instanceof Error ? error.message : String(error);
}
