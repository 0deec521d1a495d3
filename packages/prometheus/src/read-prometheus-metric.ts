import type { AnalysisMetric, JsonValue, ValidationIssue } from '@gradual/core';
import { isHttpUrl } from './is-http-url.js';
import type { PrometheusAuthentication, PrometheusHeader, PrometheusMetric } from './prometheus-metric.js';

/** What `readPrometheusMetric` found: the typed block, or the problems that stop it from being used. */
export interface PrometheusMetricReading {
  config?: PrometheusMetric | undefined;
  issues: ValidationIssue[];
}

const base = 'provider.prometheus';

/** Longest `timeout` accepted, in seconds: one day. */
export const MAX_PROMETHEUS_TIMEOUT_SECONDS = 86_400;
const isObject = (value: unknown): value is Record<string, JsonValue> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the shape of `metric.provider.prometheus` and reads it into a
 * `PrometheusMetric`. Messages follow Argo's where Argo has one; paths are
 * relative to the metric. Values are never echoed, since some are secrets.
 */
export function readPrometheusMetric(metric: AnalysisMetric): PrometheusMetricReading {
  const issues: ValidationIssue[] = [];
  const block = metric.provider?.prometheus;
  if (!isObject(block)) return { issues: [{ path: base, message: 'must be an object with at least a query' }] };

  const text = (key: string, path = `${base}.${key}`, source: Record<string, JsonValue> = block): string | undefined => {
    const value = source[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      issues.push({ path, message: 'must be a string' });
      return undefined;
    }
    return value;
  };

  const query = text('query');
  if (query === undefined || query.trim() === '') issues.push({ path: `${base}.query`, message: 'is required' });

  const address = text('address');
  if (address !== undefined && address !== '' && !isHttpUrl(address))
    issues.push({
      path: `${base}.address`,
      message: 'prometheus address is not in URL format (expected http:// or https:// with a host)',
    });

  let timeout: number | undefined;
  if (block.timeout !== undefined && block.timeout !== null) {
    const raw = block.timeout;
    const value = typeof raw === 'string' && /^-?\d{1,16}$/.test(raw.trim()) ? Number(raw) : raw;
    if (typeof value !== 'number' || !Number.isInteger(value))
      issues.push({ path: `${base}.timeout`, message: 'must be a whole number of seconds' });
    else if (value < 0) issues.push({ path: `${base}.timeout`, message: 'prometheus timeout should not be negative' });
    // Argo would time out every query at once with 0; refuse it instead.
    else if (value === 0)
      issues.push({ path: `${base}.timeout`, message: 'must be at least 1 second (0 would fail every query)' });
    // A timer holds at most ~24.8 days; past that Node fires at once (2,147,484 s) or throws.
    else if (value > MAX_PROMETHEUS_TIMEOUT_SECONDS)
      issues.push({ path: `${base}.timeout`, message: `must be at most ${MAX_PROMETHEUS_TIMEOUT_SECONDS} seconds (one day)` });
    else timeout = value;
  }

  let insecure: boolean | undefined;
  if (block.insecure !== undefined && block.insecure !== null) {
    if (typeof block.insecure !== 'boolean') issues.push({ path: `${base}.insecure`, message: 'must be true or false' });
    else insecure = block.insecure;
  }

  const headers = readHeaders(block.headers, issues);
  const authentication = readAuthentication(block.authentication, issues);

  let rangeQuery: PrometheusMetric['rangeQuery'];
  if (block.rangeQuery !== undefined && block.rangeQuery !== null) {
    if (!isObject(block.rangeQuery))
      issues.push({ path: `${base}.rangeQuery`, message: 'must be an object with start, end and step' });
    else {
      const source = block.rangeQuery;
      const start = text('start', `${base}.rangeQuery.start`, source);
      const end = text('end', `${base}.rangeQuery.end`, source);
      const step = text('step', `${base}.rangeQuery.step`, source);
      for (const [key, value] of [
        ['start', start],
        ['end', end],
        ['step', step],
      ] as const)
        if (!value) issues.push({ path: `${base}.rangeQuery.${key}`, message: 'is required' });
      if (start && end && step) rangeQuery = { start, end, step };
    }
  }

  if (issues.length > 0) return { issues };
  const config: PrometheusMetric = { query: query as string };
  if (address) config.address = address;
  if (timeout !== undefined) config.timeout = timeout;
  if (insecure !== undefined) config.insecure = insecure;
  if (headers) config.headers = headers;
  if (authentication) config.authentication = authentication;
  if (rangeQuery) config.rangeQuery = rangeQuery;
  return { config, issues };
}

