import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback server that misbehaves on purpose; every route is one way a server can attack or break a client. */
export interface HostileServer {
  /** `http://127.0.0.1:<port>`: a distinct origin per server. */
  url: string;
  /** Every request received, in order. */
  seen: SeenRequest[];
  /** Bytes of body written by the streaming routes (`/endless`, `/huge`), for proving the client stopped reading. */
  streamedBytes(): number;
  close(): Promise<void>;
}

/** What a route does with a request. */
export type Route = (request: SeenRequest, response: ServerResponse, server: { streamed: (bytes: number) => void }) => void;

const chunk = Buffer.alloc(64 * 1024, 'x');

/**
 * The routes (the first path segment picks one; the query string carries its settings):
 * - `/echo`: 200 JSON of the request (method, url, headers, body), as a debugging proxy answers;
 * - `/echo-text`: the same as plain text;
 * - `/redirect?to=<url>&status=<3xx>`: a redirect (to itself without `to`);
 * - `/endless`: a chunked body that never ends;
 * - `/huge?bytes=<n>` or `/huge/<n>`: a body of n bytes, generated while it is sent (never held in memory);
 * - `/drip`: one byte every 100 ms, forever;
 * - `/angles?status=<n>`: an HTML page of 100,000 `<`;
 * - `/malformed`: JSON cut off in the middle;
 * - `/json?body=<text>`: 200 with that text as an application/json body;
 * - anything else: a route given to `startHostileServer`, else 404.
 */
export async function startHostileServer(routes: Record<string, Route> = {}): Promise<HostileServer> {
  const seen: SeenRequest[] = [];
  let streamed = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (data: Buffer) => chunks.push(data));
    request.on('end', () => {
      const seenRequest: SeenRequest = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      seen.push(seenRequest);
      const url = new URL(seenRequest.url, 'http://localhost');
      // The first path segment picks the route, so `/endless/api/v1/query` (a Prometheus address of `/endless`) works too.
      const route = `/${url.pathname.split('/')[1] ?? ''}`;
      const own = routes[route];
      if (own) return own(seenRequest, response, { streamed: (bytes) => (streamed += bytes) });
      switch (route) {
        case '/echo':
          response.writeHead(200, { 'content-type': 'application/json' });
          return response.end(JSON.stringify(seenRequest));
        case '/echo-text':
          response.writeHead(200, { 'content-type': 'text/plain' });
          return response.end(
            `${seenRequest.method} ${seenRequest.url}\n${JSON.stringify(seenRequest.headers)}\n${seenRequest.body}`,
          );
        case '/redirect':
          // Without `to`, to itself: a loop.
          response.writeHead(Number(url.searchParams.get('status') ?? 302), {
            location: url.searchParams.get('to') ?? seenRequest.url,
          });
          return response.end();
        case '/endless':
        case '/huge': {
          // `/huge?bytes=n` or `/huge/n/...` (a Prometheus address keeps no query string).
          const size = url.searchParams.get('bytes') ?? url.pathname.split('/')[2];
          const total = route === '/huge' ? Number(size) : Number.POSITIVE_INFINITY;
          response.writeHead(200, { 'content-type': 'application/json' });
          let sent = 0;
          // Written as the client reads (backpressure): a client that stops reading stops the server.
          const pump = () => {
            while (sent < total && !response.destroyed) {
              const piece = total - sent >= chunk.length ? chunk : chunk.subarray(0, total - sent);
              sent += piece.length;
              streamed += piece.length;
              if (!response.write(piece)) return void response.once('drain', pump);
            }
            if (!response.destroyed) response.end();
          };
          response.write('"');
          return pump();
        }
        case '/drip': {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.write('[');
          const timer = setInterval(() => {
            if (response.destroyed) {
              clearInterval(timer);
              timers.delete(timer);
            } else response.write('1,');
          }, 100);
          timers.add(timer);
          return;
        }
        case '/angles':
          response.writeHead(Number(url.searchParams.get('status') ?? 500), { 'content-type': 'text/html' });
          return response.end('<'.repeat(100_000));
        case '/malformed':
          response.writeHead(200, { 'content-type': 'application/json' });
          return response.end('{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"0.5"');
        case '/json':
          response.writeHead(200, { 'content-type': 'application/json' });
          return response.end(url.searchParams.get('body') ?? '');
        default:
          response.writeHead(404, { 'content-type': 'text/plain' });
          return response.end('not found');
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    streamedBytes: () => streamed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearInterval(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
