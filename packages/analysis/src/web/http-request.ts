import { request as httpsRequest } from 'node:https';

/** One HTTP exchange, whatever carried it. */
export interface HttpResponse {
  status: number;
  body: string;
}

/** What to send. */
export interface HttpRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  insecure: boolean;
  signal: AbortSignal;
  maxBytes: number;
}

/**
 * Sends a request with Node's fetch; `insecure` HTTPS goes through
 * `node:https` instead, the one way to skip certificate checks without
 * bundling undici. Bodies larger than `maxBytes` are refused.
 */
export async function httpRequest(input: HttpRequest): Promise<HttpResponse> {
  if (input.insecure && input.url.protocol === 'https:') return insecureRequest(input);
  const response = await fetch(input.url, {
    method: input.method,
    headers: input.headers,
    ...(input.body === undefined ? {} : { body: input.body }),
    signal: input.signal,
    redirect: 'follow',
  });
  return { status: response.status, body: await readLimited(response, input.maxBytes) };
}

async function readLimited(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new Error(`response body is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function insecureRequest(input: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const request = httpsRequest(
      input.url,
      { method: input.method, headers: input.headers, rejectUnauthorized: false, signal: input.signal },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.byteLength;
          if (size > input.maxBytes) {
            request.destroy(new Error(`response body is larger than ${input.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    if (input.body !== undefined) request.write(input.body);
    request.end();
  });
}
