import {
  type AnalysisMetric,
  type CallOptions,
  CancelledError,
  type JsonValue,
  type Measurement,
  type MetricProvider,
  ProviderError,
  parseDuration,
  ValidationError,
} from '@gradual/core';
import { throwIfAborted } from '@gradual/core/adapter';
import type { MeasurementAssessment } from '../condition/assess-measurement.js';
import type { CanaryConfig, CanaryMetricConfig } from '../judge/canary-config.js';
import type { TieRule } from '../judge/classify-metric.js';
import { judgeCanary } from '../judge/judge-canary.js';
import type { CanaryJudgement } from '../judge/judgement-types.js';
import { parseCanaryConfig } from '../judge/parse-canary-config.js';
import { buildPrometheusQuery } from './build-prometheus-query.js';
import { type KayentaMetric, type KayentaScopeDetail, readKayentaMetric } from './kayenta-metric.js';
import type { AssessingMetricProvider } from './measurement-assessor.js';

/** What one series fetch is for. */
export interface SeriesRequest {
  /** The canary-config metric, as written (its `query` block included). */
  metric: CanaryMetricConfig;
  /** For `query.type: prometheus`, the PromQL Kayenta would run; otherwise undefined. */
  query?: string | undefined;
  /** `control` is the baseline, `experiment` the canary. */
  role: 'control' | 'experiment';
  /** The scope's name (the metric's `scopeName`). */
  scopeName: string;
  /** The side of the scope, with its window resolved: `start`, `end` in epoch ms, `step` in seconds. */
  scope: {
    scope: string;
    location?: string | undefined;
    start: number;
    end: number;
    step: number;
    extendedScopeParams?: Record<string, string> | undefined;
  };
}

/** Fetches one series; `null` or NaN marks a missing point. Rejects when it cannot. */
export type FetchSeries = (request: SeriesRequest, options: CallOptions) => Promise<readonly (number | null)[]>;

/** Where canary configs come from: by name, or a loader (e.g. reading a file or a ConfigMap). */
export type CanaryConfigSource =
  | Readonly<Record<string, CanaryConfig | string>>
  | ((
      request: { canaryConfigName: string; application?: string | undefined },
      options: CallOptions,
    ) => CanaryConfig | string | undefined | Promise<CanaryConfig | string | undefined>);

/** Options of `createKayentaProvider`: the configs, and one way to fetch series. */
export interface KayentaProviderOptions {
  /** Canary configs (Kayenta's JSON, unchanged) by `canaryConfigName`, or a loader. */
  configs: CanaryConfigSource;
  /**
   * Fetches series through another MetricProvider: for each metric and side, a
   * metric is built with `provider.<type>` from `metricProviderBlock` (by
   * default, for `prometheus`: the Kayenta-built query as a `rangeQuery` over
   * the scope's window, plus `providerSettings`) and measured; its value must
   * be a list of numbers.
   */
  metricProvider?: MetricProvider | undefined;
  /** Fields added to every provider block built for `metricProvider`, e.g. `{ address: 'http://prometheus:9090' }`. */
  providerSettings?: Readonly<Record<string, JsonValue>> | undefined;
  /** Builds the `provider.<type>` block for a request; needed for metric sources other than prometheus. */
  metricProviderBlock?: ((request: SeriesRequest) => Record<string, JsonValue>) | undefined;
  /** Or fetch every series yourself. */
  fetchSeries?: FetchSeries | undefined;
  /** The judge's tie rule; default `gradual` (see docs/canary-judge.md). */
  ties?: TieRule | undefined;
}

/**
 * Serves Argo's `provider.kayenta` in-process: the canary config named by
 * `canaryConfigName` is judged by `judgeCanary` on series fetched for each
 * scope's control and experiment windows. The measurement's value is the
 * score; its metadata holds the verdict and every metric's classification
 * with its numbers. When the metric has no success or failure condition, the
 * phase is Argo's: score >= threshold.pass Successful, >= marginal
 * Inconclusive, otherwise Failed.
 */
