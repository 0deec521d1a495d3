import {
  type AnalysisMetric,
  CancelledError,
  type JsonValue,
  type Measurement,
  type MetricProvider,
  ProviderError,
} from '@gradual/core';
import { throwIfAborted } from '@gradual/core/adapter';
import { JSONPath } from 'jsonpath-plus';
import { redact } from '../run/redact.js';
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
 * `timeoutSeconds`, `insecure`) and hands the JSON answer, or the first
 * value that `jsonPath` selects (`{$.data.ok}`), to the conditions as
 * `result`. Like Argo's `webmetric.go` (`getValue`), the selected value is
 * raw JSON: a string stays a string (`asFloat(result)` converts it), and
 * only the first match is used. A body that is not JSON is handed over as
 * a string. Errors name the method and URL without credentials or query
 * string, and never show the URL's credentials in any form.
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
      const credentials: string[] = [];
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
        credentials.push(`${username}:${password}`, password);
        headers['authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
        url.username = '';
        url.password = '';
      }
      // A server may echo the request (an error page, a proxy): whatever is shown is masked.
      const hide = (text: string) => redact(text, credentials);
      let body = web.body;
      if (web.jsonBody !== undefined) {
        body = JSON.stringify(web.jsonBody);
        headers['content-type'] = 'application/json';
      }
      for (const header of web.headers ?? []) {
        headers[header.key.toLowerCase()] = header.value;
        // A header that carries a credential is masked wherever a server echoes it, as the Prometheus provider does.
        if (/authorization|token|secret|password|api-?key|cookie/i.test(header.key)) {
          credentials.push(header.value, header.value.replace(/^(Bearer|Basic|Token)\s+/i, ''));
        }
      }
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
        throw new ProviderError('web', `${where} failed: ${hide(describe(error))}`, { cause: error });
      }
      if (response.status < 200 || response.status >= 300) {
        throw new ProviderError('web', `${where}: received non 2xx response code: ${response.status}`);
      }
      const metadata = { url: `${url.protocol}//${url.host}${url.pathname}` };
      let data: unknown;
      try {
        data = JSON.parse(response.body);
      } catch {
        // Argo hands a body that is not JSON over as a string.
        return { value: response.body, display: hide(response.body), metadata };
      }
      const value = web.jsonPath ? select(data, web.jsonPath, where) : (data as JsonValue);
      // Argo shows the value as json.Marshal writes it: a selected string keeps its quotes.
      return { value, display: hide(JSON.stringify(value)), metadata };
    },
  };
}

function select(data: unknown, jsonPath: string, where: string): JsonValue {
  // Argo writes Kubernetes-style paths in braces: `{$.data.ok}` or `{.data.ok}`.
  let path = jsonPath.trim();
  if (path.startsWith('{') && path.endsWith('}')) path = path.slice(1, -1).trim();
  if (path.startsWith('.')) path = `$${path}`;
  let found: unknown[];
  try {
    // `eval: false`: a template's path must never run script filters.
    found = JSONPath({ path, json: data as object, wrap: true, eval: false }) as unknown[];
  } catch (error) {
    throw new ProviderError('web', `${where}: invalid jsonPath ${JSON.stringify(jsonPath)}: ${(error as Error).message}`);
  }
  // Argo's getValue: the first match, as it is.
  if (!Array.isArray(found) || found.length === 0)
    throw new ProviderError('web', `${where}: Could not find JSONPath in body: ${jsonPath}`);
  return found[0] as JsonValue;
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
