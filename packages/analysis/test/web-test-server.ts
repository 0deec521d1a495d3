import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What the test server saw of the last request. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP(S) server on loopback with the routes the web-provider tests need. */
export interface WebTestServer {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

function handler(seen: SeenRequest[]) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      const json = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(value));
      };
      const path = (request.url ?? '').split('?')[0];
      switch (path) {
        case '/ok':
          return json(200, { data: { ok: true, rate: '0.97', values: [0.97, 0.99], name: 'checkout' } });
        case '/echo':
          return json(200, {
            method: request.method,
            body,
            auth: request.headers['authorization'] ?? null,
            token: request.headers['x-token'] ?? null,
            type: request.headers['content-type'] ?? null,
          });
        case '/error':
          return json(500, { error: 'internal' });
        case '/echo-text':
          // Like an error page or a proxy that prints the request it got.
          response.writeHead(200, { 'content-type': 'text/plain' });
          return response.end(`you sent: ${request.headers['authorization'] ?? ''}`);
        case '/not-json':
          response.writeHead(200, { 'content-type': 'text/plain' });
          return response.end('hello');
        case '/big':
          response.writeHead(200, { 'content-type': 'application/json' });
          return response.end(`"${'x'.repeat(64 * 1024)}"`);
        case '/slow':
          // Never answers; the client must give up.
          return;
        default:
          if (path?.startsWith('/echo-path/')) return json(200, { path });
          return json(404, { error: 'not found' });
      }
    });
  };
}

function listen(
  server: Server,
  scheme: 'http' | 'https',
  seen: SeenRequest[],
  cleanup: () => void = () => {},
): Promise<WebTestServer> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `${scheme}://127.0.0.1:${port}`,
        seen,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => {
              cleanup();
              done();
            });
          }),
      });
    });
  });
}

/** Starts the plain HTTP test server. */
export function startHttpServer(): Promise<WebTestServer> {
  const seen: SeenRequest[] = [];
  return listen(createHttpServer(handler(seen)), 'http', seen);
}

/** Whether the system's openssl is there to make a self-signed certificate. */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Starts an HTTPS test server with a fresh self-signed certificate (made with the system's openssl). */
export function startHttpsServer(): Promise<WebTestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'gradual-web-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'],
    { stdio: 'ignore' },
  );
  const seen: SeenRequest[] = [];
  const server = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, handler(seen));
  return listen(server, 'https', seen, () => rmSync(dir, { recursive: true, force: true }));
}