export function createKayentaProvider(options: KayentaProviderOptions): AssessingMetricProvider {
  if (!options || typeof options !== 'object' || options.configs === undefined || options.configs === null)
    throw new ValidationError('createKayentaProvider options', [
      { path: 'configs', message: 'is required (canary configs by name, or a loader)' },
    ]);
  if ((options.metricProvider === undefined) === (options.fetchSeries === undefined))
    throw new ValidationError('createKayentaProvider options', [
      { path: 'metricProvider', message: 'give exactly one of metricProvider (e.g. a Prometheus provider) and fetchSeries' },
    ]);
  const fetchSeries: FetchSeries = options.fetchSeries ?? throughProvider(options);

  return {
    specificationVersion: 'v1',
    type: 'kayenta',

    validate(metric) {
      return readKayentaMetric(metric.provider['kayenta']).issues;
    },

    async measure(metric, callOptions) {
      const what = `kayenta metric "${metric.name}"`;
      throwIfAborted(callOptions.signal, what);
      const { metric: kayenta, issues } = readKayentaMetric(metric.provider['kayenta']);
      if (!kayenta)
        throw failure(
          `invalid kayenta metric: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ')}`,
          'KAYENTA_CONFIG',
        );
      const config = await loadConfig(options.configs, kayenta, callOptions);
      const now = callOptions.clock.now();
      const requests = config.metrics.flatMap((canaryMetric) =>
        (['control', 'experiment'] as const).map((role) => seriesRequest(config, canaryMetric, role, kayenta, metric, now)),
      );
      // The first failure cancels the other fetches: the judgement needs them all.
      const firstFailure = new AbortController();
      const fetchOptions = { ...callOptions, signal: AbortSignal.any([callOptions.signal, firstFailure.signal]) };
      const fetched = await Promise.all(
        requests.map(async (request) => {
          try {
            return checkSeries(await fetchSeries(request, fetchOptions));
          } catch (error) {
            throwIfAborted(callOptions.signal, what);
            firstFailure.abort();
            throw failure(
              `fetching ${request.role} series of "${request.metric.name}"${request.query ? ` (query ${request.query})` : ''}: ${messageOf(error)}`,
              'KAYENTA_FETCH',
              error,
            );
          }
        }),
      );
      // A source that ignores its signal must not turn a cancelled run into a judgement.
      throwIfAborted(callOptions.signal, what);
      const control: Record<string, readonly (number | null)[]> = {};
      const experiment: Record<string, readonly (number | null)[]> = {};
      requests.forEach((request, index) => {
        (request.role === 'control' ? control : experiment)[request.metric.name] = fetched[index] as (number | null)[];
      });
      const judgement = judgeCanary({
        config,
        control,
        experiment,
        thresholds: kayenta.threshold,
        ...(options.ties ? { ties: options.ties } : {}),
      });
      return judgementMeasurement(judgement, kayenta, requests);
    },

    assess(metric, measurement): MeasurementAssessment {
      const { metric: kayenta } = readKayentaMetric(metric.provider['kayenta']);
      const score = measurement.value;
      if (!kayenta || typeof score !== 'number') return { phase: 'Error', message: 'the kayenta measurement has no score' };
      const why = measurement.metadata?.['judgement'];
      const { pass, marginal } = kayenta.threshold;
      if (score >= pass) return { phase: 'Successful' };
      if (score >= marginal) return { phase: 'Inconclusive', message: `score ${score} < pass ${pass}${why ? `: ${why}` : ''}` };
      return { phase: 'Failed', message: `score ${score} < marginal ${marginal}${why ? `: ${why}` : ''}` };
    },
  };
}

async function loadConfig(source: CanaryConfigSource, kayenta: KayentaMetric, options: CallOptions): Promise<CanaryConfig> {
  const name = kayenta.canaryConfigName;
  let raw: CanaryConfig | string | undefined;
  try {
    raw =
      typeof source === 'function'
        ? await source({ canaryConfigName: name, ...(kayenta.application ? { application: kayenta.application } : {}) }, options)
        : Object.hasOwn(source, name)
          ? source[name]
          : undefined;
  } catch (error) {
    if (options.signal.aborted) throw new CancelledError(`loading canary config "${name}"`, options.signal.reason);
    throw failure(`could not load canary config "${name}": ${messageOf(error)}`, 'KAYENTA_CONFIG', error);
  }
  if (raw === undefined)
    throw failure(
      `canary config "${name}" not found${typeof source === 'function' ? '' : ` (known: ${Object.keys(source).join(', ') || 'none'})`}`,
      'KAYENTA_CONFIG',
    );
  let config: CanaryConfig;
  try {
    config = parseCanaryConfig(raw);
  } catch (error) {
    throw failure(`canary config "${name}": ${messageOf(error)}`, 'KAYENTA_CONFIG', error);
  }
  if (
    kayenta.application &&
    config.applications &&
    config.applications.length > 0 &&
    !config.applications.includes(kayenta.application)
  )
    throw failure(
      `canary config "${name}" is for applications ${config.applications.join(', ')}, not "${kayenta.application}"`,
      'KAYENTA_CONFIG',
    );
  return config;
}

