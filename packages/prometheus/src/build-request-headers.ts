import type { PrometheusBasicAuth, PrometheusHeader } from './prometheus-metric.js';

/** What goes into the headers of a query. */
export interface RequestHeaderSources {
  basicAuth?: PrometheusBasicAuth | undefined;
  bearerToken?: string | undefined;
  headers?: PrometheusHeader[] | undefined;
}

/**
 * The headers of a query: basic auth or the OAuth 2 bearer token first, then
 * the metric's `headers`, which overwrite any of the same name (case
 * insensitive), as Argo's header round tripper does.
 */
export function buildRequestHeaders(sources: RequestHeaderSources): Record<string, string> {
  const headers: Record<string, string> = {};
  if (sources.basicAuth) {
    const { username, password } = sources.basicAuth;
    headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  }
  if (sources.bearerToken !== undefined) headers.Authorization = `Bearer ${sources.bearerToken}`;
  for (const { key, value } of sources.headers ?? []) {
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === key.toLowerCase()) delete headers[existing];
    headers[key] = value;
  }
  return headers;
}
