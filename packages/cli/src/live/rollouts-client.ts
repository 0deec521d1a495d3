import { throwIfAborted } from '@gradual/core/adapter';
import { KubernetesApiError, toKubernetesApiError } from '@gradual/kubernetes';
import {
  CustomObjectsApi,
  type KubeConfig,
  Observable,
  type ObservableMiddleware,
  PatchStrategy,
  type RequestContext,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import type { RolloutObject } from './rollout-object.js';
import type { RolloutPatches } from './rollout-patches.js';

const resource = { group: 'argoproj.io', version: 'v1alpha1', plural: 'rollouts' };

/** Reads, patches and watches Rollout objects of one namespace. */
export interface RolloutsClient {
  get(name: string, signal: AbortSignal): Promise<RolloutObject>;
  /** Sends a command's patches as the plugin does; resolves with the Rollout after the last one. */
  send(name: string, patches: RolloutPatches, signal: AbortSignal): Promise<RolloutObject>;
  /** Calls `onObject` with the Rollout on every change until `signal` fires. */
  watch(name: string, onObject: (rollout: RolloutObject) => void, signal: AbortSignal): Promise<void>;
}

/** The client of the live commands, on the real `@kubernetes/client-node`. */
export function createRolloutsClient(input: { kubeConfig: KubeConfig; namespace: string }): RolloutsClient {
  const api = input.kubeConfig.makeApiClient(CustomObjectsApi);
  const { namespace } = input;
  const call = async <T>(
    verb: string,
    name: string,
    signal: AbortSignal,
    run: (middleware: ObservableMiddleware[]) => Promise<T>,
  ) => {
    throwIfAborted(signal, `kubernetes ${verb} of rollout '${name}'`);
    try {
      return await run([signalMiddleware(signal)]);
    } catch (error) {
      throw toKubernetesApiError(error, { verb, resource: 'rollouts.argoproj.io', name, namespace, signal });
    }
  };
  const patch = (name: string, body: object, subresource: 'status' | undefined, signal: AbortSignal) =>
    call(subresource ? 'patch status' : 'patch', name, signal, async (middleware) => {
      const options = setHeaderOptions('Content-Type', PatchStrategy.MergePatch, {
        middleware,
        middlewareMergeStrategy: 'append',
      });
      const target = { ...resource, namespace, name, body };
      return (await (subresource
        ? api.patchNamespacedCustomObjectStatus(target, options)
        : api.patchNamespacedCustomObject(target, options))) as RolloutObject;
    });
  return {
    get: (name, signal) =>
      call(
        'get',
        name,
        signal,
        async (middleware) =>
          (await api.getNamespacedCustomObject(
            { ...resource, namespace, name },
            { middleware, middlewareMergeStrategy: 'append' },
          )) as RolloutObject,
      ),
    async send(name, patches, signal) {
      let latest: RolloutObject | undefined;
      let spec = patches.spec;
      if (patches.status) {
        try {
          latest = await patch(name, patches.status, 'status', signal);
        } catch (error) {
          // No status subresource for Rollouts (an old CRD): the plugin sends spec and status to the Rollout in one.
          if (!KubernetesApiError.isNotFound(error) || !patches.unified) throw error;
          spec = patches.unified;
        }
      }
      if (spec) latest = await patch(name, spec, undefined, signal);
      return latest ?? (await this.get(name, signal));
    },
    async watch(name, onObject, signal) {
      throwIfAborted(signal, `kubernetes watch of rollout '${name}'`);
      const watcher = new Watch(input.kubeConfig);
      await new Promise<void>((resolve, reject) => {
        let stop: (() => void) | undefined;
        const onAbort = () => {
          stop?.();
          resolve();
        };
        signal.addEventListener('abort', onAbort, { once: true });
        watcher
          .watch(
            `/apis/${resource.group}/${resource.version}/namespaces/${namespace}/${resource.plural}`,
            { fieldSelector: `metadata.name=${name}` },
            (type, object) => {
              if (type !== 'ERROR' && type !== 'BOOKMARK') onObject(object as RolloutObject);
            },
            (error) => {
              signal.removeEventListener('abort', onAbort);
              if (signal.aborted) resolve();
              else if (error)
                reject(toKubernetesApiError(error, { verb: 'watch', resource: 'rollouts.argoproj.io', name, namespace, signal }));
              else resolve();
            },
          )
          .then((controller) => {
            stop = () => controller.abort();
            if (signal.aborted) stop();
          }, reject);
      });
    },
  };
}

/** client-node 1.4.0 takes no AbortSignal, but its per-call middleware can set one on the request in flight. */
function signalMiddleware(signal: AbortSignal): ObservableMiddleware {
  return {
    pre: (context: RequestContext) => {
      context.setSignal(signal);
      return new Observable(Promise.resolve(context));
    },
    post: (response) => new Observable(Promise.resolve(response)),
  };
}
