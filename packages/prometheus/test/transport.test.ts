// The node:http transport (issue 13 replaced prometheus-query's axios with it): every content encoding
// Prometheus or a proxy may send is decoded, and the size cap holds on the decompressed size, inline
// (small compressed bodies) and on the thread pool (large ones). Each row's source: what the transport
// must handle (Prometheus gzips when asked; proxies may use deflate or br), and the cap's contract
// (`maxResponseBytes`, counted after decompression).
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import { type CallOptions, GradualError } from '@gradual/core';
import { createFakeClock } from '@gradual/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPrometheusProvider } from '../src/index.js';
import { FIXED_ANCHOR, prometheusMetric } from './support/known-series.js';

const call = (): CallOptions => ({
  signal: new AbortController().signal,
  clock: createFakeClock({ start: FIXED_ANCHOR * 1000 }),
});
const vector = (values: number[]) =>
  JSON.stringify({
    status: 'success',
    data: {
      resultType: 'vector',
      result: values.map((value, i) => ({ metric: { i: String(i) }, value: [FIXED_ANCHOR, String(value)] })),
    },
  });
const encoders: Record<string, (body: Buffer) => Buffer> = {
  gzip: gzipSync,
  deflate: deflateSync,
  br: (body) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } }),
};

let server: Server;
let address = '';
const seenAcceptEncoding: string[] = [];
const seenUrls: string[] = [];
beforeAll(async () => {
  server = createServer((request, response) => {
    seenAcceptEncoding.push(String(request.headers['accept-encoding']));
    seenUrls.push(request.url ?? '');
    const [, kind, encoding] = new URL(request.url ?? '/', 'http://x').pathname.split('/');
    // /small/<enc>: one series; /large/<enc>: 20,000 series (compressed well above 64 KiB);
    // /bomb/<enc>: 30 MB of spaces before a valid body (compresses to a few KB).
    const text =
      kind === 'small'
        ? vector([0.99])
        : kind === 'large'
          ? vector(Array.from({ length: 20_000 }, (_, i) => i + Math.random()))
          : `${' '.repeat(30 * 1024 * 1024)}${vector([1])}`;
    const encode = encoding ? encoders[encoding] : undefined;
    const body = encode ? encode(Buffer.from(text)) : Buffer.from(text);
    response.writeHead(200, { 'content-type': 'application/json', ...(encode ? { 'content-encoding': encoding } : {}) });
    response.end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  address = `http://127.0.0.1:${port}`;
});
afterAll(() => server.close());

describe('the node:http transport', () => {
  const provider = createPrometheusProvider({ env: {} });
  afterAll(() => provider.close());

  it.each(['none', 'gzip', 'deflate', 'br'])('decodes a small answer with content-encoding %s', async (encoding) => {
    const measurement = await provider.measure(
      prometheusMetric({ address: `${address}/small/${encoding}`, query: 'up' }),
      call(),
    );
    expect(measurement.value).toEqual([0.99]);
  });

  it.each(['gzip', 'br'])('decodes a large %s answer off the event loop (over 64 KiB compressed)', async (encoding) => {
    const measurement = await provider.measure(
      prometheusMetric({ address: `${address}/large/${encoding}`, query: 'up' }),
      call(),
    );
    expect((measurement.value as number[]).length).toBe(20_000);
  });

  // The request line is written without a URL object since issue 13: it must be what the URL wrote before.
  it('sends the parameters as a URL wrote them, on the path of the address', async () => {
    const query = `sum(rate(x{a=~"b c|d!'~*",e="ü 😀"}[5m])) / 2`;
    await provider.measure(prometheusMetric({ address: `${address}/small/none//`, query, timeout: 7 }), call());
    expect(seenUrls.at(-1)).toBe(
      `/small/none/api/v1/query?${new URLSearchParams({ query, time: String(FIXED_ANCHOR), timeout: '7s' })}`,
    );
    const rangeQuery = { start: 'now() - duration("1m")', end: 'now()', step: '30s' };
    await provider.measure(prometheusMetric({ address: `${address}/small/none`, query, rangeQuery }), call());
    const range = { start: String(FIXED_ANCHOR - 60), end: String(FIXED_ANCHOR), step: '30', timeout: '30s' };
    expect(seenUrls.at(-1)).toBe(`/small/none/api/v1/query_range?${new URLSearchParams({ query, ...range })}`);
  });

  // The query's deadline is watched from a shared sweep since issue 13 (watchInFlight): it must not outlive
  // the query, answered or failed, nor keep a timer per query.
  it('leaves no timer and no watch behind when the query ends, answered or failed', async () => {
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    const cleared = vi.spyOn(globalThis, 'clearInterval');
    try {
      await provider.measure(prometheusMetric({ address: `${address}/small/gzip`, query: 'up' }), call());
      await provider
        .measure(prometheusMetric({ address: 'http://127.0.0.1:1', query: 'up' }), call())
        .catch((error: unknown) => error);
      expect(setTimer.mock.calls.filter(([, ms]) => ms === 30_000)).toEqual([]);
      // Nothing left in flight: the next sweep finds no watch and stops the interval.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(cleared).toHaveBeenCalled();
    } finally {
      setTimer.mockRestore();
      cleared.mockRestore();
    }
  });

  it('asks for compression', () => {
    expect(seenAcceptEncoding.at(-1)).toBe('gzip, deflate, br');
  });

  it.each(['gzip', 'deflate', 'br', 'none'])('stops a %s answer that decompresses past maxResponseBytes', async (encoding) => {
    const capped = createPrometheusProvider({ env: {}, maxResponseBytes: 1024 * 1024 });
    const error = await capped.measure(prometheusMetric({ address: `${address}/bomb/${encoding}`, query: 'up' }), call()).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    capped.close();
    expect(GradualError.isInstance(error)).toBe(true);
    expect((error as GradualError).code).toBe('PROMETHEUS_RESPONSE_TOO_LARGE');
    expect((error as GradualError).message).toContain('larger than 1048576 bytes');
  });
});
