import { type KubeApiServer, startKubeApiServer } from '@gradual/kube-api-test-server';
import { AppsV1Api, ListWatch, type V1ReplicaSet, Watch } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { replicaSet, waitFor } from './support/fixtures.js';

// A real client-node informer (ListWatch: list, then watch from the list's resourceVersion, re-watch from
// the last event's on a clean end, re-list after a 410) over ReplicaSets, through every path the server offers.
let server: KubeApiServer;
beforeAll(async () => {
  server = await startKubeApiServer({ bookmarkIntervalMs: 0 });
});
afterAll(async () => {
  await server.close();
});

it('a client-node informer sees every change exactly once, in order, through a dropped watch, a bookmark and a 410', async () => {
  const namespace = 'informed';
  const apps = server.kubeConfig().makeApiClient(AppsV1Api);
  const replicas = (name: string, count: number) =>
    server.edit('replicasets', namespace, name, (o) => {
      (o.spec as { replicas: number }).replicas = count;
    });
  const elsewhere = (name: string) => server.seed('replicasets', 'elsewhere', replicaSet(name));
  const lists = () => server.requests.filter((r) => r.verb === 'list' && r.namespace === namespace).length;
  let ticks = 0;
  /** Advances the server's revision outside the informer's namespace; returns it. */
  const revision = () => String((elsewhere(`tick-${++ticks}`).metadata as { resourceVersion: string }).resourceVersion);

  // makeInformer's Watch does not ask for bookmarks; an informer that wants them passes the parameter, as here.
  const real = new Watch(server.kubeConfig());
  const bookmarking = {
    watch: (
      path: string,
      params: Record<string, string | number | boolean | undefined>,
      ...rest: Parameters<Watch['watch']> extends [unknown, unknown, ...infer R] ? R : never
    ) => real.watch(path, { ...params, allowWatchBookmarks: true }, ...rest),
  } as unknown as Watch;
  const informer = new ListWatch<V1ReplicaSet>(
    `/apis/apps/v1/namespaces/${namespace}/replicasets`,
    bookmarking,
    () => apps.listNamespacedReplicaSet({ namespace }),
    false,
  );
  const log: string[] = [];
  const record = (verb: string) => (object: V1ReplicaSet) =>
    log.push(`${verb} ${object.metadata?.name} ${object.spec?.replicas}`);
  informer.on('add', record('add'));
  informer.on('update', record('update'));
  informer.on('delete', record('delete'));
  informer.on('error', (error: unknown) => log.push(`error ${String(error)}`));

  server.seed('replicasets', namespace, replicaSet('a'));
  await informer.start();
  try {
    // List, then watch.
    await waitFor(() => server.watches === 1);
    server.seed('replicasets', namespace, replicaSet('b'));
    replicas('a', 4);
    await waitFor(() => log.length === 3);

    // A dropped watch: the informer re-watches from its last resourceVersion; what happened meanwhile arrives once.
    server.dropWatches();
    replicas('b', 5);
    await waitFor(() => log.length === 4 && server.watches === 1);
    expect(lists()).toBe(1);

    // A bookmark moves the informer's resourceVersion past changes it does not watch, so a compaction
    // there does not force a re-list when the watch drops again.
    const now = revision();
    server.bookmark();
    await waitFor(() => informer.latestResourceVersion() === now);
    server.compact();
    server.dropWatches();
    await waitFor(() => server.watches === 1);
    replicas('a', 6);
    await waitFor(() => log.length === 5);
    expect(lists()).toBe(1);

    // A 410: the watch drops, changes happen, history is compacted; the re-watch gets ERROR 410 and the informer re-lists.
    server.dropWatches();
    replicas('a', 7);
    server.remove('replicasets', namespace, 'b');
    server.seed('replicasets', namespace, replicaSet('c'));
    revision();
    server.compact();
    await waitFor(() => log.length === 8 && server.watches === 1);
    expect(lists()).toBe(2);
    replicas('c', 2);
    await waitFor(() => log.length === 9);

    expect(log).toEqual([
      'add a 3',
      'add b 3',
      'update a 4',
      'update b 5',
      'update a 6',
      // The re-list: deletions first, then the listed items that changed or are new.
      'delete b 5',
      'update a 7',
      'add c 3',
      'update c 2',
    ]);
    expect(informer.list().map((o) => `${o.metadata?.name} ${o.spec?.replicas}`)).toEqual(['a 7', 'c 2']);
  } finally {
    await informer.stop();
  }
});
