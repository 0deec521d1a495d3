import {
  type AnalysisMetric,
  type CallOptions,
  CancelledError,
  type Measurement,
  type MetricProvider,
  ProviderError,
  parseDuration,
  type ValidationIssue,
} from '@gradual/core';
import type { HttpProbeMetric } from './http-probe-metric.js';
import { percentile } from './percentile.js';
import { redactUrl } from './redact-url.js';

const type = 'httpProbe';

/** One probe request's outcome. */
interface ProbeResult {
  ok: boolean;
  /** Milliseconds on the injected clock. */
  latencyMs: number;
  /** Set when no HTTP answer came back (refused, reset, timed out). */
  networkError?: string;
}

/**
 * A MetricProvider of its own kind: it probes an HTTP endpoint with a few
 * requests and reports `{ successRate, p95Ms, requests }`, so a template
 * can say `successCondition: result.successRate >= 0.99 && result.p95Ms < 300`.
 *
 * What it shows about the contract:
 * - the provider block is validated up front (`validate`) with paths
 *   relative to the metric, so a typo fails before the rollout starts;
 * - the caller's AbortSignal is passed to every request, and a cancelled
 *   call rejects with a CancelledError (never counted as a measurement);
 * - timeouts and latencies come from the injected clock, so tests run on a
 *   fake one;
 * - when it cannot measure at all (nothing answered) it rejects with a
 *   ProviderError, which analysis records as an `Error` measurement; a
 *   credential in the URL never appears in a message.
 */
export function createHttpProbeProvider(): MetricProvider {
  const read = (metric: AnalysisMetric) => {
    const issues = validate(metric);
    if (issues.length > 0) {
      const text = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
      throw new ProviderError(type, `metric "${metric.name}" has an invalid provider block: ${text}`, { code: 'INVALID_METRIC' });
    }
    const block = metric.provider[type] as unknown as HttpProbeMetric;
    return {
      url: new URL(block.url),
      requests: block.requests ?? 10,
      timeoutMs: parseDuration(block.timeout ?? '5s'),
      success: (status: number) => (block.successCodes ? block.successCodes.includes(status) : status >= 200 && status < 400),
    };
  };

  const probe = async (
    target: { url: URL; timeoutMs: number; success: (status: number) => boolean },
    call: CallOptions,
  ): Promise<ProbeResult> => {
    const timer = new AbortController();
    const timedOut = new AbortController();
    call.clock.sleep(target.timeoutMs, timer.signal).then(
      () => timedOut.abort(new Error(`no answer within ${target.timeoutMs} ms`)),
      () => {},
    );
    const headers: Record<string, string> = {};
    const url = new URL(target.url.href);
    if (url.username || url.password) {
      // fetch refuses URLs with credentials: send them as Basic auth instead.
      headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
      url.username = '';
      url.password = '';
    }
    const started = call.clock.now();
    try {
      const response = await fetch(url, { headers, signal: AbortSignal.any([call.signal, timedOut.signal]) });
      await response.arrayBuffer();
      return { ok: target.success(response.status), latencyMs: call.clock.now() - started };
    } catch (error) {
      if (call.signal.aborted) throw new CancelledError(`${type} probe of ${redactUrl(target.url)}`, call.signal.reason);
      const reason = timedOut.signal.aborted
        ? String((timedOut.signal.reason as Error).message)
        : error instanceof Error
          ? ((error.cause as Error | undefined)?.message ?? error.message)
          : String(error);
      return { ok: false, latencyMs: call.clock.now() - started, networkError: reason };
    } finally {
      timer.abort();
    }
  };

  return {
    specificationVersion: 'v1',
    type,
    validate,
    async measure(metric, call): Promise<Measurement> {
      const target = read(metric);
      const results: ProbeResult[] = [];
      // One after another: a probe measures the service, it must not load it.
      for (let i = 0; i < target.requests; i++) results.push(await probe(target, call));
      const unreachable = results.filter((result) => result.networkError);
      if (unreachable.length === results.length) {
        throw new ProviderError(
          type,
          `no answer from ${redactUrl(target.url)} to any of ${results.length} requests: ${unreachable[0]?.networkError}`,
          { code: 'UNREACHABLE' },
        );
      }
      const successRate = results.filter((result) => result.ok).length / results.length;
      const p95Ms = percentile(
        results.map((result) => result.latencyMs),
        95,
      );
      return {
        value: { successRate, p95Ms, requests: results.length },
        display: `success ${(successRate * 100).toFixed(1)}%, p95 ${p95Ms} ms`,
        metadata: { url: redactUrl(target.url), networkErrors: String(unreachable.length) },
      };
    },
  };
}

function validate(metric: AnalysisMetric): ValidationIssue[] {
  const block = metric.provider[type] as Record<string, unknown> | undefined;
  const issues: ValidationIssue[] = [];
  const at = (field: string) => `provider.${type}.${field}`;
  if (typeof block?.url !== 'string') {
    issues.push({ path: at('url'), message: 'is required (an http:// or https:// URL)' });
  } else if (!URL.canParse(block.url) || !/^https?:$/.test(new URL(block.url).protocol)) {
    issues.push({ path: at('url'), message: 'must be an http:// or https:// URL' });
  }
  const requests = block?.requests;
  if (requests !== undefined && (!Number.isInteger(requests) || (requests as number) < 1 || (requests as number) > 100)) {
    issues.push({ path: at('requests'), message: `must be a whole number from 1 to 100, got ${JSON.stringify(requests)}` });
  }
  if (block?.timeout !== undefined) {
    try {
      parseDuration(block.timeout as string);
    } catch (error) {
      issues.push({ path: at('timeout'), message: error instanceof Error ? error.message : String(error) });
    }
  }
  const codes = block?.successCodes;
  if (codes !== undefined && (!Array.isArray(codes) || !codes.every((code) => Number.isInteger(code)))) {
    issues.push({ path: at('successCodes'), message: 'must be a list of HTTP status codes' });
  }
  return issues;
}
