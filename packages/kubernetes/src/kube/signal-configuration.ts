import { Observable, type ObservableMiddleware, type RequestContext } from '@kubernetes/client-node';

/** Per-call configuration of `@kubernetes/client-node` 1.4.0 that carries the caller's signal. */
export interface KubeCallConfiguration {
  middleware: ObservableMiddleware[];
  middlewareMergeStrategy: 'append';
}

/**
 * Puts `signal` on the request in flight: client-node 1.4.0 takes no AbortSignal argument, but a
 * per-call middleware can set one on the RequestContext, which its fetch honours.
 */
export function signalConfiguration(signal: AbortSignal): KubeCallConfiguration {
  return {
    middleware: [
      {
        pre: (request: RequestContext) => {
          request.setSignal(signal);
          return new Observable(Promise.resolve(request));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}
