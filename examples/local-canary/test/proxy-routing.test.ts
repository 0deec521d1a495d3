import { request } from 'node:http';
import { systemClock, type TrafficState } from '@gradual/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { get, startRoutingFixture } from './support/start-routing-fixture.js';

const base: TrafficState = {
  canaryWeight: 0,
  stableRevision: 'rev-stable',
  canaryRevision: 'rev-canary',
  headerRoutes: [],
  mirrorRoutes: [],
  experiments: [],
};
const call = () => ({ signal: new AbortController().signal, clock: systemClock });

let fixture: Awaited<ReturnType<typeof startRoutingFixture>>;
afterEach(async () => {
  await fixture?.close();
});

describe('requests through the proxy follow what the router applied', () => {
  it('splits live requests by weight, to within one request', async () => {
    fixture = await startRoutingFixture();
    await fixture.router.apply({ ...base, canaryWeight: 30 }, call());
    const versions: string[] = [];
    for (let i = 0; i < 100; i++) versions.push((await get(fixture.proxy.url)).version);
    expect(versions.filter((v) => v === 'v2')).toHaveLength(30);
    // What each service counted agrees with the proxy.
    expect(fixture.v2.counts().total).toBe(30);
    expect(fixture.v1.counts().total).toBe(70);
  });

  it('dark canary (slide 16): requests with end-user: Alexandra reach v2 only, the others v1 only', async () => {
    fixture = await startRoutingFixture();
    await fixture.router.apply(
      {
        ...base,
        headerRoutes: [{ name: 'alexandra', match: [{ headerName: 'end-user', headerValue: { exact: 'Alexandra' } }] }],
      },
      call(),
    );
    const alexandra = new Set<string>();
    const others = new Set<string>();
    for (let i = 0; i < 40; i++) {
      alexandra.add((await get(fixture.proxy.url, { 'end-user': 'Alexandra' })).version);
      others.add((await get(fixture.proxy.url, { 'end-user': i % 2 ? 'Bob' : 'alexandra' })).version);
    }
    expect([...alexandra]).toEqual(['v2']);
    expect([...others]).toEqual(['v1']);
    expect(fixture.v2.counts().total).toBe(40);
  });

  it('shadow (slide 15): mirrored requests reach v2 while users get v1 answers, even when v2 fails', async () => {
    fixture = await startRoutingFixture({ failShare: 1 });
    await fixture.router.apply(
      { ...base, mirrorRoutes: [{ name: 'mirror', percentage: 100, match: [{ method: { exact: 'GET' } }] }] },
      call(),
    );
    const answers: { version: string; status: number }[] = [];
    for (let i = 0; i < 40; i++) answers.push(await get(fixture.proxy.url));
    expect(answers.every((a) => a.version === 'v1' && a.status === 200)).toBe(true);
    // Copies are fire-and-forget, as in Envoy: wait (bounded) for the last ones to land.
    await vi.waitFor(() => expect(fixture.v2.counts().mirrored).toBe(40), { timeout: 5_000, interval: 20 });
    expect(fixture.v2.counts()).toEqual({ total: 40, mirrored: 40, failed: 40 });
    expect(fixture.v1.counts().total).toBe(40);
  });

  it('mirrors the given percentage of matching requests only', async () => {
    fixture = await startRoutingFixture();
    await fixture.router.apply(
      { ...base, mirrorRoutes: [{ name: 'posts', percentage: 50, match: [{ method: { exact: 'POST' } }] }] },
      call(),
    );
    for (let i = 0; i < 10; i++) await get(fixture.proxy.url);
    for (let i = 0; i < 10; i++) {
      const response = await fetch(fixture.proxy.url, { method: 'POST', body: 'x', signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
    }
    await vi.waitFor(() => expect(fixture.v2.counts().mirrored).toBe(5), { timeout: 5_000, interval: 20 });
    expect(fixture.v2.counts().total).toBe(5);
  });

  it('forwards a chunked POST (and its mirrored copy): hop-by-hop headers are not forwarded', async () => {
    fixture = await startRoutingFixture();
    await fixture.router.apply(
      { ...base, mirrorRoutes: [{ name: 'posts', percentage: 100, match: [{ method: { exact: 'POST' } }] }] },
      call(),
    );
    // No content-length: Node sends `transfer-encoding: chunked`, as curl does for a streamed body.
    const status = await new Promise<number>((resolve, reject) => {
      const post = request(fixture.proxy.url, { method: 'POST' }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      post.on('error', reject);
      post.write('first chunk,');
      post.end('second chunk');
    });
    expect(status).toBe(200);
    expect(fixture.v1.counts().total).toBe(1);
    await vi.waitFor(() => expect(fixture.v2.counts().mirrored).toBe(1), { timeout: 5_000, interval: 20 });
    expect(fixture.v2.counts().failed).toBe(0);
  });

  it('evaluates header and mirror routes in managedRoutes order: an earlier mirror route beats a header route', async () => {
    fixture = await startRoutingFixture({ managedRoutes: ['shadow', 'alexandra'] });
    await fixture.router.apply(
      {
        ...base,
        headerRoutes: [{ name: 'alexandra', match: [{ headerName: 'end-user', headerValue: { exact: 'Alexandra' } }] }],
        mirrorRoutes: [{ name: 'shadow', percentage: 100, match: [{ method: { exact: 'GET' } }] }],
      },
      call(),
    );
    for (let i = 0; i < 5; i++) expect((await get(fixture.proxy.url, { 'end-user': 'Alexandra' })).version).toBe('v1');
    await vi.waitFor(() => expect(fixture.v2.counts().mirrored).toBe(5), { timeout: 5_000, interval: 20 });
    expect(fixture.v2.counts().total).toBe(5);
  });

  it('promotion by revision sends everything to v2 through the stable destination', async () => {
    fixture = await startRoutingFixture();
    await fixture.router.apply({ ...base, canaryWeight: 0, stableRevision: 'rev-canary' }, call());
    for (let i = 0; i < 10; i++) expect((await get(fixture.proxy.url)).version).toBe('v2');
  });

  it('refuses an unknown revision and leaves the proxy as it was', async () => {
    fixture = await startRoutingFixture();
    await expect(fixture.router.apply({ ...base, canaryWeight: 50, canaryRevision: 'rev-other' }, call())).rejects.toThrow(
      /no backend serves canary revision "rev-other"/,
    );
    expect(fixture.proxy.table().generation).toBe(0);
    expect((await get(fixture.proxy.url)).version).toBe('v1');
  });

  it('refuses experiment traffic rather than dropping it', async () => {
    fixture = await startRoutingFixture();
    await expect(
      fixture.router.apply({ ...base, experiments: [{ name: 'baseline', weight: 5, revision: 'rev-stable' }] }, call()),
    ).rejects.toThrow(/experiment traffic is not supported/);
  });
});
