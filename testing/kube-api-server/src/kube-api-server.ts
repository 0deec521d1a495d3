/**
 * A Kubernetes API server for tests (the private package `@gradual/kube-api-test-server`,
 * shared by every package and `integration/`), over real HTTPS on 127.0.0.1 with a
 * self-signed certificate, so the real `@kubernetes/client-node` talks to it as to a cluster.
 * It behaves like kube-apiserver for what it covers; what it does not cover, it says below.
 *
 * Resources (anything else: 404):
 * - `gateway.networking.k8s.io` v1 (and v1beta1) `httproutes`, v1 (and v1alpha2) `grpcroutes`;
 *   `networking.istio.io` v1alpha3, v1beta1, v1 `virtualservices`, `destinationrules` (one
 *   storage, every version served, `apiVersion` follows the URL); writes validated against
 *   the CRD schemas (@kubernetes-models) with 422 `Invalid` and field causes;
 * - core v1 `services`, `events`, `configmaps`, `pods` (with status; no kubelet runs them); apps/v1 `replicasets`, `deployments`; batch/v1
 *   `jobs`; coordination.k8s.io/v1 `leases`; argoproj.io/v1alpha1 `rollouts`,
 *   `analysistemplates`, `analysisruns`: stored as sent (Lease MicroTimes, Event
 *   `involvedObject` untouched), only an object `spec` required where the kind has one.
 *
 * Verbs: get, list (`kind: ...List`, list `resourceVersion`), create (409 AlreadyExists), replace
 * (409 Conflict on a stale `metadata.resourceVersion`, unconditional without one or with "",
 * 404 when absent, 400 on a name or apiVersion/kind mismatch), delete, merge patch, JSON patch
 * (a failed `test` is 422), strategic merge patch refused with 415 as for custom resources;
 * list and watch per namespace and across all namespaces (`/apis/{g}/{v}/{plural}`,
 * `/api/v1/{plural}`; other verbs there: 405). A write that changes nothing is a no-op (same
 * resourceVersion, no event). `resourceVersion` from one global counter; `generation` bumped on
 * spec changes only; `uid`, `creationTimestamp`. Errors are `Status` objects worded as
 * kube-apiserver words them; 401 without the bearer token.
 *
 * - `status` subresource for replicasets, deployments, jobs, rollouts: create resets status
 *   (`{}` for built-in kinds, dropped for the Rollout CRD), main-resource writes keep the stored
 *   status, `.../status` writes (PUT, merge/JSON patch) change only status (resourceVersion
 *   bumped, generation not).
 * - `labelSelector` (`=`, `==`, `!=`, `in`, `notin`, `k`, `!k`; 400 when malformed) and
 *   `fieldSelector` (`metadata.name`, `metadata.namespace`; Events also `involvedObject.*`,
 *   `reason`, `type`...; 400 "field label not supported") on list and watch; a watch turns an
 *   object entering / leaving the selection into ADDED / DELETED, as the watch cache does.
 * - Watch: from `resourceVersion` (replayed history), none or "0" (synthetic ADDED of the
 *   current state); `allowWatchBookmarks=true` → BOOKMARK events every `bookmarkIntervalMs`
 *   and on `bookmark()`; `timeoutSeconds`; a resourceVersion older than the last `compact()` →
 *   one `ERROR` event with a 410 `Expired` Status, as kube-apiserver sends it. `dropWatches()`
 *   ends every watch. List: `resourceVersion` + `resourceVersionMatch` (NotOlderThan, Exact —
 *   the state at that revision, 410 before the compaction; 504 for a future one); pages with
 *   `limit` and `continue` (one snapshot, `remainingItemCount`); items sorted by namespace/name.
 * - Garbage collection of dependents (ownerReferences by uid) on delete: Background (default),
 *   Foreground, Orphan, all carried out at once.
 * - No kubelet and no controllers: no Deployment, ReplicaSet or Job controller runs. Tests set
 *   status themselves (`edit`, `/status` writes); `setAvailable` / `autoAvailable` set a
 *   ReplicaSet's status as the controller and kubelet would, as envtest users do.
 * - Hooks: `inject` queues faults for matching requests (by verb, name, plural, subresource:
 *   409 conflicts that also bump the stored object as a concurrent writer would, any status
 *   such as 500/503/422/403, latency, a request that hangs until the client gives up, a dropped
 *   connection, a reply lost after the write was committed); `forbid` answers 403 for a verb;
 *   `requests` logs every call; `edit` changes objects behind the client's back (drift).
 *
 * Not covered: admission webhooks and defaulting (no `spec.replicas: 1` filled in), server-side
 * apply, `dryRun`, finalizers and `deletionTimestamp`,
 * `sendInitialEvents`, discovery (`/apis`), protobuf, RBAC beyond `forbid`, `limit` on watch.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { canonical } from './canonical-json.js';
import { type FieldRequirement, matchesFieldSelector, parseFieldSelector } from './field-selector.js';
import { type JsonPatchOperation, jsonPatch } from './json-patch.js';
import { type LabelRequirement, matchesLabelSelector, parseLabelSelector } from './label-selector.js';
import { mergePatch } from './merge-patch.js';
import { selfSignedCertificate } from './self-signed-certificate.js';
import { apiVersionOf, kinds } from './served-kinds.js';

type Json = Record<string, unknown>;

/** A list continue token: the snapshot's revision and the last key served. */
const encodeContinue = (position: { rv: number; start: string }) => Buffer.from(JSON.stringify(position)).toString('base64url');
const decodeContinue = (token: string): { rv: number; start: string } | undefined => {
  try {
    const position = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { rv?: unknown; start?: unknown };
    return typeof position.rv === 'number' && typeof position.start === 'string'
      ? { rv: position.rv, start: position.start }
      : undefined;
  } catch {
    return undefined;
  }
};

