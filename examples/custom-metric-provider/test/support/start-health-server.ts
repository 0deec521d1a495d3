import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback HTTP server answering with `answer(n, req)` for its n-th request (0-based); `hang` never answers. */
export async function startHealthServer(answer: (n: number, req: IncomingMessage) => number | 'hang') {
  let n = 0;
  const seen: IncomingMessage[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(req);
    const status = answer(n++, req);
    if (status === 'hang') return;
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 400 ? 'ok' : 'failing');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/healthz`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
