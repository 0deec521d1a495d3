import {
  type AnalysisMetric,
  CancelledError,
  type JsonValue,
  type Measurement,
  type MetricProvider,
  ProviderError,
  throwIfAborted,
} from '@gradual/core';
import { JSONPath } from 'jsonpath-plus';
import { httpRequest } from './http-request.js';
import { type WebMetric, webMetricIssues } from './web-metric.js';

/** Settings of the web provider. */
export interface WebProviderOptions {
  /** Largest response body read; default 10 MiB. */
  maxResponseBytes?: number;
}

const DEFAULT_TIMEOUT_SECONDS = 10;

/**
 * Argo's `web` metric: calls `url` (method, headers, body or jsonBody,
 * `timeoutSeconds`, `insecure`) and hands the JSON answer, or the part that
 * `jsonPath` selects (`{$.data.ok}`), to the conditions as `result`. Like
 * Argo, a selected string that reads as a number or a boolean becomes one.
 * Errors name the method and URL without credentials or query string.
 */
export function createWebProvider(options: WebProviderOptions = {}): MetricProvider {
  const maxBytes = options.maxResponseBytes ?? 10 * 1024 * 1024;
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
      const url = new URL(web.url);
      const where = `${(web.method ?? 'GET').toUpperCase()} ${url.protocol}//${url.host}${url.pathname}`;
      const headers: Record<string, string> = {};
      // fetch refuses URLs with credentials; send them as basic auth instead.
      if (url.username || url.password) {
        headers['authorization'] =
          `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
        url.username = '';
        url.password = '';
      }
      let body = web.body;
      if (web.jsonBody !== undefined) {
        body = JSON.stringify(web.jsonBody);
        headers['content-type'] = 'application/json';
      }
      for (const header of web.headers ?? []) headers[header.key.toLowerCase()] = header.value;
      const timeoutSeconds = web.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
      const timeout = AbortSignal.timeout(timeoutSeconds * 1000);
      const signal = AbortSignal.any([callOptions.signal, timeout]);

      let response: Awaited<ReturnType<typeof httpRequest>>;
      try {
        response = await httpRequest({
          url,
          method: (web.method ?? 'GET').toUpperCase(),
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
        throw new ProviderError('web', `${where} failed: ${describe(error)}`, { cause: error });
      }
      if (response.status < 200 || response.status >= 300) {
        throw new ProviderError('web', `${where}: received non 2xx response code: ${response.status}`);
      }
      let data: unknown;
      try {
        data = JSON.parse(response.body);
      } catch (error) {
        throw new ProviderError('web', `${where}: Could not parse JSON body: ${(error as Error).message}`);
      }
      const value = web.jsonPath ? select(data, web.jsonPath, where) : (data as JsonValue);
      return {
        value,
        display: typeof value === 'string' ? value : JSON.stringify(value),
        metadata: { url: `${url.protocol}//${url.host}${url.pathname}` },
      };
    },
  };
}

function select(data: unknown, jsonPath: string, where: string): JsonValue {
  // Argo writes Kubernetes-style paths in braces: `{$.data.ok}` or `{.data.ok}`.
  let path = jsonPath.trim();
  if (path.startsWith('{') && path.endsWith('}')) path = path.slice(1, -1).trim();
  if (path.startsWith('.')) path = `$${path}`;
  let found: unknown;
  try {
    // `eval: false`: a template's path must never run script filters.
    found = JSONPath({ path, json: data as object, wrap: false, eval: false });
  } catch (error) {
    throw new ProviderError('web', `${where}: invalid jsonPath ${JSON.stringify(jsonPath)}: ${(error as Error).message}`);
  }
  if (found === undefined) throw new ProviderError('web', `${where}: Could not find JSONPath in body: ${jsonPath}`);
  return typeof found === 'string' ? coerce(found) : (found as JsonValue);
}

// Argo's web provider reads the selected text as a float, then a bool, before leaving it a string.
function coerce(text: string): JsonValue {
  if (/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text.trim())) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