interface StoredEvent {
  rv: number;
  type: string;
  plural: string;
  namespace: string;
  object: Json;
  /** The object before a MODIFIED, so a selector can turn it into ADDED or DELETED. */
  previous?: Json;
}
interface Watcher {
  plural: string;
  /** '' watches every namespace. */
  namespace: string;
  res: ServerResponse;
  version: string;
  selector: LabelRequirement[];
  fields: FieldRequirement[];
  /** Asked for `allowWatchBookmarks=true`. */
  bookmarks: boolean;
}
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete';

/** A fault for the next matching requests. */
export type Fault =
  | { kind: 'status'; code: number; reason?: string; message?: string }
  /** 409 after a concurrent writer changed the object (`edit`, or only its resourceVersion). */
  | { kind: 'conflict'; edit?: (object: Json) => void }
  | { kind: 'delay'; ms: number }
  | { kind: 'hang' }
  | { kind: 'drop' }
  /** The request is carried out (a write is committed), then the connection drops before the answer. */
  | { kind: 'lose-reply' };

export interface Injection {
  fault: Fault;
  /** Verbs this applies to; when absent, the write verbs for `conflict` (a 409 only answers writes), else all. */
  verbs?: Verb[];
  /** Object name this applies to; all when absent. */
  name?: string;
  /** Resource (plural) this applies to; all when absent. */
  plural?: string;
  /** `'status'`: only requests on the status subresource; `''`: only the main resource; both when absent. */
  subresource?: 'status' | '';
  /** How many requests it hits; default 1. */
  times?: number;
}

export interface LoggedRequest {
  verb: Verb;
  method: string;
  path: string;
  plural: string;
  namespace: string;
  name?: string;
  contentType?: string;
  /** `status` for a request on the status subresource. */
  subresource?: string;
  /** The query string, e.g. `?propagationPolicy=Background` ('' when none). */
  query: string;
  status: number;
}

const token = 'gradual-test-token';

export interface KubeApiServer {
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  /** A KubeConfig for the real client: this server, its CA, a bearer token. */
  kubeConfig(options?: { namespace?: string }): KubeConfig;
  /** Stores an object as `kubectl apply` would create it (resourceVersion assigned). Returns the stored copy. */
  seed(plural: string, namespace: string, object: Json | object): Json;
  /** The stored object, or undefined. */
  get(plural: string, namespace: string, name: string): Json | undefined;
  /** Changes a stored object behind the clients' back (a person with kubectl); bumps resourceVersion. */
  edit(plural: string, namespace: string, name: string, change: (object: Json) => void): Json;
  /** Deletes a stored object behind the clients' back (`kubectl delete`), dependents collected as for a DELETE. */
  remove(
    plural: string,
    namespace: string,
    name: string,
    options?: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan' | undefined },
  ): void;
  /**
   * Sets a ReplicaSet's status as a kubelet and the ReplicaSet controller would (none run here):
   * `replicas` and `fullyLabeledReplicas` = spec.replicas, `readyReplicas` and `availableReplicas` =
   * `available` (default: all), `observedGeneration` = generation. Bumps resourceVersion (a MODIFIED event).
   */
  setAvailable(namespace: string, name: string, available?: number): Json;
  inject(injection: Injection): void;
  /** Answers 403 to this verb on this resource until `allow`. */
  forbid(verb: Verb, plural: string): void;
  allow(): void;
  readonly requests: LoggedRequest[];
  /** Writes (create, update, patch, delete) that the server accepted. */
  acceptedWrites(name?: string): number;
  /** Requests whose client went away before the answer (aborted, timed out). */
  readonly abandoned: number;
  /** Sends a BOOKMARK (the current resourceVersion) now to every watch that asked for bookmarks. */
  bookmark(): void;
  /**
   * Forgets the change history up to now, as etcd compaction does: a watch from an older
   * resourceVersion gets a `410 Expired` ERROR event, an exact list at one a 410 answer.
   */
  compact(): void;
  /**
   * Ends every open watch connection (a client must re-watch, from its last resourceVersion):
   * cleanly, as kube-apiserver does when a watch times out, or with `abrupt`, by resetting the
   * connection as a crashed server or a load balancer would.
   */
  dropWatches(options?: { abrupt?: boolean | undefined }): void;
  /** Open watch connections. */
  readonly watches: number;
  close(): Promise<void>;
}

