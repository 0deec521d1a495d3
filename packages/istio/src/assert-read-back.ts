import type { TrafficRouterError } from '@gradual/core';
import { describeObject } from './describe-object.js';
import { istioConfigError } from './istio-config-error.js';
import { readBackIssues } from './read-back-issues.js';

/** Most problems listed in one message; the rest are counted. */
const MAX_LISTED = 5;

/**
 * Throws a non-retryable TrafficRouterError (code `ISTIO_READ_BACK`) naming
 * the object and each malformed field when what was read from the cluster
 * cannot be trusted, instead of reporting it as the traffic state.
 */
export function assertReadBack(kind: 'VirtualService' | 'DestinationRule' | 'Service', object: unknown): void {
  const issues = readBackIssues(kind, object);
  if (issues.length === 0) return;
  const metadata = (object as { metadata?: { name?: unknown; namespace?: unknown } | undefined } | null)?.metadata;
  const name = typeof metadata?.name === 'string' ? metadata.name : undefined;
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : undefined;
  const listed = issues.slice(0, MAX_LISTED).join('; ');
  const more = issues.length > MAX_LISTED ? `; and ${issues.length - MAX_LISTED} more` : '';
  const error: TrafficRouterError = istioConfigError(
    `${describeObject(kind, { ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) })} as read from the cluster is malformed, so its traffic state cannot be read: ${listed}${more}`,
    'ISTIO_READ_BACK',
  );
  throw error;
}
