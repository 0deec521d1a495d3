import { once } from 'node:events';
import { createServer } from 'node:http';

/** A loopback OAuth 2 token endpoint (client credentials) that counts what it issued. */
export interface TokenServer {
  tokenUrl: string;
  /** Tokens issued, in order. */
  issued: string[];
  /** Requests refused for bad credentials. */
  refused: number;
  close(): Promise<void>;
}

/**
 * Issues `token-1`, `token-2`, ... valid `expiresIn` seconds to the one
 * client it knows, taking credentials from the Basic header or the form
 * body as RFC 6749 §2.3.1 allows.
 */
export async function startTokenServer(client: { id: string; secret: string; expiresIn: number }): Promise<TokenServer> {
  const state: TokenServer = { tokenUrl: '', issued: [], refused: 0, close: async () => {} };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      let id = form.get('client_id');
      let secret = form.get('client_secret');
      const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '');
      if (basic) {
        const [user, pass] = Buffer.from(basic[1] as string, 'base64')
          .toString()
          .split(':');
        id = decodeURIComponent(user ?? '');
        secret = decodeURIComponent(pass ?? '');
      }
      response.setHeader('content-type', 'application/json');
      if (form.get('grant_type') !== 'client_credentials' || id !== client.id || secret !== client.secret) {
        state.refused++;
        response.writeHead(401);
        response.end(JSON.stringify({ error: 'invalid_client' }));
        return;
      }
      const token = `token-${state.issued.length + 1}`;
      state.issued.push(token);
      response.end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: client.expiresIn }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  state.tokenUrl = `http://127.0.0.1:${port}/oauth2/token`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