/** Options of {@link startKubeApiServer}. */
export interface KubeApiServerOptions {
  /**
   * Every ReplicaSet reports all its replicas available right after each write of its spec
   * (create, or a change that bumps generation), as if a kubelet had started them at once.
   */
  autoAvailable?: boolean | undefined;
  /** Wall-time period of BOOKMARK events to watches that allow them (kube-apiserver: about a minute); 0: only `bookmark()`. Default 1000. */
  bookmarkIntervalMs?: number | undefined;
}

/** Starts a server on a free port of 127.0.0.1. */
export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  const { cert, key } = selfSignedCertificate();
  const store = new Map<string, Json>();
  const events: StoredEvent[] = [];
  const watchers = new Set<Watcher>();
  const sockets = new Set<Socket>();
  const injections: (Required<Omit<Injection, 'plural' | 'subresource'>> & Pick<Injection, 'plural' | 'subresource'>)[] = [];
  const forbidden = new Set<string>();
  const requests: LoggedRequest[] = [];
  let abandoned = 0;
  let revision = 1000;
  // History before `compacted` is gone; `snapshot` is the store as it was then (for exact lists).
  let compacted = 0;
  let snapshot = new Map<string, Json>();
  const hanging = new Set<ServerResponse>();
  // Watches this server cut itself: their clients did not go away.
  const cut = new WeakSet<ServerResponse>();
  const delays = new Set<() => void>();

  const keyOf = (plural: string, namespace: string, name: string) => `${plural}/${namespace}/${name}`;
  const stamp = (object: Json, plural: string, previous?: Json) => {
    const metadata = (object.metadata ?? {}) as Json;
    const before = (previous?.metadata ?? {}) as Json;
    revision++;
    const specChanged = !previous || JSON.stringify(previous.spec) !== JSON.stringify(object.spec);
    object.metadata = {
      ...metadata,
      uid: before.uid ?? randomUUID(),
      creationTimestamp: before.creationTimestamp ?? '2026-01-01T00:00:00Z',
      resourceVersion: String(revision),
      generation: specChanged ? Number(before.generation ?? 0) + 1 : before.generation,
    };
    object.kind = kinds[plural]!.kind;
    return object;
  };
  /** Sets a ReplicaSet's status as its controller and kubelet would: `available` of its spec's replicas (default all). */
  const makeAvailable = (namespace: string, name: string, available?: number) => {
    const stored = store.get(keyOf('replicasets', namespace, name));
    if (!stored) throw new Error(`no replicasets ${namespace}/${name}`);
    const previous = structuredClone(stored);
    const replicas = Number((stored.spec as Json | undefined)?.replicas ?? 1);
    const ready = Math.min(available ?? replicas, replicas);
    stored.status = {
      ...((stored.status as Json | undefined) ?? {}),
      replicas,
      fullyLabeledReplicas: replicas,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: (stored.metadata as Json).generation,
    };
    stamp(stored, 'replicasets', previous);
    notify('MODIFIED', 'replicasets', namespace, stored, previous);
    return structuredClone(stored);
  };
  const notify = (type: string, plural: string, namespace: string, object: Json, previous?: Json) => {
    const event: StoredEvent = {
      rv: revision,
      type,
      plural,
      namespace,
      object: structuredClone(object),
      ...(previous ? { previous: structuredClone(previous) } : {}),
    };
    events.push(event);
    for (const watcher of watchers) sendEvent(watcher, event);
  };
  /** Writes an event to a watcher as kube-apiserver's watch cache would, selector applied. */
  const sendEvent = (watcher: Watcher, event: StoredEvent) => {
    if (watcher.plural !== event.plural || (watcher.namespace !== '' && watcher.namespace !== event.namespace)) return;
    const passes = (object: Json | undefined) =>
      object !== undefined &&
      matchesLabelSelector(watcher.selector, (object.metadata as Json | undefined)?.labels as Record<string, string>) &&
      matchesFieldSelector(watcher.fields, event.plural, object);
    const now = passes(event.object);
    let type = event.type;
    let object = event.object;
    if (type === 'MODIFIED' && event.previous) {
      const before = passes(event.previous);
      if (!now && !before) return;
      if (now && !before) type = 'ADDED';
      if (!now && before) {
        // An object leaving the selection is a DELETED of its previous content at the new resourceVersion.
        type = 'DELETED';
        object = {
          ...event.previous,
          metadata: { ...(event.previous.metadata as Json), resourceVersion: (event.object.metadata as Json).resourceVersion },
        };
      }
    } else if (!now) {
      return;
    }
    watcher.res.write(
      `${JSON.stringify({ type, object: { ...object, apiVersion: apiVersionOf(event.plural, watcher.version) } })}\n`,
    );
  };

  /**
   * The store a list reads, with its resourceVersion: current for no resourceVersion, "0" and
   * NotOlderThan; for Exact, the state at that revision, rebuilt from the compaction snapshot and
   * the history since (410 before the compaction), as etcd serves it.
   */
  const listAt = (
    from: string,
    match: string,
  ): { state: Map<string, Json>; revision: number } | { code: number; reason: string; message: string } => {
    if (match !== '' && match !== 'Exact' && match !== 'NotOlderThan')
      return {
        code: 400,
        reason: 'BadRequest',
        message: `resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`,
      };
    if (match !== '' && from === '')
      return {
        code: 400,
        reason: 'BadRequest',
        message: 'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      };
    if (match === 'Exact' && from === '0')
      return {
        code: 400,
        reason: 'BadRequest',
        message: 'resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
      };
    const at = Number(from);
    if (from !== '' && at > revision)
      return {
        code: 504,
        reason: 'Timeout',
        message: `Timeout: Too large resource version: ${at}, current: ${revision}`,
      };
    if (match !== 'Exact' || at === revision) return { state: store, revision };
    if (at < compacted) return { code: 410, reason: 'Expired', message: 'The resourceVersion for the provided list is too old.' };
    const state = new Map(snapshot);
    for (const event of events) {
      if (event.rv > at) break;
      const key = keyOf(event.plural, event.namespace, String((event.object.metadata as Json).name));
      if (event.type === 'DELETED') state.delete(key);
      else state.set(key, event.object);
    }
    return { state, revision: at };
  };

  /**
   * Deletes an object and, as the garbage collector would, its dependents (objects whose
   * ownerReferences name its uid), transitively: Background deletes the owner first, Foreground
   * the dependents first (the collector finishes at once here), Orphan drops the references.
   * Each deletion has its own resourceVersion and DELETED event, carrying that resourceVersion.
   */
  const removeWithDependents = (key: string, policy: 'Background' | 'Foreground' | 'Orphan') => {
    const owner = store.get(key);
    if (!owner) return;
    const uid = (owner.metadata as Json).uid;
    const dependents = [...store.entries()]
      .filter(([, object]) =>
        ((object.metadata as Json).ownerReferences as { uid?: unknown }[] | undefined)?.some((r) => r.uid === uid),
      )
      .map(([k]) => k);
    const deleteOne = () => {
      store.delete(key);
      revision++;
      const [plural, namespace] = key.split('/') as [string, string];
      const gone = { ...owner, metadata: { ...(owner.metadata as Json), resourceVersion: String(revision) } };
      notify('DELETED', plural, namespace, gone);
    };
    if (policy === 'Foreground') for (const dependent of dependents) removeWithDependents(dependent, 'Foreground');
    deleteOne();
    if (policy === 'Background') for (const dependent of dependents) removeWithDependents(dependent, 'Background');
    if (policy === 'Orphan') {
      for (const dependent of dependents) {
        const stored = store.get(dependent)!;
        const previous = structuredClone(stored);
        const metadata = stored.metadata as Json;
        const kept = (metadata.ownerReferences as { uid?: unknown }[]).filter((r) => r.uid !== uid);
        if (kept.length > 0) metadata.ownerReferences = kept;
        else delete metadata.ownerReferences;
        const [plural, namespace] = dependent.split('/') as [string, string];
        stamp(stored, plural, previous);
        notify('MODIFIED', plural, namespace, stored, previous);
      }
    }
  };

  const bookmark = () => {
    for (const watcher of watchers) {
      if (!watcher.bookmarks) continue;
      const object = {
        kind: kinds[watcher.plural]!.kind,
        apiVersion: apiVersionOf(watcher.plural, watcher.version),
        metadata: { resourceVersion: String(revision) },
      };
      watcher.res.write(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
    }
  };
  // A real timer: the server stands in for another process, whose clock is the wall clock.
  const bookmarkEvery = options.bookmarkIntervalMs ?? 1000;
  const bookmarkTimer = bookmarkEvery > 0 ? setInterval(bookmark, bookmarkEvery).unref() : undefined;

  const status = (res: ServerResponse, code: number, reason: string, message: string, details?: Json) => {
    const body = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason,
      ...(details ? { details } : {}),
      code,
    };
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
    return code;
  };

  const validate = (plural: string, object: Json): string[] => {
    const { model: Model, modelVersion, specless } = kinds[plural]!;
    if (specless) return [];
    if (!Model) return typeof object.spec === 'object' && object.spec !== null ? [] : ['spec: Required value'];
    try {
      new Model({ ...object, apiVersion: modelVersion }).validate();
      return [];
    } catch (error) {
      const errors = (error as { errors?: { instancePath: string; message: string }[] }).errors;
      if (!errors) return [String(error)];
      return errors.map(
        (e) =>
          `${e.instancePath
            .slice(1)
            .replace(/\/(\d+)/g, '[$1]')
            .replace(/\//g, '.')}: Invalid value: ${e.message}`,
      );
    }
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let data = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        data += chunk;
      });
      req.on('end', () => resolve(data));
      req.on('error', reject);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    // Namespaced paths, then the all-namespaces list/watch paths (namespace '').
    const match =
      url.pathname.match(/^\/apis\/([^/]+)\/([^/]+)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/) ??
      url.pathname.match(/^\/api\/()(v1)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/) ??
      url.pathname.match(/^\/apis\/([^/]+)\/([^/]+)\/()([^/]+)$/) ??
      url.pathname.match(/^\/api\/()(v1)\/()([^/]+)$/);
    const method = req.method ?? 'GET';
    if (req.headers.authorization !== `Bearer ${token}`) {
      status(res, 401, 'Unauthorized', 'Unauthorized');
      return;
    }
    const served = match && Object.hasOwn(kinds, match[4]!) ? kinds[match[4]!] : undefined;
    const subresource = match?.[6];
    if (
      !match ||
      !served ||
      match[1] !== served.group ||
      !served.versions.includes(match[2]!) ||
      (subresource !== undefined && (subresource !== 'status' || !served.status))
    ) {
      status(res, 404, 'NotFound', 'the server could not find the requested resource');
      return;
    }
    const [, , version, namespace, plural, name] = match as unknown as [
      string,
      string,
      string,
      string,
      string,
      string | undefined,
    ];
    if (namespace === '' && method !== 'GET') {
      status(res, 405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
      return;
    }
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const verb: Verb =
      method === 'GET'
        ? name
          ? 'get'
          : watch
            ? 'watch'
            : 'list'
        : method === 'POST'
          ? 'create'
          : method === 'PUT'
            ? 'update'
            : method === 'PATCH'
              ? 'patch'
              : method === 'DELETE'
                ? 'delete'
                : 'get';
    const log: LoggedRequest = {
      verb,
      method,
      path: url.pathname,
      query: url.search,
      plural,
      namespace,
      status: 0,
      ...(name ? { name } : {}),
      ...(subresource ? { subresource } : {}),
    };
    if (req.headers['content-type']) log.contentType = String(req.headers['content-type']);
    requests.push(log);
    const { group } = served;
    const resource = group === '' ? plural : `${plural}.${group}`;
    const apiVersion = apiVersionOf(plural, version);
    const { kind } = kinds[plural]!;
    const body = method === 'GET' ? '' : await readBody(req);

    if (forbidden.has(`${verb} ${plural}`)) {
      log.status = status(
        res,
        403,
        'Forbidden',
        `${resource}${name ? ` "${name}"` : ''} is forbidden: User "system:serviceaccount:${namespace}:gradual" cannot ${verb} resource "${plural}" in API group "${group}" in the namespace "${namespace}"`,
        { ...(name ? { name } : {}), group, kind: plural },
      );
      return;
    }
    const index = injections.findIndex(
      (i) =>
        i.verbs.includes(verb) &&
        (i.name === '' || i.name === name) &&
        (i.plural === undefined || i.plural === plural) &&
        (i.subresource === undefined || i.subresource === (subresource ?? '')),
    );
    let loseReply = false;
    if (index >= 0) {
      const injection = injections[index]!;
      if (--injection.times <= 0) injections.splice(index, 1);
      const fault = injection.fault;
      if (fault.kind === 'drop') {
        req.socket.destroy();
        log.status = -1;
        return;
      }
      loseReply = fault.kind === 'lose-reply';
      if (fault.kind === 'hang') {
        hanging.add(res);
        log.status = -2;
        return;
      }
      if (fault.kind === 'delay') {
        // Ends early when the client goes away or the server closes, so no timer outlives a test.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, fault.ms);
          delays.add(done);
          res.on('close', done);
          function done() {
            clearTimeout(timer);
            delays.delete(done);
            resolve();
          }
        });
      }
      if (fault.kind === 'status') {
        log.status = status(
          res,
          fault.code,
          fault.reason ?? 'InternalError',
          fault.message ?? `Internal error occurred: injected ${fault.code}`,
        );
        return;
      }
      if (fault.kind === 'conflict' && name) {
        // A concurrent writer got there first: the stored object moves on, so the client's resourceVersion is stale.
        const stored = store.get(keyOf(plural, namespace, name));
        if (stored) {
          const previous = structuredClone(stored);
          fault.edit?.(stored);
          stamp(stored, plural, previous);
          notify('MODIFIED', plural, namespace, stored, previous);
        }
        log.status = conflict(res, resource, name, group);
        return;
      }
    }
    if (res.destroyed) return;

    const key = name ? keyOf(plural, namespace, name) : '';
    const existing = name ? store.get(key) : undefined;
    const send = (code: number, object: Json) => {
      if (loseReply) {
        // Done and committed, but the client never hears of it.
        log.status = code;
        req.socket.destroy();
        return;
      }
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...object, apiVersion }));
      log.status = code;
    };
    const notFound = () => {
      log.status = status(res, 404, 'NotFound', `${resource} "${name}" not found`, { name, group, kind: plural });
    };
    const invalid = (object: Json, problems: string[]) => {
      log.status = status(
        res,
        422,
        'Invalid',
        `${group === '' ? kind : `${kind}.${group}`} "${String((object.metadata as Json | undefined)?.name ?? name)}" is invalid: ${problems.join(', ')}`,
        {
          name: (object.metadata as Json | undefined)?.name ?? name,
          group,
          kind,
          causes: problems.map((message) => ({ reason: 'FieldValueInvalid', message })),
        },
      );
    };
    let parsed: unknown;
    if (body) {
      try {
        parsed = JSON.parse(body);
      } catch {
        log.status = status(res, 400, 'BadRequest', 'the request body is not valid JSON');
        return;
      }
    }

    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && (verb === 'create' || verb === 'update')) {
      const sent = parsed as Json;
      // kube-apiserver refuses a body whose apiVersion/kind is not the endpoint's (400 BadRequest).
      if ((sent.apiVersion !== undefined && sent.apiVersion !== apiVersion) || (sent.kind !== undefined && sent.kind !== kind)) {
        log.status = status(
          res,
          400,
          'BadRequest',
          `the API version in the data (${String(sent.apiVersion)}) does not match the expected API version (${apiVersion})`,
        );
        return;
      }
    }

    switch (verb) {
      case 'get':
        if (!existing) return notFound();
        return send(200, existing);
      case 'list':
      case 'watch': {
        let selector: LabelRequirement[];
        let fields: FieldRequirement[];
        try {
          selector = parseLabelSelector(url.searchParams.get('labelSelector') ?? '');
          fields = parseFieldSelector(url.searchParams.get('fieldSelector') ?? '', plural);
        } catch (error) {
          log.status = status(res, 400, 'BadRequest', (error as Error).message);
          return;
        }
        const from = url.searchParams.get('resourceVersion') ?? '';
        if (from !== '' && !/^\d+$/.test(from)) {
          log.status = status(
            res,
            400,
            'BadRequest',
            `resourceVersion: Invalid value: "${from}": must be a non-negative integer`,
          );
          return;
        }
        const selected = (source: Iterable<[string, Json]>): Json[] =>
          [...source]
            .filter(([k]) => k.startsWith(namespace === '' ? `${plural}/` : `${plural}/${namespace}/`))
            .map(([, object]): Json => ({ ...object, apiVersion }))
            .filter(
              (object) =>
                matchesLabelSelector(selector, (object.metadata as Json | undefined)?.labels as Record<string, string>) &&
                matchesFieldSelector(fields, plural, object),
            );
        if (verb === 'list') {
          // Pages (`limit`, `continue`) read one snapshot: the continue token holds its revision and the last key.
          const token = url.searchParams.get('continue') ?? '';
          const resumed = token ? decodeContinue(token) : undefined;
          if (token && !resumed) {
            log.status = status(res, 400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion');
            return;
          }
          const listed = resumed
            ? listAt(String(resumed.rv), 'Exact')
            : listAt(from, url.searchParams.get('resourceVersionMatch') ?? '');
          if ('code' in listed) {
            const message =
              resumed && listed.code === 410
                ? 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.'
                : listed.message;
            log.status = status(res, listed.code, listed.reason, message);
            return;
          }
          // Sorted by namespace, then name: etcd's key order, as kube-apiserver lists.
          const sortKey = (object: Json) => {
            const metadata = object.metadata as Json;
            return `${String(metadata.namespace)}/${String(metadata.name)}`;
          };
          const all = selected(listed.state)
            .map((object) => ({ key: sortKey(object), object }))
            .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
            .filter(({ key }) => !resumed || key > resumed.start);
          const limit = Number(url.searchParams.get('limit') ?? 0);
          const page = limit > 0 ? all.slice(0, limit) : all;
          const remaining = all.length - page.length;
          const metadata: Json = { resourceVersion: String(listed.revision) };
          if (remaining > 0) {
            metadata.continue = encodeContinue({ rv: listed.revision, start: page.at(-1)!.key });
            // kube-apiserver counts what is left only when no selector filters the list.
            if (selector.length === 0 && fields.length === 0) metadata.remainingItemCount = remaining;
          }
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ apiVersion, kind: `${kind}List`, metadata, items: page.map(({ object }) => object) }));
          log.status = 200;
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        // Headers now, as kube-apiserver does: a client awaits them before the first event.
        res.flushHeaders();
        log.status = 200;
        const watcher: Watcher = {
          plural,
          namespace,
          res,
          version,
          selector,
          fields,
          bookmarks: url.searchParams.get('allowWatchBookmarks') === 'true',
        };
        if (from !== '' && from !== '0') {
          if (Number(from) < compacted) {
            // As the watch cache answers: 200, then one ERROR event with a 410 Status, then the end.
            res.end(
              `${JSON.stringify({
                type: 'ERROR',
                object: {
                  kind: 'Status',
                  apiVersion: 'v1',
                  metadata: {},
                  status: 'Failure',
                  message: `too old resource version: ${from} (${compacted})`,
                  reason: 'Expired',
                  code: 410,
                },
              })}\n`,
            );
            return;
          }
          for (const event of events.filter((e) => e.rv > Number(from))) sendEvent(watcher, event);
        } else {
          // No resourceVersion, or "0" (any): the current state as synthetic ADDED events, then changes.
          for (const item of selected(store.entries())) res.write(`${JSON.stringify({ type: 'ADDED', object: item })}\n`);
        }
        watchers.add(watcher);
        const timeout = Number(url.searchParams.get('timeoutSeconds') ?? 0);
        // A real timer: the server stands in for another process, whose clock is the wall clock.
        const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000).unref() : undefined;
        res.on('close', () => {
          watchers.delete(watcher);
          if (timer) clearTimeout(timer);
        });
        return;
      }
      case 'create': {
        const object = parsed as Json;
        const objectName = String((object.metadata as Json | undefined)?.name ?? '');
        if (!objectName) {
          log.status = status(
            res,
            422,
            'Invalid',
            `${kind}.${group} "" is invalid: metadata.name: Required value: name or generateName is required`,
          );
          return;
        }
        if (store.has(keyOf(plural, namespace, objectName))) {
          log.status = status(res, 409, 'AlreadyExists', `${resource} "${objectName}" already exists`, {
            name: objectName,
            group,
            kind: plural,
          });
          return;
        }
        const problems = validate(plural, object);
        if (problems.length > 0) return invalid(object, problems);
        const created: Json = { ...object, metadata: { ...(object.metadata as Json), namespace } };
        // With a status subresource, create ignores the sent status: built-in kinds reset it, CRDs drop it.
        if (served.status) {
          if (served.builtIn) created.status = {};
          else delete created.status;
        }
        const stored = stamp(created, plural);
        store.set(keyOf(plural, namespace, objectName), stored);
        notify('ADDED', plural, namespace, stored);
        send(201, stored);
        if (plural === 'replicasets' && options.autoAvailable) makeAvailable(namespace, objectName);
        return;
      }
      case 'update': {
        const object = parsed as Json;
        const metadata = (object.metadata ?? {}) as Json;
        if (metadata.name !== name) {
          log.status = status(
            res,
            400,
            'BadRequest',
            `the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`,
          );
          return;
        }
        if (!existing) return notFound();
        const sent = metadata.resourceVersion;
        // An absent or empty resourceVersion makes the replace unconditional.
        if (sent !== undefined && sent !== '' && sent !== (existing.metadata as Json).resourceVersion) {
          log.status = conflict(res, resource, name!, group);
          return;
        }
        return write(scoped(object, existing), existing);
      }
      case 'patch': {
        if (!existing) return notFound();
        const type = String(req.headers['content-type'] ?? '').split(';')[0];
        let patched: Json;
        if (type === 'application/merge-patch+json') {
          patched = mergePatch(structuredClone(existing), parsed) as Json;
        } else if (type === 'application/json-patch+json') {
          try {
            patched = jsonPatch(structuredClone(existing), parsed as JsonPatchOperation[]);
          } catch (error) {
            log.status = status(
              res,
              422,
              'Invalid',
              `the server rejected our request due to an error in our request: ${(error as Error).message}`,
            );
            return;
          }
        } else {
          log.status = status(
            res,
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          );
          return;
        }
        const sent = (patched.metadata as Json | undefined)?.resourceVersion;
        if (sent !== (existing.metadata as Json).resourceVersion) {
          log.status = conflict(res, resource, name!, group);
          return;
        }
        return write(scoped(patched, existing), existing);
      }
      case 'delete': {
        if (!existing) return notFound();
        const policy = String(
          url.searchParams.get('propagationPolicy') ?? (parsed as Json | undefined)?.propagationPolicy ?? 'Background',
        );
        if (!['Background', 'Foreground', 'Orphan'].includes(policy)) {
          log.status = status(
            res,
            422,
            'Invalid',
            `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
          );
          return;
        }
        removeWithDependents(key, policy as 'Background' | 'Foreground' | 'Orphan');
        log.status = 200;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Success',
            details: { name, group, kind: plural },
          }),
        );
        return;
      }
    }

    /** What a write may change: with a status subresource, `/status` changes only status, the main resource all but status. */
    function scoped(object: Json, previous: Json): Json {
      if (!served!.status) return object;
      const out = subresource === 'status' ? structuredClone(previous) : { ...object };
      const status = subresource === 'status' ? object.status : previous.status;
      if (status === undefined) delete out.status;
      else out.status = status;
      return out;
    }

    function write(object: Json, previous: Json) {
      const problems = validate(plural, object);
      if (problems.length > 0) return invalid(object, problems);
      const prior = previous.metadata as Json;
      // kube-apiserver skips a write that changes nothing: no new resourceVersion, no event.
      const { resourceVersion: _sent, ...sentMetadata } = (object.metadata ?? {}) as Json;
      const { resourceVersion: _stored, ...storedMetadata } = prior;
      const candidate = {
        ...object,
        kind: previous.kind,
        metadata: {
          ...sentMetadata,
          name,
          namespace,
          uid: prior.uid,
          creationTimestamp: prior.creationTimestamp,
          generation: prior.generation,
        },
      };
      const { apiVersion: _a, ...candidateBody } = candidate as Json;
      const { apiVersion: _b, ...previousBody } = { ...previous, metadata: storedMetadata } as Json;
      if (canonical(candidateBody) === canonical(previousBody)) return send(200, previous);
      const stored = stamp(
        {
          ...object,
          metadata: { ...(object.metadata as Json), name, namespace, uid: prior.uid, creationTimestamp: prior.creationTimestamp },
        },
        plural,
        previous,
      );
      store.set(key, stored);
      notify('MODIFIED', plural, namespace, stored, previous);
      send(200, stored);
      if (plural === 'replicasets' && options.autoAvailable && (stored.metadata as Json).generation !== prior.generation)
        makeAvailable(namespace, name!);
    }
  };

  const conflict = (res: ServerResponse, resource: string, name: string, group: string) =>
    status(
      res,
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group, kind: resource.split('.')[0] },
    );

  const server: Server = createServer({ cert, key }, (req, res) => {
    res.on('close', () => {
      if (!res.writableFinished && !watchersHave(res) && !cut.has(res)) abandoned++;
      hanging.delete(res);
    });
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) status(res, 500, 'InternalError', `test server: ${String(error)}`);
    });
  });
  const watchersHave = (res: ServerResponse) => [...watchers].some((w) => w.res === res);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `https://127.0.0.1:${port}`;

  return {
    url,
    kubeConfig(options = {}) {
      const config = new KubeConfig();
      config.loadFromOptions({
        clusters: [{ name: 'test', server: url, caData: Buffer.from(cert).toString('base64'), skipTLSVerify: false }],
        users: [{ name: 'gradual', token }],
        contexts: [{ name: 'test', cluster: 'test', user: 'gradual', namespace: options.namespace ?? 'default' }],
        currentContext: 'test',
      });
      return config;
    },
    seed(plural, namespace, sent) {
      // Typed client models (V1ReplicaSet...) are welcome: they are plain JSON objects.
      const object = sent as Json;
      const name = String((object.metadata as Json).name);
      const stored = stamp(structuredClone({ ...object, metadata: { ...(object.metadata as Json), namespace } }), plural);
      store.set(keyOf(plural, namespace, name), stored);
      notify('ADDED', plural, namespace, stored);
      if (plural === 'replicasets' && options.autoAvailable) makeAvailable(namespace, name);
      return structuredClone(store.get(keyOf(plural, namespace, name))!);
    },
    get: (plural, namespace, name) => structuredClone(store.get(keyOf(plural, namespace, name))),
    edit(plural, namespace, name, change) {
      const stored = store.get(keyOf(plural, namespace, name));
      if (!stored) throw new Error(`no ${plural} ${namespace}/${name}`);
      const previous = structuredClone(stored);
      change(stored);
      stamp(stored, plural, previous);
      notify('MODIFIED', plural, namespace, stored, previous);
      if (
        plural === 'replicasets' &&
        options.autoAvailable &&
        (stored.metadata as Json).generation !== (previous.metadata as Json).generation
      )
        makeAvailable(namespace, name);
      return structuredClone(store.get(keyOf(plural, namespace, name))!);
    },
    remove(plural, namespace, name, options = {}) {
      const key = keyOf(plural, namespace, name);
      if (!store.has(key)) throw new Error(`no ${plural} ${namespace}/${name}`);
      removeWithDependents(key, options.propagationPolicy ?? 'Background');
    },
    setAvailable: (namespace, name, available) => makeAvailable(namespace, name, available),
    inject(injection) {
      injections.push({
        verbs:
          injection.fault.kind === 'conflict'
            ? ['create', 'update', 'patch', 'delete']
            : ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
        name: '',
        times: 1,
        ...injection,
      });
    },
    forbid(verb, plural) {
      forbidden.add(`${verb} ${plural}`);
    },
    allow() {
      forbidden.clear();
    },
    requests,
    acceptedWrites(name) {
      return requests.filter(
        (r) =>
          ['create', 'update', 'patch', 'delete'].includes(r.verb) &&
          r.status >= 200 &&
          r.status < 300 &&
          (!name || r.name === name),
      ).length;
    },
    get abandoned() {
      return abandoned;
    },
    bookmark,
    compact() {
      compacted = revision;
      events.length = 0;
      snapshot = new Map([...store].map(([k, object]) => [k, structuredClone(object)]));
    },
    dropWatches(options = {}) {
      for (const watcher of watchers) {
        cut.add(watcher.res);
        if (options.abrupt) watcher.res.socket?.destroy();
        else watcher.res.end();
      }
      watchers.clear();
    },
    get watches() {
      return watchers.size;
    },
    async close() {
      if (bookmarkTimer) clearInterval(bookmarkTimer);
      for (const watcher of watchers) watcher.res.end();
      for (const res of hanging) res.destroy();
      for (const done of delays) done();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
