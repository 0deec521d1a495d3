import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  type AnalysisMetric,
  type CallOptions,
  CancelledError,
  GradualError,
  type Measurement,
  type MetricProvider,
  ProviderError,
  type ValidationIssue,
} from '@gradual/core';
import { abortAfter, createRedactor } from '@gradual/core/adapter';
import { buildRequestHeaders } from './build-request-headers.js';

import { describeQueryFailure } from './describe-query-failure.js';
import { measurementMetadata } from './measurement-metadata.js';
import { createOAuth2TokenCache } from './oauth2-token-cache.js';
import { queryPrometheus } from './query-prometheus.js';
import { readPrometheusMetric } from './read-prometheus-metric.js';
import { resolveAddress } from './resolve-address.js';
import { resolveRangeQuery, validateRangeQuery } from './resolve-range-query.js';
import { toMeasurement } from './to-measurement.js';
import { validatePromql } from './validate-promql.js';

/** Settings of `createPrometheusProvider`; all optional. */
export interface PrometheusProviderOptions {
  /**
   * Address used when a metric has none. Precedence: the metric's
   * `address`, then this, then the `PROMETHEUS_ADDRESS` environment
   * variable, then Argo's `ARGO_ROLLOUTS_PROMETHEUS_ADDRESS`.
   */
  address?: string | undefined;
  /** Where environment variables are read; defaults to `process.env`. */
  env?: Record<string, string | undefined> | undefined;
  /** Most connections kept open to one Prometheus (keep-alive); default 32. */
  maxSockets?: number | undefined;
  /** Extra trust for HTTPS: PEM certificates of the CA that signed Prometheus' certificate. */
  tls?: { ca?: string | string[] | undefined } | undefined;
  /** The `fetch` used for OAuth 2 token requests; defaults to the global one. */
  fetch?: typeof fetch | undefined;
  /**
   * Largest query answer read, in bytes, counted as it streams in (after
   * decompression); default 10 MiB. A larger answer fails the measurement
   * as soon as it goes past, instead of being held in memory.
   */
  maxResponseBytes?: number | undefined;
}

/** The Prometheus MetricProvider; `close()` ends its kept-alive connections. */
export interface PrometheusProvider extends MetricProvider {
  readonly type: 'prometheus';
  /** Checks the provider block and parses the query as PromQL; issues carry paths relative to the metric. */
  validate(metric: AnalysisMetric): ValidationIssue[];
  /** Closes idle keep-alive connections. The provider stays usable and reconnects on demand. */
  close(): void;
}

const DEFAULT_TIMEOUT_SECONDS = 30;
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/**
 * Creates the `prometheus` metric provider: it runs `metric.provider.prometheus.query`
 * against Prometheus' HTTP API (with `node:http`) and returns the result
 * as Argo Rollouts does: a scalar as a number, a vector as an array of numbers
 * (also for one series), a matrix as one flat array, NaN and ±Inf kept, with
 * Argo's display (`[0.99]`). Instant queries are evaluated at
 * `options.clock.now()`; `rangeQuery` runs `query_range`. Connections are kept
 * alive and shared by every measurement of this provider.
 *
 * `measure` rejects with a ProviderError (no credential in its message) when
 * it cannot measure, and with a CancelledError when `options.signal` fires.
 *
 * @example
 * ```ts
 * const prometheus = createPrometheusProvider({ address: 'http://prometheus:9090' });
 * const { value, display } = await prometheus.measure(metric, { signal, clock: systemClock });
 * ```
 */