function readHeaders(raw: JsonValue | undefined, issues: ValidationIssue[]): PrometheusHeader[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) {
    issues.push({ path: `${base}.headers`, message: 'must be a list of {key, value}' });
    return undefined;
  }
  const headers: PrometheusHeader[] = [];
  raw.forEach((entry, index) => {
    const path = `${base}.headers[${index}]`;
    if (!isObject(entry)) {
      issues.push({ path, message: 'must be {key, value}' });
      return;
    }
    // Argo's field is `key`; its docs once showed `name`, which Argo silently drops.
    if (entry.key === undefined && entry.name !== undefined) {
      issues.push({ path: `${path}.name`, message: 'the header name goes in "key", not "name" (Argo Rollouts ignores "name")' });
      return;
    }
    if (typeof entry.key !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(entry.key)) {
      issues.push({ path: `${path}.key`, message: 'must be a valid HTTP header name' });
      return;
    }
    // What HTTP can carry: Node's client throws its own TypeError for anything else.
    if (typeof entry.value !== 'string' || /[^\t\x20-\x7e\x80-\xff]/.test(entry.value)) {
      issues.push({
        path: `${path}.value`,
        message: 'must be a string of Latin-1 text without line breaks or control characters',
      });
      return;
    }
    headers.push({ key: entry.key, value: entry.value });
  });
  return headers;
}

function readAuthentication(raw: JsonValue | undefined, issues: ValidationIssue[]): PrometheusAuthentication | undefined {
  if (raw === undefined || raw === null) return undefined;
  const path = `${base}.authentication`;
  if (!isObject(raw)) {
    issues.push({ path, message: 'must be an object' });
    return undefined;
  }
  if (raw.sigv4 !== undefined && raw.sigv4 !== null) {
    issues.push({
      path: `${path}.sigv4`,
      message:
        'SigV4 (Amazon Managed Prometheus) is not supported by @gradual/prometheus; query it through a SigV4 proxy and point address at the proxy',
    });
  }
  const authentication: PrometheusAuthentication = {};
  if (raw.basicAuth !== undefined && raw.basicAuth !== null) {
    const basic = raw.basicAuth;
    if (!isObject(basic)) issues.push({ path: `${path}.basicAuth`, message: 'must be {username, password}' });
    else {
      for (const key of ['username', 'password'] as const)
        if (typeof basic[key] !== 'string' || basic[key] === '')
          issues.push({
            path: `${path}.basicAuth.${key}`,
            message: `missing mandatory parameter in metric for basic auth setup: ${key}`,
          });
      if (typeof basic.username === 'string' && typeof basic.password === 'string')
        authentication.basicAuth = { username: basic.username, password: basic.password };
    }
  }
  if (raw.oauth2 !== undefined && raw.oauth2 !== null) {
    const oauth = raw.oauth2;
    if (!isObject(oauth)) issues.push({ path: `${path}.oauth2`, message: 'must be {tokenUrl, clientId, clientSecret, scopes?}' });
    else {
      for (const key of ['tokenUrl', 'clientId', 'clientSecret'] as const)
        if (typeof oauth[key] !== 'string' || oauth[key] === '')
          issues.push({
            path: `${path}.oauth2.${key}`,
            message: `missing mandatory parameter in metric for OAuth2 setup: ${key}`,
          });
      if (typeof oauth.tokenUrl === 'string' && oauth.tokenUrl !== '' && !isHttpUrl(oauth.tokenUrl))
        issues.push({
          path: `${path}.oauth2.tokenUrl`,
          message: 'is not in URL format (expected http:// or https:// with a host)',
        });
      const scopes = oauth.scopes;
      if (
        scopes !== undefined &&
        scopes !== null &&
        (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string'))
      )
        issues.push({ path: `${path}.oauth2.scopes`, message: 'must be a list of strings' });
      if (typeof oauth.tokenUrl === 'string' && typeof oauth.clientId === 'string' && typeof oauth.clientSecret === 'string')
        authentication.oauth2 = {
          tokenUrl: oauth.tokenUrl,
          clientId: oauth.clientId,
          clientSecret: oauth.clientSecret,
          ...(Array.isArray(scopes) ? { scopes: scopes as string[] } : {}),
        };
    }
  }
  if (authentication.basicAuth && authentication.oauth2)
    issues.push({ path, message: 'basicAuth and oauth2 are both set; use one' });
  return authentication;
}
