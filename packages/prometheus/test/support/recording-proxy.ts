import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type ServerResponse } from 'node:http';

/** A canned answer the proxy gives instead of forwarding. */
export interface CannedAnswer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

/** How the proxy behaves; every field may be changed between requests. */
export interface ProxyBehaviour {
  /** Answer without asking Prometheus (an HTML error page, a 503...). */
  answer?: CannedAnswer;
  /** Only forward requests whose Authorization header is exactly this; others get 401. */
  requireAuthorization?: string;
  /** Rewrite Prometheus' JSON answer before passing it on (e.g. add warnings). */
  rewrite?: (body: Record<string, unknown>) => Record<string, unknown>;
}

/** A reverse proxy on loopback in front of a real Prometheus, recording every request's headers. */
export interface RecordingProxy {
  address: string;
  requests: { method: string; url: string; headers: IncomingHttpHeaders }[];
  behaviour: ProxyBehaviour;
  close(): Promise<void>;
}

/**
 * Starts the proxy. It stands in for what sits between an SDK and
 * Prometheus in real clusters (an auth gateway, an ingress serving an HTML
 * error page); the queries themselves are answered by the real server.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const proxy: RecordingProxy = { address: '', requests: [], behaviour: {}, close: async () => {} };
  const server = createServer((incoming, outgoing) => {
    proxy.requests.push({ method: incoming.method ?? '', url: incoming.url ?? '', headers: incoming.headers });
    const { answer, requireAuthorization, rewrite } = proxy.behaviour;
    if (answer) return send(outgoing, answer);
    if (requireAuthorization !== undefined && incoming.headers.authorization !== requireAuthorization)
      return send(outgoing, { status: 401, contentType: 'text/plain', body: 'Unauthorized\n' });
    const upstream = httpRequest(
      new URL(incoming.url ?? '/', target),
      { method: incoming.method, headers: { ...incoming.headers, host: new URL(target).host, 'accept-encoding': 'identity' } },
      (reply) => {
        const chunks: Buffer[] = [];
        reply.on('data', (chunk: Buffer) => chunks.push(chunk));
        reply.on('end', () => {
          let body = Buffer.concat(chunks).toString();
          if (rewrite) body = JSON.stringify(rewrite(JSON.parse(body)));
          send(outgoing, { status: reply.statusCode ?? 502, contentType: String(reply.headers['content-type'] ?? ''), body });
        });
      },
    );
    upstream.on('error', (error) => send(outgoing, { status: 502, contentType: 'text/plain', body: error.message }));
    incoming.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  proxy.address = `http://127.0.0.1:${port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}

function send(outgoing: ServerResponse, answer: CannedAnswer): void {
  outgoing.writeHead(answer.status, { ...answer.headers, 'content-type': answer.contentType });
  outgoing.end(answer.body);
}