export function createPrometheusProvider(options: PrometheusProviderOptions = {}): PrometheusProvider {
  const maxSockets = options.maxSockets ?? 32;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  for (const [name, value] of [
    ['maxSockets', maxSockets],
    ['maxResponseBytes', maxResponseBytes],
  ] as const)
    if (!Number.isSafeInteger(value) || value <= 0)
      throw new ProviderError(
        'prometheus',
        `createPrometheusProvider: ${name} must be a whole number above 0, not ${String(value)}`,
        {
          code: 'PROMETHEUS_CONFIG',
        },
      );
  const ca = options.tls?.ca;
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets }),
    https: new HttpsAgent({ keepAlive: true, maxSockets, ...(ca ? { ca } : {}) }),
    insecure: new HttpsAgent({ keepAlive: true, maxSockets, rejectUnauthorized: false }),
  };
  const tokens = createOAuth2TokenCache(options.fetch);
  const env = () => options.env ?? process.env;

  const measure = async (metric: AnalysisMetric, call: CallOptions): Promise<Measurement> => {
    const what = `Prometheus query of metric "${metric.name}"`;
    if (call.signal.aborted) throw new CancelledError(what, call.signal.reason);
    const reading = readPrometheusMetric(metric);
    if (!reading.config)
      throw new ProviderError(
        'prometheus',
        `metric "${metric.name}" has an invalid prometheus provider: ${reading.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
        { code: 'PROMETHEUS_CONFIG' },
      );
    const config = reading.config;
    const address = resolveAddress({ metric: config.address, options: options.address, env: env(), metricName: metric.name });
    const timeoutSeconds = config.timeout ?? DEFAULT_TIMEOUT_SECONDS;
    const oauth2 = config.authentication?.oauth2;
    // Network time is wall time, not rollout time: a fake clock must not make a hung server wait forever.
    // The query keeps its own timer; a token request before it shares one deadline with it, through a guard
    // released when the measurement ends (abortAfter: no timer left for 30 s). Without OAuth 2 no guard is
    // made: a signal, a link to the caller's and a listener per query cost a tenth of the query's CPU.
    const guard = oauth2 ? abortAfter(timeoutSeconds * 1000, call.signal) : undefined;
    const signal = guard ? guard.signal : call.signal;
    // Fired by the guard's timer alone: the caller's own abort is checked first wherever this is read.
    const guardTimedOut = () => guard?.signal.aborted === true && !call.signal.aborted;
    let token: string | undefined;
    // One policy for every credential of the request (core's createRedactor), made once per measurement at
    // its first use, which comes after the token is known (or failed to come).
    let redactor: ((text: string) => string) | undefined;
    const redact = (text: string) => {
      redactor ??= createRedactor({
        secrets: [token],
        ...(config.headers ? { headers: config.headers } : {}),
        basicAuth: [address.userinfo, config.authentication?.basicAuth].filter((pair) => pair !== undefined),
        ...(oauth2 ? { oauth2 } : {}),
      });
      return redactor(text);
    };
    try {
      const now = call.clock.now();
      const range = config.rangeQuery ? resolveRangeQuery(config.rangeQuery, now) : undefined;
      if (oauth2) token = await tokens.token(oauth2, { signal, clock: call.clock, timeoutMs: timeoutSeconds * 1000 });
      const basicAuth = config.authentication?.basicAuth ?? address.userinfo;
      const outcome = await queryPrometheus({
        target: address.target,
        headers: buildRequestHeaders({
          ...(basicAuth ? { basicAuth } : {}),
          ...(token !== undefined ? { bearerToken: token } : {}),
          ...(config.headers ? { headers: config.headers } : {}),
        }),
        query: config.query,
        time: now,
        ...(range ? { range } : {}),
        timeoutSeconds,
        maxResponseBytes,
        agents: { http: agents.http, https: config.insecure ? agents.insecure : agents.https },
        signal,
      });
      if (call.signal.aborted) throw new CancelledError(what, call.signal.reason);
      if (outcome.kind === 'timeout' || guardTimedOut()) throw timeoutError(address.display, metric.name, timeoutSeconds);
      const failure = describeQueryFailure(outcome, { display: address.display, metricName: metric.name, redact });
      if (failure) {
        if (oauth2 && outcome.kind === 'answer' && outcome.answer.status === 401) tokens.invalidate(oauth2);
        throw failure;
      }
      const body = (outcome.kind === 'answer' ? outcome.answer.body : {}) as {
        data?: unknown;
        warnings?: unknown;
        infos?: unknown;
      };
      const converted = convert(body.data, address.display, metric.name);
      const metadata = measurementMetadata({
        query: config.query,
        warnings: body.warnings,
        infos: body.infos,
        time: now,
        ...(range ? { range } : {}),
      });
      for (const key of Object.keys(metadata)) metadata[key] = redact(metadata[key] as string);
      if (metadata.warnings)
        call.logger?.warn('Prometheus returned warnings', { metric: metric.name, warnings: metadata.warnings });
      return { value: converted.value, display: converted.display, metadata };
    } catch (error) {
      if (call.signal.aborted) throw new CancelledError(what, call.signal.reason);
      if (guardTimedOut() && !GradualError.isInstance(error)) throw timeoutError(address.display, metric.name, timeoutSeconds);
      throw toSafeError(error, redact);
    } finally {
      guard?.release();
    }
  };

  return {
    specificationVersion: 'v1',
    type: 'prometheus',
    measure,
    validate(metric) {
      const reading = readPrometheusMetric(metric);
      const issues = [...reading.issues];
      const config = reading.config;
      if (!config) return issues;
      issues.push(...validatePromql(config.query, 'provider.prometheus.query'));
      if (config.rangeQuery) issues.push(...validateRangeQuery(config.rangeQuery));
      const fallback = options.address ?? env().PROMETHEUS_ADDRESS ?? env().ARGO_ROLLOUTS_PROMETHEUS_ADDRESS;
      if (!config.address && !fallback)
        issues.push({
          path: 'provider.prometheus.address',
          message:
            'prometheus address is not configured: set it here, in the address option of createPrometheusProvider, or in PROMETHEUS_ADDRESS',
        });
      return issues;
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
      agents.insecure.destroy();
    },
  };
}

function convert(data: unknown, display: string, metricName: string): ReturnType<typeof toMeasurement> {
  try {
    return toMeasurement(data);
  } catch (error) {
    if (GradualError.isInstance(error))
      throw new ProviderError('prometheus', `${error.message} (metric "${metricName}")`, { code: error.code });
    throw new ProviderError(
      'prometheus',
      `Prometheus at ${display} answered metric "${metricName}" with JSON that is not a query result: ${(error as Error).message}`,
      { code: 'PROMETHEUS_RESPONSE' },
    );
  }
}

function timeoutError(display: string, metricName: string, seconds: number): ProviderError {
  return new ProviderError(
    'prometheus',
    `Prometheus at ${display} did not answer the query of metric "${metricName}" within the timeout of ${seconds}s`,
    {
      code: 'PROMETHEUS_TIMEOUT',
    },
  );
}

// Rebuilt without the raw cause: an HTTP client's error carries the request headers. Our own errors already
// mask what a server or the network stack wrote, and are not masked again: a user `user` must not garble our words.
function toSafeError(error: unknown, redact: (text: string) => string): ProviderError {
  if (error instanceof ProviderError) return new ProviderError('prometheus', error.message, { code: error.code });
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError('prometheus', redact(`unexpected failure of the Prometheus provider: ${message}`), {
    code: 'PROMETHEUS_INTERNAL',
  });
}
