import { type Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { type Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { brotliDecompress, brotliDecompressSync, gunzip, gunzipSync, inflate, inflateSync } from 'node:zlib';
import { watchInFlight } from './watch-in-flight.js';

/** Where queries go: the parts of the endpoint `http.request` takes, read once when the address is resolved. */
export interface PrometheusTarget {
  https: boolean;
  /** Without an IPv6 address' brackets, as `http.request` takes it. */
  hostname: string;
  /** Empty for the scheme's default port. */
  port: string;
  /** The endpoint's path, percent-encoded as a URL writes it, without trailing slashes (empty at the root). */
  basePath: string;
}

/** One query to send. Times are epoch milliseconds. */
export interface PrometheusQueryRequest {
  target: PrometheusTarget;
  headers: Record<string, string>;
  query: string;
  /** Evaluation time of an instant query. */
  time: number;
  /** Present for `query_range`. */
  range?: { start: number; end: number; stepSeconds: number } | undefined;
  /**
   * Wall-clock limit of the query, and Prometheus' own evaluation `timeout`, so the server stops working
   * when we stop waiting. Past it the request is destroyed and the outcome is `timeout`.
   */
  timeoutSeconds: number;
  agents: { http: HttpAgent; https: HttpsAgent };
  /** Largest body read, in bytes, counted as it streams in (after decompression). */
  maxResponseBytes: number;
  /** The caller's signal: when it fires the request is destroyed and the outcome is a failure with its reason. */
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

/** What happened: an answer (of any status), a failure before one arrived, or no answer within the timeout. */
export type PrometheusQueryOutcome =
  | { kind: 'answer'; answer: PrometheusHttpAnswer }
  | { kind: 'failure'; code?: string | undefined; message: string }
  | { kind: 'timeout' };

/** The failure code of an answer whose body went past `maxResponseBytes`. */
export const RESPONSE_TOO_LARGE = 'RESPONSE_TOO_LARGE';

/**
 * Sends one query (`GET {endpoint}/api/v1/query` or `query_range`, the
 * parameters prometheus-query sends) with `node:http` and reports what
 * happened without judging it: an answer of any status with its body (JSON
 * when it parses, else the text), a failure with the network stack's code,
 * or a timeout when no whole answer came within `timeoutSeconds` (wall time).
 *
 * Why not prometheus-query (the design's choice, used until issue 13): its
 * axios stack cost 3–4x the CPU of a plain request per query (axios config
 * merging, an interceptor chain, a stream pipeline per body, a driver per
 * call to carry the signal), about 1 ms per measurement, a whole core at
 * 10,000 rollouts measured every 10 s. We used none of its result parsing
 * (our conversion keeps NaN/±Inf as Argo does), and had to work around its
 * timeout, its redirects and its error objects. What it did for us is this
 * request, done here with the same keep-alive agents, signal, size cap (on the
 * decompressed size too) and decompression (gzip, deflate, br).
 */
export function queryPrometheus(request: PrometheusQueryRequest): Promise<PrometheusQueryOutcome> {
  const { range, target, signal } = request;
  const timeout = `${request.timeoutSeconds}s`;
  // The parameters in prometheus-query's order, on the endpoint's own path: no URL object per query (parsing
  // one, setting its search and turning it back into options cost more than the rest of this function).
  const params: Record<string, string> = range
    ? { query: request.query, start: seconds(range.start), end: seconds(range.end), step: String(range.stepSeconds), timeout }
    : { query: request.query, time: seconds(request.time), timeout };
  const search = new URLSearchParams(params).toString();
  const options = {
    method: 'GET',
    hostname: target.hostname,
    ...(target.port ? { port: target.port } : {}),
    path: `${target.basePath}/api/v1/${range ? 'query_range' : 'query'}?${search}`,
    agent: target.https ? request.agents.https : request.agents.http,
    headers: { accept: 'application/json, text/plain, */*', 'accept-encoding': 'gzip, deflate, br', ...request.headers },
  };
  return new Promise((resolve) => {
    let settled = false;
    let release = () => {};
    const settle = (outcome: PrometheusQueryOutcome) => {
      if (settled) return;
      settled = true;
      release();
      resolve(outcome);
    };
    const fail = (error: unknown) => settle({ kind: 'failure', ...describeError(error) });
    const tooLarge = () =>
      settle({ kind: 'failure', code: RESPONSE_TOO_LARGE, message: `the body is larger than ${request.maxResponseBytes} bytes` });
    const onResponse = (response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      const headers = response.headers;
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > request.maxResponseBytes) {
          // Stops reading past the cap instead of buffering whatever a server sends.
          tooLarge();
          response.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('end', () => {
        const answer = (raw: Buffer) => {
          const location = headers.location;
          settle({
            kind: 'answer',
            answer: {
              status,
              contentType: String(headers['content-type'] ?? ''),
              // Redirects are reported, not followed: following one could carry credentials to another host.
              ...(typeof location === 'string' ? { location: withoutCredentials(location) } : {}),
              body: parseBody(raw.toString('utf8')),
            },
          });
        };
        const raw = Buffer.concat(chunks);
        const decompress = decoderOf(headers['content-encoding']);
        // One call on the whole body: a stream pipeline per answer cost more CPU than the request itself.
        // maxOutputLength keeps the cap on the decompressed size (a small bomb stops there).
        const done = (error: Error | null, body: Buffer) => {
          if (!error) answer(body);
          else if ((error as { code?: string | undefined }).code === 'ERR_BUFFER_TOO_LARGE') tooLarge();
          else fail(error);
        };
        if (!decompress || raw.length === 0) answer(raw);
        // A small body inline (a handle and a thread-pool round trip cost more than it), a large one off the loop.
        else if (raw.length <= INLINE_DECOMPRESS_BYTES) {
          let body: Buffer;
          try {
            body = decompress.sync(raw, { maxOutputLength: request.maxResponseBytes });
          } catch (error) {
            done(error as Error, Buffer.alloc(0));
            return;
          }
          done(null, body);
        } else decompress.async(raw, { maxOutputLength: request.maxResponseBytes }, done);
      });
    };
    if (signal.aborted) {
      fail(signal.reason);
      return;
    }
    try {
      const sent = (target.https ? httpsRequest : httpRequest)(options, onResponse);
      sent.on('error', fail);
      // One shared sweep watches the caller's signal and the deadline (watchInFlight says why), not http's
      // `signal` option (it also registers end-of-stream watchers on the request, a tenth of its CPU), nor
      // a signal made per query for the timeout (an AbortController and a link to the caller's signal).
      // Destroying the request ends the socket and any body read.
      release = watchInFlight({
        signal,
        timeoutMs: request.timeoutSeconds * 1000,
        onAbort: () => {
          fail(signal.reason);
          sent.destroy();
        },
        onTimeout: () => {
          settle({ kind: 'timeout' });
          sent.destroy();
        },
      });
      sent.end();
    } catch (error) {
      fail(error);
    }
  });
}

/** Epoch milliseconds as Prometheus' seconds (`1700000000.5`). */
function seconds(ms: number): string {
  return String(ms / 1000);
}

/** Compressed bodies up to this size are decompressed in one synchronous call (well under a millisecond). */
const INLINE_DECOMPRESS_BYTES = 64 * 1024;

interface Decompress {
  sync: (raw: Buffer, options: { maxOutputLength: number }) => Buffer;
  async: (raw: Buffer, options: { maxOutputLength: number }, done: (error: Error | null, body: Buffer) => void) => void;
}

const gzipDecoder: Decompress = { sync: gunzipSync, async: gunzip };
const deflateDecoder: Decompress = { sync: inflateSync, async: inflate };
const brotliDecoder: Decompress = { sync: brotliDecompressSync, async: brotliDecompress };

function decoderOf(contentEncoding: string | undefined): Decompress | undefined {
  if (contentEncoding === undefined) return undefined;
  const encoding = contentEncoding.toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return gzipDecoder;
  if (encoding === 'deflate') return deflateDecoder;
  if (encoding === 'br') return brotliDecoder;
  return undefined;
}

// JSON when it parses (Prometheus' API, also on errors); the text otherwise (a proxy's HTML page).
function parseBody(text: string): unknown {
  if (text === '') return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeError(error: unknown): { code?: string | undefined; message: string } {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : 'unknown error';
    return typeof code === 'string' ? { code, message: text } : { message: text };
  }
  return { message: typeof error === 'string' ? error : 'unknown error' };
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
