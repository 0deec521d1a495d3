import { type CallOptions, CancelledError, TrafficRouterError } from '@gradual/core';
import { ApiException, type ConfigurationOptions, Observable, type RequestContext } from '@kubernetes/client-node';

/**
 * Runs one `@kubernetes/client-node` call with the caller's AbortSignal on
 * the request (through a middleware: the 1.x client takes no signal
 * argument) and turns its failure into an error that names the object, the
 * verb and what the API server said. Cancellation stays a cancellation.
 */
export async function kubeCall<T>(
  what: { verb: string; object: string; router: string },
  options: CallOptions,
  run: (configuration: ConfigurationOptions) => Promise<T>,
): Promise<T> {
  if (options.signal.aborted) throw new CancelledError(`${what.verb} of ${what.object}`, options.signal.reason);
  const configuration: ConfigurationOptions = {
    middleware: [
      {
        pre: (context: RequestContext) => {
          context.setSignal(options.signal);
          return new Observable(Promise.resolve(context));
        },
        post: (response) => new Observable(Promise.resolve(response)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
  try {
    return await run(configuration);
  } catch (error) {
    if (options.signal.aborted) throw new CancelledError(`${what.verb} of ${what.object}`, options.signal.reason);
    if (error instanceof ApiException) {
      const said = readMessage(error.body);
      const code = error.code;
      const hint =
        code === 404
          ? '; create it first or fix activeService/previewService'
          : code === 403
            ? `; grant "${what.verb}" on services`
            : '';
      throw new TrafficRouterError(what.router, `${what.verb} ${what.object}: HTTP ${code}${said ? ` ${said}` : ''}${hint}`, {
        code: code === 409 ? 'CONFLICT' : code === 404 ? 'NOT_FOUND' : `HTTP_${code}`,
        retryable: code === 409 || code === 429 || code >= 500,
        cause: error,
      });
    }
    throw new TrafficRouterError(
      what.router,
      `${what.verb} ${what.object}: ${error instanceof Error ? error.message : String(error)}`,
      {
        code: 'UNREACHABLE',
        retryable: true,
        cause: error,
      },
    );
  }
}

function readMessage(body: unknown): string | undefined {
  try {
    const parsed = typeof body === 'string' ? (JSON.parse(body) as { message?: string }) : (body as { message?: string });
    return parsed?.message;
  } catch {
    return typeof body === 'string' ? body.slice(0, 200) : undefined;
  }
}
