import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { type PrometheusConnectionOptions, PrometheusDriver } from 'prometheus-query';

type RequestConfig = Parameters<NonNullable<PrometheusConnectionOptions['requestInterceptor']>['onFulfilled']>[0];
type Response = Parameters<NonNullable<PrometheusConnectionOptions['responseInterceptor']>['onFulfilled']>[0];

/** One query to send. Times are epoch milliseconds. */
export interface PrometheusQueryRequest {
  /** Base URL without credentials, e.g. `https://prometheus:9090/prefix`. */
  endpoint: string;
  headers: Record<string, string>;
  query: string;
  /** Evaluation time of an instant query. */
  time: number;
  /** Present for `query_range`. */
  range?: { start: number; end: number; stepSeconds: number } | undefined;
  /** Sent as Prometheus' own evaluation `timeout`, so the server stops working when we stop waiting. */
  timeoutSeconds: number;
  agents: { http: HttpAgent; https: HttpsAgent };
  /** Largest body read, in bytes, counted as it streams in (after decompression). */
  maxResponseBytes: number;
  signal: AbortSignal;
}

/** The HTTP answer as it came, before any interpretation. */
export interface PrometheusHttpAnswer {
  status: number;
  contentType: string;
  /** The `Location` header of a redirect, without credentials. */
  location?: string | undefined;
  body: unknown;
}

/** What happened: an answer (of any status), or a failure before one arrived. */
export type PrometheusQueryOutcome =
  | { kind: 'answer'; answer: PrometheusHttpAnswer }
  | { kind: 'failure'; code?: string | undefined; message: string };

/** The failure code of an answer whose body went past `maxResponseBytes`. */
export const RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE';

/**
 * Sends one query through prometheus-query and reports what happened
 * without judging it. A driver per call is cheap (an axios instance) and
 * lets this call's AbortSignal, keep-alive agent and answer capture ride on
 * its interceptors: prometheus-query has no per-call options, sets its own
 * 10 s timeout and rejects with plain objects that drop the HTTP status of
 * non-JSON answers (an HTML page from a proxy), so the raw answer is taken
 * from the response interceptor instead.
 */
export async function queryPrometheus(request: PrometheusQueryRequest): Promise<PrometheusQueryOutcome> {
  let captured: Response | undefined;
  const driver = new PrometheusDriver({
    endpoint: request.endpoint,
    baseURL: '/api/v1/',
    headers: request.headers,
    requestInterceptor: {
      onFulfilled: (config: RequestConfig) => {
        config.signal = request.signal;
        // The wall-clock limit is the caller's signal (AbortSignal.timeout), not axios' timer.
        config.timeout = 0;
        config.httpAgent = request.agents.http;
        config.httpsAgent = request.agents.https;
        // Redirects are reported, not followed: follow-redirects costs a third of the client's CPU per
        // query, and following one could carry credentials to another host. Prometheus' API never redirects.
        config.maxRedirects = 0;
        // Stops reading past the cap instead of buffering whatever a server sends (100 MB took 1.6 GB before).
        config.maxContentLength = request.maxResponseBytes;
        return config;
      },
    },
    responseInterceptor: {
      onFulfilled: (response: Response) => {
        captured = response;
        return response;
      },
      onRejected: (error: { response?: Response | undefined }) => {
        captured = error?.response;
        throw error;
      },
    },
  });
  try {
    const timeout = `${request.timeoutSeconds}s`;
    // Dates, not numbers: prometheus-query replaces a time of 0 (a fake clock's start) with the wall clock.
    if (request.range)
      await driver.rangeQuery(
        request.query,
        new Date(request.range.start),
        new Date(request.range.end),
        request.range.stepSeconds,
        timeout,
      );
    else await driver.instantQuery(request.query, new Date(request.time), timeout);
  } catch (rejection) {
    if (!captured) {
      const failure = describeRejection(rejection);
      if (failure.message.startsWith('maxContentLength size of'))
        return {
          kind: 'failure',
          code: RESPONSE_TOO_LARGE,
          message: `the body is larger than ${request.maxResponseBytes} bytes`,
        };
      return { kind: 'failure', ...failure };
    }
  }
  if (!captured) return { kind: 'failure', message: 'no answer' };
  const location = captured.headers?.location;
  return {
    kind: 'answer',
    answer: {
      status: captured.status,
      contentType: String(captured.headers?.['content-type'] ?? ''),
      ...(typeof location === 'string' ? { location: withoutCredentials(location) } : {}),
      body: captured.data,
    },
  };
}

// prometheus-query rejects with `{ errorType, error, code }` objects, or with an Error of its own parsing.
function describeRejection(rejection: unknown): { code?: string | undefined; message: string } {
  if (typeof rejection === 'object' && rejection !== null) {
    const { code, error, message } = rejection as { code?: unknown; error?: unknown; message?: unknown };
    const text = typeof error === 'string' ? error : typeof message === 'string' ? message : 'unknown error';
    return typeof code === 'string' ? { code, message: text } : { message: text };
  }
  return { message: typeof rejection === 'string' ? rejection : 'unknown error' };
}

function withoutCredentials(location: string): string {
  try {
    const url = new URL(location);
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return location;
  }
}
