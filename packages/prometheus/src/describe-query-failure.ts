import { ProviderError } from '@gradual/core';
import { type PrometheusHttpAnswer, type PrometheusQueryOutcome, RESPONSE_TOO_LARGE } from './query-prometheus.js';
import { stripTags } from './strip-tags.js';

/** Where a failed query went, for messages. */
export interface QueryContext {
  /** The address without credentials. */
  display: string;
  metricName: string;
  /** Masks the metric's credentials; applied to every text the server or the network stack wrote, before it is shortened. */
  redact?: ((text: string) => string) | undefined;
}

/** Characters of an unexpected body read for a message: cut before any scan, so a 10 MB page costs no more than this. */
const SNIPPET_SOURCE_LENGTH = 4_096;
/** Characters of it shown. */
const SNIPPET_LENGTH = 120;
/** Characters of Prometheus' own error text shown. */
const ERROR_TEXT_LENGTH = 1_024;

const networkCodes: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed by the server',
};

const tlsCodes = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Says, in one message, what went wrong with a query and where: the
 * address (never its credentials), the metric, the HTTP status and
 * Prometheus' own error text. Returns undefined for a successful answer.
 * A timeout is the caller's to word: only it knows the limit.
 */
export function describeQueryFailure(
  outcome: Exclude<PrometheusQueryOutcome, { kind: 'timeout' }>,
  context: QueryContext,
): ProviderError | undefined {
  const at = `Prometheus at ${context.display}`;
  const of = `metric "${context.metricName}"`;
  const redact = context.redact ?? ((text: string) => text);
  if (outcome.kind === 'failure') {
    const code = outcome.code ?? '';
    if (code === RESPONSE_TOO_LARGE)
      return fail(
        'PROMETHEUS_RESPONSE_TOO_LARGE',
        `${at} answered ${of} with ${outcome.message}; reading stopped there (raise maxResponseBytes of createPrometheusProvider if the answer is genuine)`,
      );
    const message = cut(redact(outcome.message), ERROR_TEXT_LENGTH);
    if (tlsCodes.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))
      return fail(
        'PROMETHEUS_TLS',
        `the TLS certificate of ${at} was not accepted (${of}): ${message} (${code}); give its CA in the tls.ca option, or set insecure: true to skip verification`,
      );
    const known = networkCodes[code];
    if (known) return fail('PROMETHEUS_UNREACHABLE', `could not query ${at} (${of}): ${known} (${code})`);
    return fail('PROMETHEUS_UNREACHABLE', `could not query ${at} (${of}): ${message}${code ? ` (${cut(code, 40)})` : ''}`);
  }
  const { answer } = outcome;
  const body = answer.body as { status?: unknown; error?: unknown; errorType?: unknown } | null;
  const isPrometheusJson = typeof body === 'object' && body !== null && (body.status === 'success' || body.status === 'error');
  if (answer.status >= 200 && answer.status < 300 && isPrometheusJson && body.status === 'success') return undefined;
  const http = `HTTP ${answer.status}`;
  if (answer.status >= 300 && answer.status < 400)
    return fail(
      'PROMETHEUS_RESPONSE',
      `${at} answered ${http} for ${of}, a redirect${answer.location ? ` to ${answer.location}` : ''}; redirects are not followed, so set the address to where Prometheus really is`,
    );
  if (answer.status === 401 || answer.status === 403)
    return fail(
      'PROMETHEUS_AUTH',
      `${at} refused the credentials of ${of} (${http}${answer.status === 401 ? ' Unauthorized' : ' Forbidden'}); check provider.prometheus.authentication or the address' user and password`,
    );
  if (isPrometheusJson && body.status === 'error') {
    const detail = `${http}${typeof body.errorType === 'string' ? `, ${cut(redact(body.errorType), 40)}` : ''}`;
    const error = typeof body.error === 'string' ? cut(redact(body.error), ERROR_TEXT_LENGTH) : 'no error message';
    if (answer.status >= 500 || answer.status === 422)
      return fail('PROMETHEUS_SERVER', `${at} could not run the query of ${of} (${detail}): ${error}`);
    return fail('PROMETHEUS_QUERY', `${at} rejected the query of ${of} (${detail}): ${error}`);
  }
  return fail(
    answer.status >= 500 ? 'PROMETHEUS_SERVER' : 'PROMETHEUS_RESPONSE',
    `${at} answered ${http}${answer.contentType ? ` (${cut(redact(answer.contentType.split(';')[0] ?? ''), 80)})` : ''} for ${of}, which is not Prometheus' JSON API: ${snippet(answer, redact)}`,
  );
}

function snippet(answer: PrometheusHttpAnswer, redact: (text: string) => string): string {
  // Redacted before it is cut, so a cut never leaves the start of a password visible; the redactor is linear.
  const text = redact(typeof answer.body === 'string' ? answer.body : (JSON.stringify(answer.body) ?? ''));
  // Cut before the scans: a body of 100,000 `<` took 53 s through a tag regex over the whole of it.
  const flat = collapseSpaces(stripTags(text.slice(0, SNIPPET_SOURCE_LENGTH)));
  if (flat === '') return 'an empty body';
  return JSON.stringify(cut(flat, SNIPPET_LENGTH));
}

function cut(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

// Runs of whitespace to one space, trimmed; one pass.
function collapseSpaces(text: string): string {
  return text
    .split(/\s+/)
    .filter((word) => word !== '')
    .join(' ');
}

function fail(code: string, message: string): ProviderError {
  return new ProviderError('prometheus', message, { code });
}
