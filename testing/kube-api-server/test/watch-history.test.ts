import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { AppsV1Api, type V1ReplicaSet, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, replicaSet, waitFor } from './support/fixtures.js';

// Watch and list as informers need them: bookmarks, timeouts, compaction (410), resourceVersion on list, dropped watches.
let server: KubeApiServer;
let apps: AppsV1Api;
beforeAll(async () => {
  server = await startKubeApiServer({ bookmarkIntervalMs: 0 });
  apps = server.kubeConfig().makeApiClient(AppsV1Api);
});
afterAll(async () => {
  await server.close();
});

let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}`;
const rvOf = (object: unknown) => String((object as { metadata: { resourceVersion: string } }).metadata.resourceVersion);

interface Seen {
  type: string;
  object: Record<string, unknown>;
}
/** Opens a watch through client-node's Watch; collects events and how it ended. */
async function watch(server: KubeApiServer, path: string, params: Record<string, string | number | boolean | undefined>) {
  const seen: Seen[] = [];
  const ended: { error: unknown }[] = [];
  const controller = await new Watch(server.kubeConfig()).watch(
    path,
    params,
    (type, object: Record<string, unknown>) => seen.push({ type, object }),
    (error: unknown) => ended.push({ error }),
  );
  return { seen, ended, stop: () => controller.abort() };
}

describe('bookmarks', () => {
  it('bookmark() sends the current resourceVersion to watches that allowed bookmarks, and only to them', async () => {
    const namespace = unique('bm');
    const withBookmarks = await watch(server, `/apis/apps/v1/namespaces/${namespace}/replicasets`, { allowWatchBookmarks: true });
    const without = await watch(server, `/apis/apps/v1/namespaces/${namespace}/replicasets`, {});
    try {
      server.bookmark();
      const seeded = server.seed('replicasets', namespace, replicaSet(unique('rs')));
      server.bookmark();
      await waitFor(() => withBookmarks.seen.length >= 3 && without.seen.length >= 1);
      expect(withBookmarks.seen.map((e) => e.type)).toEqual(['BOOKMARK', 'ADDED', 'BOOKMARK']);
      expect(withBookmarks.seen[2]!.object).toEqual({
        kind: 'ReplicaSet',
        apiVersion: 'apps/v1',
        metadata: { resourceVersion: rvOf(seeded) },
      });
      expect(Number(rvOf(withBookmarks.seen[0]!.object))).toBe(Number(rvOf(seeded)) - 1);
      expect(without.seen.map((e) => e.type)).toEqual(['ADDED']);
    } finally {
      withBookmarks.stop();
      without.stop();
    }
  });

  it('a server with bookmarkIntervalMs sends them on its own timer', async () => {
    const ticking = await startKubeApiServer({ bookmarkIntervalMs: 10 });
    try {
      const open = await watch(ticking, '/apis/apps/v1/replicasets', { allowWatchBookmarks: 'true' });
      await waitFor(() => open.seen.some((e) => e.type === 'BOOKMARK'));
      open.stop();
    } finally {
      await ticking.close();
    }
  });
});

describe('ending a watch', () => {
  it('timeoutSeconds ends the watch cleanly, as kube-apiserver does', async () => {
    const open = await watch(server, '/apis/apps/v1/namespaces/t/replicasets', { timeoutSeconds: 1 });
    await waitFor(() => open.ended.length === 1, 10_000);
    expect(open.ended).toEqual([{ error: null }]);
  });

  it('dropWatches ends every open watch cleanly; the client sees the end, not an error', async () => {
    const first = await watch(server, '/apis/apps/v1/namespaces/d/replicasets', {});
    const second = await watch(server, '/apis/apps/v1/replicasets', { labelSelector: 'x=y' });
    await waitFor(() => server.watches >= 2);
    server.dropWatches();
    await waitFor(() => first.ended.length === 1 && second.ended.length === 1);
    expect([...first.ended, ...second.ended]).toEqual([{ error: null }, { error: null }]);
    expect(server.watches).toBe(0);
  });

  it('dropWatches({ abrupt: true }) resets the connection: the client sees an error, not a clean end', async () => {
    const open = await watch(server, '/apis/apps/v1/namespaces/abrupt/replicasets', {});
    await waitFor(() => server.watches >= 1);
    const abandoned = server.abandoned;
    server.dropWatches({ abrupt: true });
    await waitFor(() => open.ended.length === 1);
    expect(open.ended[0]!.error).toBeInstanceOf(Error);
    // The server cut it: not counted as a client that gave up.
    expect(server.abandoned).toBe(abandoned);
  });

  it('an injected fault answers the watch request itself (500 here)', async () => {
    server.inject({ fault: { kind: 'status', code: 500 }, verbs: ['watch'], plural: 'replicasets' });
    const open = await watch(server, '/apis/apps/v1/namespaces/f/replicasets', {});
    await waitFor(() => open.ended.length === 1);
    expect(open.ended[0]!.error).toMatchObject({ statusCode: 500 });
  });
});

describe('history, compaction and 410 Gone', () => {
  it('a watch from a resourceVersion replays what followed it; after compact(), an older one gets ERROR 410 Expired', async () => {
    const namespace = unique('history');
    const name = unique('rs');
    const before = server.seed('replicasets', namespace, replicaSet(name));
    const edited = server.edit('replicasets', namespace, name, (o) => {
      (o.spec as { replicas: number }).replicas = 5;
    });
    const replay = await watch(server, `/apis/apps/v1/namespaces/${namespace}/replicasets`, { resourceVersion: rvOf(before) });
    await waitFor(() => replay.seen.length === 1);
    expect(replay.seen.map((e) => [e.type, rvOf(e.object)])).toEqual([['MODIFIED', rvOf(edited)]]);
    replay.stop();

    server.compact();
    const expired = await watch(server, `/apis/apps/v1/namespaces/${namespace}/replicasets`, { resourceVersion: rvOf(before) });
    await waitFor(() => expired.ended.length === 1);
    expect(expired.seen).toEqual([
      {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: `too old resource version: ${rvOf(before)} (${rvOf(edited)})`,
          reason: 'Expired',
          code: 410,
        },
      },
    ]);
    expect(expired.ended).toEqual([{ error: null }]);

    // From the compaction point on, history is served again.
    const fresh = await watch(server, `/apis/apps/v1/namespaces/${namespace}/replicasets`, { resourceVersion: rvOf(edited) });
    try {
      const deleted = await apps.deleteNamespacedReplicaSet({ name, namespace });
      expect(deleted).toBeDefined();
      await waitFor(() => fresh.seen.length === 1);
      expect(fresh.seen[0]!.type).toBe('DELETED');
      // A DELETED event carries the resourceVersion of the deletion, so a resumed watch does not see it twice.
      expect(Number(rvOf(fresh.seen[0]!.object))).toBeGreaterThan(Number(rvOf(edited)));
    } finally {
      fresh.stop();
    }
  });

  it('list: resourceVersion and resourceVersionMatch as kube-apiserver serves them', async () => {
    const namespace = unique('listrv');
    const kept = unique('kept');
    const gone = unique('gone');
    server.seed('replicasets', namespace, replicaSet(kept));
    const atStart = rvOf(server.seed('replicasets', namespace, replicaSet(gone)));
    server.edit('replicasets', namespace, kept, (o) => {
      (o.spec as { replicas: number }).replicas = 9;
    });
    await apps.deleteNamespacedReplicaSet({ name: gone, namespace });

    const current = await apps.listNamespacedReplicaSet({ namespace });
    expect(current.items.map((i) => [i.metadata?.name, i.spec?.replicas])).toEqual([[kept, 9]]);
    const any = await apps.listNamespacedReplicaSet({ namespace, resourceVersion: '0' });
    expect(any.metadata?.resourceVersion).toBe(current.metadata?.resourceVersion);
    const notOlder = await apps.listNamespacedReplicaSet({
      namespace,
      resourceVersion: atStart,
      resourceVersionMatch: 'NotOlderThan',
    });
    expect(notOlder.items).toHaveLength(1);

    // Exact: the state as it was at that revision.
    const exact = await apps.listNamespacedReplicaSet({ namespace, resourceVersion: atStart, resourceVersionMatch: 'Exact' });
    expect(exact.metadata?.resourceVersion).toBe(atStart);
    expect(exact.items.map((i) => [i.metadata?.name, i.spec?.replicas]).sort()).toEqual([
      [gone, 3],
      [kept, 3],
    ]);

    const future = await failure(
      apps.listNamespacedReplicaSet({ namespace, resourceVersion: String(Number(current.metadata?.resourceVersion) + 100) }),
    );
    expect(future).toMatchObject({ code: 504, body: { reason: 'Timeout' } });
    const noVersion = await failure(apps.listNamespacedReplicaSet({ namespace, resourceVersionMatch: 'Exact' }));
    expect(noVersion).toMatchObject({ code: 400, body: { reason: 'BadRequest' } });

    server.compact();
    const tooOld = await failure(
      apps.listNamespacedReplicaSet({ namespace, resourceVersion: atStart, resourceVersionMatch: 'Exact' }),
    );
    expect(tooOld).toMatchObject({
      code: 410,
      body: { reason: 'Expired', message: 'The resourceVersion for the provided list is too old.' },
    });
    // Exact at the compaction point itself: read from the snapshot.
    const atCompaction = await apps.listNamespacedReplicaSet({
      namespace,
      resourceVersion: current.metadata!.resourceVersion!,
      resourceVersionMatch: 'Exact',
    });
    expect(atCompaction.items.map((i) => i.metadata?.name)).toEqual([kept]);
  });

  it('a watch with no resourceVersion, or "0", starts with the current state as ADDED events', async () => {
    const namespace = unique('initial');
    server.seed('replicasets', namespace, replicaSet('one'));
    for (const resourceVersion of [undefined, '0']) {
      const open = await watch(server, `/apis/apps/v1/namespaces/${namespace}/replicasets`, { resourceVersion });
      await waitFor(() => open.seen.length === 1);
      expect(open.seen.map((e) => [e.type, (e.object as unknown as V1ReplicaSet).metadata?.name])).toEqual([['ADDED', 'one']]);
      open.stop();
    }
  });
});

describe('pages', () => {
  it('limit and continue page through one snapshot, sorted by name, whatever changes in between', async () => {
    const namespace = unique('pages');
    for (const name of ['e', 'b', 'd', 'a', 'c']) server.seed('replicasets', namespace, replicaSet(name));
    const first = await apps.listNamespacedReplicaSet({ namespace, limit: 2 });
    expect(first.items.map((i) => i.metadata?.name)).toEqual(['a', 'b']);
    expect(first.metadata?.remainingItemCount).toBe(3);
    // Changes after the first page are not in the next ones: a consistent list.
    server.remove('replicasets', namespace, 'c');
    server.seed('replicasets', namespace, replicaSet('bb'));
    const second = await apps.listNamespacedReplicaSet({ namespace, limit: 2, _continue: first.metadata!._continue! });
    expect(second.items.map((i) => i.metadata?.name)).toEqual(['c', 'd']);
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    const last = await apps.listNamespacedReplicaSet({ namespace, limit: 2, _continue: second.metadata!._continue! });
    expect(last.items.map((i) => i.metadata?.name)).toEqual(['e']);
    expect(last.metadata?._continue).toBeUndefined();

    const selected = await apps.listNamespacedReplicaSet({ namespace, limit: 1, labelSelector: 'missing!=x' });
    expect(selected.metadata?.remainingItemCount).toBeUndefined();
    expect(selected.metadata?._continue).toBeDefined();

    server.compact();
    const stale = await failure(apps.listNamespacedReplicaSet({ namespace, limit: 2, _continue: first.metadata!._continue! }));
    expect(stale).toMatchObject({ code: 410, body: { reason: 'Expired' } });
    const garbage = await failure(apps.listNamespacedReplicaSet({ namespace, limit: 2, _continue: 'not-a-token' }));
    expect(garbage).toMatchObject({ code: 400, body: { reason: 'BadRequest' } });
  });
});
