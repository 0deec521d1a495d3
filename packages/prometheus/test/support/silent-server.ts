import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';

/** A loopback TCP server that accepts connections and never answers. */
export interface SilentServer {
  address: string;
  /** Connections accepted so far. */
  accepted(): number;
  /** Resolves when the next connection is accepted. */
  nextConnection(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a server that stands for a hung Prometheus (or a black-holing proxy). */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    address: `http://127.0.0.1:${port}`,
    accepted: () => sockets.length,
    nextConnection: async () => {
      await once(server, 'connection');
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
