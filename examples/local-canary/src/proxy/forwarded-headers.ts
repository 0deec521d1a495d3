import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

// RFC 9110 §7.6.1: these describe one connection, not the message; a proxy must not forward them.
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * The headers the proxy sends upstream: the client's, without hop-by-hop
 * headers (and those the client's `Connection` header names), with the given
 * Host and the length of the buffered body. Forwarding `transfer-encoding:
 * chunked` next to a `content-length` would be a malformed request (Node
 * answers it with 400).
 */
export function forwardedHeaders(headers: IncomingHttpHeaders, host: string, bodyLength: number): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((token) => token.trim().toLowerCase())
      .filter(Boolean),
  );
  const forwarded: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || hopByHop.has(name) || name.startsWith('proxy-') || named.has(name)) continue;
    forwarded[name] = value;
  }
  forwarded.host = host;
  forwarded['content-length'] = String(bodyLength);
  return forwarded;
}
