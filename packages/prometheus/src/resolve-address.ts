import { ProviderError } from '@gradual/core';
import { isHttpUrl } from './is-http-url.js';
import { memoByText } from './memo-by-text.js';
import type { PrometheusTarget } from './query-prometheus.js';

/** Where to send queries, with credentials taken out of the URL. */
export interface ResolvedAddress {
  /** The URL without userinfo, query or fragment, and without a trailing slash. */
  endpoint: string;
  /** Safe to print: scheme, host, port and path only. */
  display: string;
  /** Basic-auth credentials found in the URL's userinfo (`https://user:pass@host`). */
  userinfo?: { username: string; password: string } | undefined;
  /** The endpoint as `queryPrometheus` sends to it. */
  target: PrometheusTarget;
  /** Where the address came from, for messages. */
  source: 'metric' | 'options' | 'PROMETHEUS_ADDRESS' | 'ARGO_ROLLOUTS_PROMETHEUS_ADDRESS';
}

/** Inputs of `resolveAddress`, in precedence order. */
export interface AddressSources {
  metric?: string | undefined;
  options?: string | undefined;
  env: Record<string, string | undefined>;
  metricName: string;
}

/**
 * Picks the Prometheus address: the metric's `address`, then the provider
 * option, then the `PROMETHEUS_ADDRESS` environment variable, then Argo's
 * `ARGO_ROLLOUTS_PROMETHEUS_ADDRESS`. Throws a ProviderError (that never
 * repeats the address, which may hold a password) when none is usable.
 */
export function resolveAddress(sources: AddressSources): ResolvedAddress {
  const candidates: [ResolvedAddress['source'], string | undefined][] = [
    ['metric', sources.metric],
    ['options', sources.options],
    ['PROMETHEUS_ADDRESS', sources.env.PROMETHEUS_ADDRESS],
    ['ARGO_ROLLOUTS_PROMETHEUS_ADDRESS', sources.env.ARGO_ROLLOUTS_PROMETHEUS_ADDRESS],
  ];
  const found = candidates.find(([, value]) => value !== undefined && value.trim() !== '');
  if (!found)
    throw new ProviderError(
      'prometheus',
      `prometheus address is not configured for metric "${sources.metricName}": set provider.prometheus.address, the address option of createPrometheusProvider, or PROMETHEUS_ADDRESS`,
      { code: 'PROMETHEUS_CONFIG' },
    );
  const [source, raw] = found as [ResolvedAddress['source'], string];
  const where = source === 'metric' ? 'provider.prometheus.address' : source === 'options' ? 'the address option' : source;
  const parsed = parseAddress(raw);
  if (parsed.problem === 'format')
    throw new ProviderError(
      'prometheus',
      `prometheus address is not in URL format (${where} of metric "${sources.metricName}" must be http:// or https:// with a host)`,
      { code: 'PROMETHEUS_CONFIG' },
    );
  if (parsed.problem === 'encoding')
    throw new ProviderError(
      'prometheus',
      `the user or password in ${where} of metric "${sources.metricName}" is not valid percent-encoding`,
      { code: 'PROMETHEUS_CONFIG' },
    );
  // Amazon Managed Prometheus needs SigV4 signing, which Argo switches on by host name.
  if (parsed.problem === 'sigv4')
    throw new ProviderError(
      'prometheus',
      `metric "${sources.metricName}" points at Amazon Managed Prometheus (${parsed.endpoint}), whose SigV4 authentication is not supported by @gradual/prometheus; query it through a SigV4 proxy`,
      { code: 'PROMETHEUS_CONFIG' },
    );
  const { endpoint, target, userinfo } = parsed;
  return { endpoint, display: endpoint, target, source, ...(userinfo ? { userinfo } : {}) };
}

/** What an address text says, whoever gave it; the problems are worded by `resolveAddress`. */
type ParsedAddress =
  | {
      problem?: undefined;
      endpoint: string;
      target: PrometheusTarget;
      userinfo?: { username: string; password: string } | undefined;
    }
  | { problem: 'format' }
  | { problem: 'encoding' }
  | { problem: 'sigv4'; endpoint: string };

// Remembered per text: every measurement resolves its address, parsing it took three URL parses, and a
// fleet has a handful of Prometheus addresses. The result is shared and read only.
const parseAddress = memoByText((raw: string): ParsedAddress => {
  if (!isHttpUrl(raw.trim())) return { problem: 'format' };
  const url = new URL(raw.trim());
  let userinfo: { username: string; password: string } | undefined;
  try {
    userinfo =
      url.username !== '' || url.password !== ''
        ? { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
        : undefined;
  } catch {
    return { problem: 'encoding' };
  }
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  const endpoint = withoutTrailingSlashes(url.toString());
  if (url.hostname.includes('aps-workspaces')) return { problem: 'sigv4', endpoint };
  const target: PrometheusTarget = {
    https: url.protocol === 'https:',
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port,
    basePath: withoutTrailingSlashes(url.pathname),
  };
  return { endpoint, target, ...(userinfo ? { userinfo } : {}) };
});

// A loop, not `/\/+$/`: that regex retries from every slash of a long run of slashes (quadratic).
function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '/') end--;
  return text.slice(0, end);
}
