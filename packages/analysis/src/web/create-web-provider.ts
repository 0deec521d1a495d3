import {
  type AnalysisMetric,
  CancelledError,
  type JsonValue,
  type Measurement,
  type MetricProvider,
  ProviderError,
} from '@gradual/core';
import { BodyTooLargeError, createRedactor, throwIfAborted } from '@gradual/core/adapter';
import { JSONPath } from 'jsonpath-plus';
import { httpRequest } from './http-request.js';
import { jsonDepth } from './json-depth.js';
import { maskJson } from './mask-json.js';
import { type WebMetric, webMetricIssues } from './web-metric.js';

/** Settings of the web provider. */
export interface WebProviderOptions {
  /** Largest response body read, in bytes; default 10 MiB. A larger body fails the measurement as soon as it goes past. */
  maxResponseBytes?: number | undefined;
}

const DEFAULT_TIMEOUT_SECONDS = 10;
const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
/** Deepest nesting of a JSON body handed to the conditions, as the analysis run allows for any value. */
export const MAX_WEB_BODY_DEPTH = 100;

/**
 * Argo's `web` metric: calls `url` (method, headers, body or jsonBody,
 * `timeoutSeconds`, `insecure`) and hands the JSON answer, or the first
 * value that `jsonPath` selects (`{$.data.ok}`), to the conditions as
 * `result`. Like Argo's `webmetric.go` (`getValue`), the selected value is
 * raw JSON: a string stays a string (`asFloat(result)` converts it), and
 * only the first match is used. A body that is not JSON is handed over as
 * a string.
 *
 * Hostile servers: redirects are followed only within the URL's origin (a
 * redirect elsewhere fails the measurement, so headers, user and body never
 * reach another server); the body is capped at `maxResponseBytes` and the
 * whole exchange at `timeoutSeconds`; a body nested deeper than 100 levels
 * is refused. Every credential of the request (see `createRedactor`: the
 * URL's user and query tokens, every header whatever its name) is masked in
 * the value, the display and the messages when a server echoes it. Errors
 * name the method and URL without credentials or query string.
 */
