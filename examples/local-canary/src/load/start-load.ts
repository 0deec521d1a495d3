import { setMaxListeners } from 'node:events';
import { Agent, type ClientRequest, get } from 'node:http';
import { CancelledError, type Clock } from '@gradual/core';
import { generationHeader } from '../proxy/create-proxy.js';

export interface LoadOptions {
  /** The proxy, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Requests started per second, across all workers. */
  ratePerSecond: number;
  /** Requests in flight at most. */
  concurrency: number;
  /** Hard bound: the generator stops after this many requests whatever happens. */
  maxRequests: number;
  /** Sent in turn as the `end-user` header (the seed's dark canary matches `end-user: Alexandra`). */
  users: readonly string[];
  clock: Clock;
  signal: AbortSignal;
}

/** What users saw while one routing generation served them. */
export interface AnswersSeen {
  /** Answers by the version named in their body (`v1`, `v2`), or `error` when the proxy failed. */
  byVersion: Record<string, number>;
  /** Answers with a 5xx status. */
  failed: number;
}

export interface LoadReport {
  sent: number;
  /** By routing generation (the proxy's `x-demo-generation` header), then by user. */
  answers: Record<number, Record<string, AnswersSeen>>;
}

export interface Load {
  /** Counts so far. */
  report(): LoadReport;
  /** Stops sending and resolves when the requests in flight have been answered. */
  stop(): Promise<LoadReport>;
  /** Resolves when the generator stops (stop(), the signal, or maxRequests). */
  readonly done: Promise<LoadReport>;
}

/**
 * A bounded load generator: `concurrency` workers share one schedule of
 * `ratePerSecond` requests, paced on the injected clock, through the proxy;
 * it records which version answered each user, per routing generation.
 */
export function startLoad(options: LoadOptions): Load {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const stopper = new AbortController();
  // Stopping ends the paced sleeps; requests in flight finish (only the caller's signal cuts them), so
  // that every request the proxy routed also got its answer recorded here.
  const signal = AbortSignal.any([options.signal, stopper.signal]);
  // Every request in flight and every paced sleep listens on these: more than Node's default of 10 is expected.
  setMaxListeners(4 * options.concurrency + 10, signal);
  // One listener for all requests in flight (Node's http client would add one per request to the caller's signal).
  const inFlight = new Set<ClientRequest>();
  const cancelAll = () => {
    for (const request of inFlight) request.destroy(new Error('load cancelled'));
  };
  options.signal.addEventListener('abort', cancelAll, { once: true });
  const report: LoadReport = { sent: 0, answers: {} };
  const started = options.clock.now();
  let issued = 0;

  const record = (generation: number, user: string, version: string, failed: boolean) => {
    const byUser = report.answers[generation] ?? {};
    report.answers[generation] = byUser;
    const seen = byUser[user] ?? { byVersion: {}, failed: 0 };
    byUser[user] = seen;
    seen.byVersion[version] = (seen.byVersion[version] ?? 0) + 1;
    if (failed) seen.failed++;
  };

  const send = (user: string) =>
    new Promise<void>((resolve) => {
      const request = get(`${options.url}/?user=${encodeURIComponent(user)}`, { agent, headers: { 'end-user': user } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const generation = Number(res.headers[generationHeader] ?? -1);
          let version = 'error';
          try {
            version = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { version?: string }).version ?? 'error';
          } catch {
            // Not JSON: the proxy answered for itself (502, 413); counted as `error`.
          }
          record(generation, user, version, (res.statusCode ?? 500) >= 500);
          resolve();
        });
        res.on('error', () => resolve());
      });
      inFlight.add(request);
      request.on('close', () => inFlight.delete(request));
      request.on('error', () => resolve());
      if (options.signal.aborted) request.destroy(new Error('load cancelled'));
    });

  const worker = async () => {
    while (!signal.aborted && issued < options.maxRequests) {
      const n = issued++;
      const due = started + (n * 1000) / options.ratePerSecond;
      const wait = due - options.clock.now();
      if (wait > 0) {
        try {
          await options.clock.sleep(wait, signal);
        } catch (error) {
          if (CancelledError.isCancellation(error)) break;
          throw error;
        }
      }
      report.sent++;
      await send(options.users[n % options.users.length] ?? 'anonymous');
    }
  };

  const done = Promise.all(Array.from({ length: options.concurrency }, worker)).then(() => {
    options.signal.removeEventListener('abort', cancelAll);
    agent.destroy();
    return structuredClone(report);
  });
  return {
    report: () => structuredClone(report),
    stop: () => {
      stopper.abort(new Error('load stopped'));
      return done;
    },
    done,
  };
}
