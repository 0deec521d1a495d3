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
import { createRedactor } from './create-redactor.js';
import { describeQueryFailure } from './describe-query-failure.js';
import { evaluateTimeExpression } from './evaluate-time-expression.js';
import { createOAuth2TokenCache } from './oauth2-token-cache.js';
import { parseGoDuration } from './parse-go-duration.js';
import type { PrometheusMetric } from './prometheus-metric.js';
import { queryPrometheus } from './query-prometheus.js';
import { readPrometheusMetric } from './read-prometheus-metric.js';
import { resolveAddress } from './resolve-address.js';
import { toMeasurement } from './to-measurement.js';
import { validatePromql } from './validate-promql.js';

/** Settings of `createPrometheusProvider`; all optional. */
export interface PrometheusProviderOptions {
  /**
   * Address used when a metric has none. Precedence: the metric's
   * `address`, then this, then the `PROMETHEUS_ADDRESS` environment
   * variable, then Argo's `ARGO_ROLLOUTS_PROMETHEUS_ADDRESS`.
   */
  address?: string;
  /** Where environment variables are read; defaults to `process.env`. */
  env?: Record<string, string | undefined>;
  /** Most connections kept open to one Prometheus (keep-alive); default 32. */
  maxSockets?: number;
  /** Extra trust for HTTPS: PEM certificates of the CA that signed Prometheus' certificate. */
  tls?: { ca?: string | string[] };
  /** The `fetch` used for OAuth 2 token requests; defaults to the global one. */
  fetch?: typeof fetch;
}

/** The Prometheus MetricProvider; `close()` ends its kept-alive connections. */
export interface PrometheusProvider extends MetricProvider {
  readonly type: 'prometheus';
  validate(metric: AnalysisMetric): ValidationIssue[];
  /** Closes idle keep-alive connections. The provider stays usable and reconnects on demand. */
  close(): void;
}

const DEFAULT_TIMEOUT_SECONDS = 30;
const SENSITIVE_HEADER = /auth|token|secret|key|cookie|pass|session|credential/i;

