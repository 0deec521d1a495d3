import { GradualError, type GradualErrorOptions } from './gradual-error.js';

/** A traffic router could not read or write the data plane (not found, forbidden, rejected, conflict). */
export class TrafficRouterError extends GradualError {
  readonly router: string;
  /** Whether retrying the same call later may succeed (conflicts, timeouts, 5xx). */
  readonly retryable: boolean;

  constructor(
    router: string,
    message: string,
    options: GradualErrorOptions & { code?: string | undefined; retryable?: boolean | undefined } = {},
  ) {
    super(options.code ?? 'TRAFFIC_ROUTER', message, options);
    this.name = 'TrafficRouterError';
    this.router = router;
    this.retryable = options.retryable ?? true;
  }
}