export function createWebProvider(options: WebProviderOptions = {}): MetricProvider {
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0)
    throw new ProviderError('web', `maxResponseBytes must be a whole number of bytes above 0, not ${String(maxBytes)}`);
  return {
    specificationVersion: 'v1',
    type: 'web',
    validate: (metric) => webMetricIssues(metric.provider?.['web']),
    async measure(metric: AnalysisMetric, callOptions): Promise<Measurement> {
      throwIfAborted(callOptions.signal, `web measurement of metric "${metric.name}"`);
      const issues = webMetricIssues(metric.provider?.['web']);
      if (issues.length > 0)
        throw new ProviderError(
          'web',
          `metric "${metric.name}": ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`,
        );
      const web = metric.provider['web'] as unknown as WebMetric;
      const configured = new URL(web.url);
      const url = new URL(web.url);
      const method = (web.method ?? 'GET').toUpperCase();
      const where = `${method} ${url.protocol}//${url.host}${url.pathname}`;
      const headers: Record<string, string> = {};
      // fetch refuses URLs with credentials; send them as basic auth instead.
      if (url.username || url.password) {
        let username: string;
        let password: string;
        try {
          username = decodeURIComponent(url.username);
          password = decodeURIComponent(url.password);
        } catch {
          throw new ProviderError(
            'web',
            `the user or password in the url of metric "${metric.name}" is not valid percent-encoding`,
          );
        }
        headers['authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
        url.username = '';
        url.password = '';
      }
      let body = web.body;
      if (web.jsonBody !== undefined) {
        body = JSON.stringify(web.jsonBody);
        headers['content-type'] = 'application/json';
      }
      for (const header of web.headers ?? []) headers[header.key.toLowerCase()] = header.value;
      // A server may echo the request (an error page, a proxy): every credential it carries is masked, by value.
      const hide = createRedactor({ url: configured, headers });
      // Whole milliseconds: a timer takes no fraction (2.01 s is 2009.9999999999998 ms in floating point).
      const timeoutSeconds = web.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
      const timeout = AbortSignal.timeout(Math.ceil(timeoutSeconds * 1000));
      const signal = AbortSignal.any([callOptions.signal, timeout]);

      let outcome: Awaited<ReturnType<typeof httpRequest>>;
      try {
        outcome = await httpRequest({
          url,
          method,
          headers,
          ...(body === undefined ? {} : { body }),
          insecure: web.insecure === true,
          signal,
          maxBytes,
        });
      } catch (error) {
        if (callOptions.signal.aborted)
          throw new CancelledError(`web measurement of metric "${metric.name}"`, callOptions.signal.reason);
        if (timeout.aborted)
          throw new ProviderError('web', `${where} timed out after ${timeoutSeconds}s`, { code: 'WEB_TIMEOUT' });
        if (BodyTooLargeError.isInstance(error))
          throw new ProviderError('web', `${where} failed: ${error.message}`, { code: 'WEB_RESPONSE_TOO_LARGE' });
        // No raw cause: an HTTP client's error can carry the request's headers.
        throw new ProviderError('web', `${where} failed: ${hide(describe(error))}`);
      }
      if (outcome.kind === 'cross-origin-redirect')
        throw new ProviderError(
          'web',
          `${where}: HTTP ${outcome.status} redirects to another origin (${outcome.origin}), which is not followed so that the metric's credentials stay with ${url.origin}; set url to the final address`,
          { code: 'WEB_REDIRECT' },
        );
      if (outcome.kind === 'bad-redirect')
        throw new ProviderError('web', `${where}: HTTP ${outcome.status} redirect not followed: ${outcome.reason}`, {
          code: 'WEB_REDIRECT',
        });
      if (outcome.status < 200 || outcome.status >= 300) {
        throw new ProviderError('web', `${where}: received non 2xx response code: ${outcome.status}`);
      }
      const metadata = { url: `${url.protocol}//${url.host}${url.pathname}` };
      let data: JsonValue;
      try {
        data = JSON.parse(outcome.body) as JsonValue;
      } catch {
        // Argo hands a body that is not JSON over as a string.
        const text = hide(outcome.body);
        return { value: text, display: text, metadata };
      }
      if (jsonDepth(outcome.body) > MAX_WEB_BODY_DEPTH)
        throw new ProviderError('web', `${where}: the response body is nested deeper than ${MAX_WEB_BODY_DEPTH} levels`, {
          code: 'WEB_RESPONSE_TOO_DEEP',
        });
      const value = maskJson(web.jsonPath ? select(data, web.jsonPath, where, hide) : data, hide);
      // Argo shows the value as json.Marshal writes it: a selected string keeps its quotes.
      return { value, display: displayOf(value), metadata };
    },
  };
}

function select(data: JsonValue, jsonPath: string, where: string, hide: (text: string) => string): JsonValue {
  // Argo writes Kubernetes-style paths in braces: `{$.data.ok}` or `{.data.ok}`.
  let path = jsonPath.trim();
  if (path.startsWith('{') && path.endsWith('}')) path = path.slice(1, -1).trim();
  if (path.startsWith('.')) path = `$${path}`;
  let found: unknown[];
  try {
    // `eval: false`: a template's path must never run script filters.
    found = JSONPath({ path, json: data as object, wrap: true, eval: false }) as unknown[];
  } catch (error) {
    throw new ProviderError(
      'web',
      `${where}: invalid jsonPath ${JSON.stringify(jsonPath)}: ${hide(error instanceof Error ? error.message : String(error))}`,
    );
  }
  // Argo's getValue: the first match, as it is.
  if (!Array.isArray(found) || found.length === 0)
    throw new ProviderError('web', `${where}: Could not find JSONPath in body: ${jsonPath}`);
  return found[0] as JsonValue;
}

// JSON as json.Marshal writes it, except that a number too large for a double (1e999) shows as +Inf or -Inf,
// bare as the Prometheus provider shows it, not as null. Recursive: the depth is bounded before.
function displayOf(value: JsonValue): string {
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : goFloat(value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(displayOf).join(',')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${JSON.stringify(key)}:${displayOf(item)}`)
    .join(',')}}`;
}

function goFloat(value: number): string {
  return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string | undefined; message?: string | undefined } | undefined })?.cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