function seriesRequest(
  config: CanaryConfig,
  canaryMetric: CanaryMetricConfig,
  role: 'control' | 'experiment',
  kayenta: KayentaMetric,
  metric: AnalysisMetric,
  now: number,
): SeriesRequest {
  const scopeName = canaryMetric.scopeName ?? 'default';
  const scope = kayenta.scopes.find((candidate) => candidate.name === scopeName);
  if (!scope)
    throw failure(
      `canary metric "${canaryMetric.name}" uses scope "${scopeName}", but provider.kayenta.scopes has only ${kayenta.scopes.map((s) => `"${s.name}"`).join(', ')}`,
      'KAYENTA_CONFIG',
    );
  const detail: KayentaScopeDetail = role === 'control' ? scope.controlScope : scope.experimentScope;
  const window = resolveWindow(detail, metric, now);
  const resolved = {
    scope: detail.scope,
    ...(detail.region ? { location: detail.region } : {}),
    ...window,
    step: detail.step,
    ...(detail.extendedScopeParams ? { extendedScopeParams: detail.extendedScopeParams } : {}),
  };
  let query: string | undefined;
  if (canaryMetric.query.type === 'prometheus') {
    try {
      query = buildPrometheusQuery(config, canaryMetric.query, resolved);
    } catch (error) {
      throw failure(
        `canary metric "${canaryMetric.name}" (${role} scope "${detail.scope}"): ${messageOf(error)}`,
        'KAYENTA_CONFIG',
        error,
      );
    }
  }
  return { metric: canaryMetric, ...(query !== undefined ? { query } : {}), role, scopeName, scope: resolved };
}

// Argo: an empty start is now − the metric's interval; an empty end is now.
function resolveWindow(detail: KayentaScopeDetail, metric: AnalysisMetric, now: number): { start: number; end: number } {
  const end = detail.end ? Date.parse(detail.end) : now;
  let start: number;
  if (detail.start) start = Date.parse(detail.start);
  else {
    const interval = intervalMs(metric.interval);
    if (interval === undefined)
      throw failure(
        "a kayenta scope without start needs the metric's interval (the window is now − interval to now)",
        'KAYENTA_CONFIG',
      );
    start = now - interval;
  }
  if (!(end > start))
    throw failure(
      `the scope's window is empty: start ${new Date(start).toISOString()} is not before end ${new Date(end).toISOString()}`,
      'KAYENTA_CONFIG',
    );
  return { start, end };
}

function intervalMs(interval: AnalysisMetric['interval']): number | undefined {
  if (interval === undefined || interval === '') return undefined;
  try {
    return parseDuration(interval);
  } catch {
    return undefined;
  }
}

function throughProvider(options: KayentaProviderOptions): FetchSeries {
  const provider = options.metricProvider as MetricProvider;
  return async (request, callOptions) => {
    if (request.metric.query.type !== provider.type)
      throw new Error(
        `the metric's query type is "${request.metric.query.type}" but the metricProvider serves "${provider.type}"`,
      );
    let block: Record<string, JsonValue>;
    if (options.metricProviderBlock) block = options.metricProviderBlock(request);
    else if (provider.type === 'prometheus') {
      // expr-lang's date() reads RFC 3339; the Prometheus provider runs it as query_range.
      block = {
        ...(options.providerSettings ?? {}),
        query: request.query as string,
        rangeQuery: {
          start: `date("${new Date(request.scope.start).toISOString()}")`,
          end: `date("${new Date(request.scope.end).toISOString()}")`,
          step: `${request.scope.step}s`,
        },
      };
    } else throw new Error(`no metricProviderBlock was given to build a "${provider.type}" query`);
    const measurement = await provider.measure(
      { name: `${request.metric.name} (${request.role})`, provider: { [provider.type]: block } },
      callOptions,
    );
    return measurement.value as readonly (number | null)[];
  };
}

function checkSeries(value: unknown): readonly (number | null)[] {
  if (!Array.isArray(value) || value.some((point) => point !== null && typeof point !== 'number'))
    throw new Error(`expected a list of numbers (a range query), got ${truncate(JSON.stringify(value) ?? String(value))}`);
  return value as (number | null)[];
}

function judgementMeasurement(
  judgement: CanaryJudgement,
  kayenta: KayentaMetric,
  requests: readonly SeriesRequest[],
): Measurement {
  const metadata: Record<string, string> = {
    canaryConfigName: kayenta.canaryConfigName,
    judgement: `${judgement.verdict}: score ${judgement.score} (pass ${judgement.thresholds.pass}, marginal ${judgement.thresholds.marginal})${judgement.reason ? `; ${judgement.reason}` : ''}`,
  };
  for (const metric of judgement.metrics) {
    const n = (value: number | null) => (value === null ? 'n/a' : Number(value.toPrecision(4)).toString());
    const parts = [
      `${metric.classification}${metric.critical ? ' (critical)' : ''}${metric.muted ? ' (muted)' : ''}`,
      ...(metric.reason ? [metric.reason] : []),
      `ratio ${n(metric.ratio)}`,
      `baseline n=${metric.control.count} mean ${n(metric.control.mean)}`,
      `canary n=${metric.experiment.count} mean ${n(metric.experiment.mean)}`,
    ];
    metadata[`metric.${metric.name}`] = parts.join('; ');
    const queries = requests.filter((request) => request.metric.name === metric.name && request.query);
    if (queries.length > 0)
      metadata[`query.${metric.name}`] = queries.map((request) => `${request.role}: ${request.query}`).join(' | ');
  }
  return { value: judgement.score, display: String(judgement.score), metadata };
}

function failure(message: string, code: string, cause?: unknown): ProviderError {
  return new ProviderError('kayenta', message, { code, ...(cause !== undefined ? { cause } : {}) });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
