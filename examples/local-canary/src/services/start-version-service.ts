import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Settings of one version of the demo service. */
export interface VersionServiceOptions {
  /** Shown in every answer, e.g. `v1`. */
  version: string;
  /** Share of requests (0–1) answered with 500, spread evenly; 0 by default. */
  failShare?: number;
}

/** What one version has received, as the service itself counts it (not the proxy). */
export interface VersionServiceCounts {
  total: number;
  /** Requests whose Host ends in `-shadow`: copies sent by a mirror route, as Envoy marks them. */
  mirrored: number;
  failed: number;
}

export interface VersionService {
  readonly version: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  counts(): VersionServiceCounts;
  close(): Promise<void>;
}

/**
 * One version of the service under rollout, on a free loopback port. It
 * answers `{"version":"v2"}`; with `failShare` it fails that share of
 * requests with 500, evenly (every n-th), so that a short run fails as
 * reliably as a long one.
 */
export async function startVersionService(options: VersionServiceOptions): Promise<VersionService> {
  const failShare = Math.min(1, Math.max(0, options.failShare ?? 0));
  const counts: VersionServiceCounts = { total: 0, mirrored: 0, failed: 0 };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const n = counts.total++;
      if ((req.headers.host ?? '').endsWith('-shadow')) counts.mirrored++;
      // Fails request n when the running failure quota crosses an integer: exactly `failShare` of every window.
      const fail = Math.floor((n + 1) * failShare) > Math.floor(n * failShare);
      if (fail) counts.failed++;
      res.writeHead(fail ? 500 : 200, { 'content-type': 'application/json', 'x-version': options.version });
      res.end(JSON.stringify({ version: options.version, ok: !fail }));
    });
  };
  const server = createServer(handle);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    version: options.version,
    url: `http://127.0.0.1:${port}`,
    counts: () => ({ ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
