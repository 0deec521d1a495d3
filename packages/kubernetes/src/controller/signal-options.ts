import { type ConfigurationOptions, Observable, type RequestContext } from '@kubernetes/client-node';

/**
 * Per-call options for `@kubernetes/client-node` 1.x that put `signal` on the request (the client takes
 * no signal argument; a middleware does it), so a stop or a lost lease cancels the call in flight.
 */
export function signalOptions(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context: RequestContext) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}
