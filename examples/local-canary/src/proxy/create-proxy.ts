import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyMetrics, type ProxyMetrics } from '../metrics/create-proxy-metrics.js';
import { chooseRoute, type RouteCounters } from './choose-route.js';
import { forwardedHeaders } from './forwarded-headers.js';
import type { ProxyBackend, RoutingTable } from './routing-table.js';
import { type GenerationTally, ServedTally } from './served-tally.js';

/** The proxy's control surface: what a TrafficRouter writes to and reads back. */
export interface ProxyDataPlane {
  /** The table requests are routed by now. */
  table(): RoutingTable;
  /** Routes every later request by `table` (its `generation` must be new). */
  install(table: RoutingTable): void;
}

export interface DemoProxy extends ProxyDataPlane {
  /** `http://127.0.0.1:<port>`; `/metrics` serves the counters in Prometheus' text format. */
  readonly url: string;
  readonly metrics: ProxyMetrics;
  /** Served requests by routing generation. */
  tally(): GenerationTally[];
  /** Resolves when no request (or mirrored copy) is in flight, so that counts are final. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Serves everything until a router installs another table. */
  stable: ProxyBackend;
  /** The revision `stable` runs, recorded in the initial state (so a router sees no change to make). */
  stableRevision?: string;
  /** Largest request body forwarded (mirroring buffers bodies); default 1 MiB. */
  maxBodyBytes?: number;
}

/** Response header naming the routing generation that served the request, so clients can attribute answers. */
export const generationHeader = 'x-demo-generation';

/**
 * A reverse proxy on a free loopback port, standing in for the Envoy
 * sidecar an Istio VirtualService programs: it routes each request by the
 * installed table (header routes, weighted split, mirrors), forwards it over
 * kept-alive connections, and counts what each version answered.
 * A mirrored copy goes to the canary with `-shadow` appended to its Host, as
 * Envoy does; its answer is read and discarded, the client gets stable's.
 */
export async function createProxy(options: ProxyOptions): Promise<DemoProxy> {
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const metrics = createProxyMetrics();
  const tally = new ServedTally();
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let table: RoutingTable = {
    generation: 0,
    state: {
      canaryWeight: 0,
      ...(options.stableRevision ? { stableRevision: options.stableRevision } : {}),
      headerRoutes: [],
      mirrorRoutes: [],
      experiments: [],
    },
    stable: options.stable,
  };
  let counters: RouteCounters = { weighted: 0, mirrored: {} };
  let inFlight = 0;
  const waiters: (() => void)[] = [];
  const begin = () => {
    inFlight++;
  };
  const end = () => {
    inFlight--;
    if (inFlight === 0) for (const wake of waiters.splice(0)) wake();
  };
  tally.open(0, table.state, { stable: options.stable.version });

  const forward = (
    backend: ProxyBackend,
    req: IncomingMessage,
    body: Buffer,
    host: string,
  ): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> =>
    new Promise((resolve) => {
      const target = new URL(req.url ?? '/', backend.url);
      const outgoing = httpRequest(
        target,
        { method: req.method, agent, headers: forwardedHeaders(req.headers, host, body.length) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', () => resolve({ status: 502, headers: {}, body: Buffer.from('upstream reset') }));
        },
      );
      // An unreachable version is a 502 from the proxy, counted as a failure of that version.
      outgoing.on('error', (error) =>
        resolve({ status: 502, headers: {}, body: Buffer.from(`upstream error: ${error.message}`) }),
      );
      outgoing.end(body);
    });

  const count = (backend: ProxyBackend, route: string, status: number) => {
    metrics.requests.inc({
      destination_service: backend.service,
      destination_version: backend.version,
      response_code: String(status),
      route,
    });
  };

  const serveMetrics = async (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(await metrics.registry.metrics());
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/metrics') return serveMetrics(res);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBodyBytes) {
        res.writeHead(413).end(`request body over ${maxBodyBytes} bytes`);
        return;
      }
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks);
    const current = table;
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : value]),
    );
    const decision = chooseRoute(current, { method: req.method ?? 'GET', path: req.url ?? '/', headers }, counters);
    const backend = decision.target === 'canary' && current.canary ? current.canary : current.stable;
    const host = req.headers.host ?? 'demo';
    const mirror = decision.mirror && current.canary ? current.canary : undefined;
    if (mirror) {
      // Fire and forget, as Envoy mirrors: the user's answer never waits for the shadow's.
      begin();
      void forward(mirror, req, body, `${host}-shadow`)
        .then((shadow) => {
          count(mirror, `mirror:${decision.mirror}`, shadow.status);
          tally.record(current.generation, mirror.version, 'mirrored', shadow.status >= 500);
        })
        .finally(end);
    }
    const answer = await forward(backend, req, body, host);
    count(backend, decision.route, answer.status);
    tally.record(
      current.generation,
      backend.version,
      decision.route === 'weighted' ? 'weighted' : 'header',
      answer.status >= 500,
    );
    const contentType = answer.headers['content-type'];
    res.writeHead(answer.status, {
      ...(contentType ? { 'content-type': contentType } : {}),
      [generationHeader]: String(current.generation),
    });
    res.end(answer.body);
  };

  const server = createServer((req, res) => {
    begin();
    handle(req, res)
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(`proxy error: ${error instanceof Error ? error.message : String(error)}`);
      })
      .finally(end);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    metrics,
    table: () => table,
    install(next) {
      if (next.generation <= table.generation) {
        throw new Error(`proxy: routing generation ${next.generation} is not newer than the installed ${table.generation}`);
      }
      table = next;
      counters = { weighted: 0, mirrored: {} };
      tally.open(next.generation, next.state, {
        stable: next.stable.version,
        ...(next.canary ? { canary: next.canary.version } : {}),
      });
    },
    tally: () => tally.snapshot(),
    settled: () =>
      inFlight === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            waiters.push(resolve);
          }),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