/**
 * Creates the `prometheus` metric provider: it runs `metric.provider.prometheus.query`
 * against Prometheus' HTTP API (through prometheus-query) and returns the result
 * as Argo Rollouts does (see `toMeasurement`). Instant queries are evaluated at
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
  const ca = options.tls?.ca;
  const agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets }),
    https: new HttpsAgent({ keepAlive: true, maxSockets, ...(ca ? { ca } : {}) }),
    insecure: new HttpsAgent({ keepAlive: true, maxSockets, rejectUnauthorized: false }),
  };
  const tokens = createOAuth2TokenCache(options.fetch);

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
    const address = resolveAddress({
      metric: config.address,
      options: options.address,
      env: options.env ?? process.env,
      metricName: metric.name,
    });
    const redact = createRedactor(secretsOf(config, address.userinfo));
    const timeoutSeconds = config.timeout ?? DEFAULT_TIMEOUT_SECONDS;
    const deadline = AbortSignal.timeout(timeoutSeconds * 1000);
    const signal = AbortSignal.any([call.signal, deadline]);
    let token: string | undefined;
    try {
      // Amazon Managed Prometheus needs SigV4 signing, which Argo switches on by host name.
      if (/aps-workspaces/.test(address.endpoint))
        throw new ProviderError(
          'prometheus',
          `metric "${metric.name}" points at Amazon Managed Prometheus (${address.display}), whose SigV4 authentication is not supported by @gradual/prometheus; query it through a SigV4 proxy`,
          { code: 'PROMETHEUS_CONFIG' },
        );
      const now = call.clock.now();
      const range = config.rangeQuery ? resolveRange(config.rangeQuery, now) : undefined;
      const headers: Record<string, string> = {};
      const basic = config.authentication?.basicAuth ?? address.userinfo;
      if (basic) headers.Authorization = `Basic ${Buffer.from(`${basic.username}:${basic.password}`).toString('base64')}`;
      const oauth2 = config.authentication?.oauth2;
      if (oauth2) {
        token = await tokens.token(oauth2, { signal, clock: call.clock, timeoutMs: timeoutSeconds * 1000 });
        headers.Authorization = `Bearer ${token}`;
      }
      // As Argo's header round tripper: metric headers are set last and overwrite.
      for (const { key, value } of config.headers ?? []) {
        for (const existing of Object.keys(headers)) if (existing.toLowerCase() === key.toLowerCase()) delete headers[existing];
        headers[key] = value;
      }
      const outcome = await queryPrometheus({
        endpoint: address.endpoint,
        headers,
        query: config.query,
        time: now,
        ...(range ? { range } : {}),
        timeoutSeconds,
        agents: { http: agents.http, https: config.insecure ? agents.insecure : agents.https },
        signal,
      });
      if (call.signal.aborted) throw new CancelledError(what, call.signal.reason);
      if (deadline.aborted) throw timeoutError(address.display, metric.name, timeoutSeconds);
      const failure = describeQueryFailure(outcome, { display: address.display, metricName: metric.name });
      if (failure) {
        if (oauth2 && outcome.kind === 'answer' && outcome.answer.status === 401) tokens.invalidate(oauth2);
        throw failure;
      }
      const body = (outcome.kind === 'answer' ? outcome.answer.body : undefined) as {
        data?: unknown;
        warnings?: unknown;
        infos?: unknown;
      };
      let converted: ReturnType<typeof toMeasurement>;
      try {
        converted = toMeasurement(body.data);
      } catch (error) {
        if (GradualError.isInstance(error))
          throw new ProviderError('prometheus', `${error.message} (metric "${metric.name}")`, { code: error.code });
        throw new ProviderError(
          'prometheus',
          `Prometheus at ${address.display} answered metric "${metric.name}" with JSON that is not a query result: ${(error as Error).message}`,
          { code: 'PROMETHEUS_RESPONSE' },
        );
      }
      const metadata: Record<string, string> = { ResolvedPrometheusQuery: config.query };
      const warnings = strings(body.warnings);
      if (warnings.length > 0) {
        // Argo's format: "w1", "w2"
        metadata.warnings = warnings.map((warning) => `"${warning}"`).join(', ');
        call.logger?.warn('Prometheus returned warnings', { metric: metric.name, warnings });
      }
      const infos = strings(body.infos);
      if (infos.length > 0) metadata.infos = infos.map((info) => `"${info}"`).join(', ');
      if (range) {
        metadata.rangeStart = new Date(range.start).toISOString();
        metadata.rangeEnd = new Date(range.end).toISOString();
        metadata.rangeStep = `${range.stepSeconds}s`;
      } else metadata.evaluationTime = new Date(now).toISOString();
      return { value: converted.value, display: converted.display, metadata: redactAll(metadata, redact) };
    } catch (error) {
      if (call.signal.aborted) throw new CancelledError(what, call.signal.reason);
      if (deadline.aborted && !GradualError.isInstance(error)) throw timeoutError(address.display, metric.name, timeoutSeconds);
      throw sanitize(error, token === undefined ? redact : createRedactor([...secretsOf(config, address.userinfo), token]));
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
      if (config) {
        issues.push(...validatePromql(config.query, 'provider.prometheus.query'));
        if (config.rangeQuery) issues.push(...validateRange(config.rangeQuery));
      }
      return issues;
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
      agents.insecure.destroy();
    },
  };
}

function resolveRange(range: NonNullable<PrometheusMetric['rangeQuery']>, now: number) {
  const start = parseOr(() => evaluateTimeExpression(range.start, now), 'failed to parse rangeQuery.start as time');
  const end = parseOr(() => evaluateTimeExpression(range.end, now), 'failed to parse rangeQuery.end as time');
  const step = parseOr(() => parseGoDuration(range.step), 'failed to parse rangeQuery.step as duration');
  if (step <= 0)
    throw new ProviderError('prometheus', `rangeQuery.step must be positive, got ${JSON.stringify(range.step)}`, {
      code: 'PROMETHEUS_CONFIG',
    });
  if (end < start)
    throw new ProviderError('prometheus', 'rangeQuery.end is before rangeQuery.start', { code: 'PROMETHEUS_CONFIG' });
  return { start, end, stepSeconds: step / 1000 };
}

function validateRange(range: NonNullable<PrometheusMetric['rangeQuery']>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  // `now` is irrelevant to whether an expression parses; any instant will do.
  for (const key of ['start', 'end'] as const) {
    try {
      evaluateTimeExpression(range[key], 0);
    } catch (error) {
      issues.push({
        path: `provider.prometheus.rangeQuery.${key}`,
        message: `failed to parse rangeQuery.${key} as time: ${(error as Error).message}`,
      });
    }
  }
  try {
    if (parseGoDuration(range.step) <= 0)
      issues.push({ path: 'provider.prometheus.rangeQuery.step', message: 'must be positive' });
  } catch (error) {
    issues.push({
      path: 'provider.prometheus.rangeQuery.step',
      message: `failed to parse rangeQuery.step as duration: ${(error as Error).message}`,
    });
  }
  return issues;
}

function parseOr<T>(parse: () => T, prefix: string): T {
  try {
    return parse();
  } catch (error) {
    throw new ProviderError('prometheus', `${prefix}: ${(error as Error).message}`, { code: 'PROMETHEUS_CONFIG' });
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

function secretsOf(config: PrometheusMetric, userinfo: { username: string; password: string } | undefined): string[] {
  const secrets: string[] = [];
  if (userinfo) secrets.push(userinfo.username, userinfo.password, `${userinfo.username}:${userinfo.password}`);
  const auth = config.authentication;
  if (auth?.basicAuth) secrets.push(auth.basicAuth.username, auth.basicAuth.password);
  if (auth?.oauth2) secrets.push(auth.oauth2.clientSecret);
  for (const header of config.headers ?? []) if (SENSITIVE_HEADER.test(header.key)) secrets.push(header.value);
  return secrets;
}

// Rebuilds the error with its message redacted and no raw cause: an HTTP client's error carries request headers.
function sanitize(error: unknown, redact: (text: string) => string): ProviderError {
  if (error instanceof ProviderError) return new ProviderError('prometheus', redact(error.message), { code: error.code });
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError('prometheus', redact(`unexpected failure of the Prometheus provider: ${message}`), {
    code: 'PROMETHEUS_INTERNAL',
  });
}

function redactAll(metadata: Record<string, string>, redact: (text: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, redact(value)]));
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
