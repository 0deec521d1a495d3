import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { GRPCRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2/GRPCRoute';
import { gatewayApiConfigError } from './gateway-api-config-error.js';
import type { RouteResource } from './gateway-api-objects-client.js';

type Validatable = new (data: never) => { validate(): void };

// @kubernetes-models/gateway-api 0.5.1 is the last release for Node 20 (2.x needs Node 22): its GRPCRoute
// schema is v1alpha2's, the same shape as v1. It predates rule names and mirror percent/fraction, which
// the schema lets through (no additionalProperties: false) and the renderer alone writes.
const models: Record<RouteResource, { model: Validatable; kind: string; apiVersion: string }> = {
  httproutes: { model: HTTPRoute as unknown as Validatable, kind: 'HTTPRoute', apiVersion: 'gateway.networking.k8s.io/v1' },
  grpcroutes: {
    model: GRPCRoute as unknown as Validatable,
    kind: 'GRPCRoute',
    apiVersion: 'gateway.networking.k8s.io/v1alpha2',
  },
};

/**
 * Checks a route against Gateway API's CRD schema (the generated models of
 * `@kubernetes-models/gateway-api`) before it is written, so a bad render
 * (too many rules or matches, a weight out of range, an unknown filter or
 * match type) never reaches the cluster. Rejects with a non-retryable
 * TrafficRouterError (code `GATEWAY_API_SCHEMA`) listing every violation with its path.
 */
export function validateGatewayApiObject(
  resource: RouteResource,
  object: { metadata?: { name?: string | undefined; namespace?: string | undefined } | undefined },
): void {
  const { model: Model, kind, apiVersion } = models[resource];
  try {
    new Model({ ...object, apiVersion, kind } as never).validate();
  } catch (error) {
    const errors = (error as { errors?: { instancePath: string; message?: string | undefined }[] | undefined }).errors;
    const problems = errors
      ? errors.map(
          (e) =>
            `${e.instancePath
              .slice(1)
              .replace(/\/(\d+)/g, '[$1]')
              .replace(/\//g, '.')} ${e.message ?? 'is invalid'}`,
        )
      : [String(error)];
    const name = `${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name ?? '(unnamed)'}`;
    throw gatewayApiConfigError(
      `${kind} '${name}' would not match Gateway API's schema, not written: ${problems.join('; ')}`,
      'GATEWAY_API_SCHEMA',
    );
  }
}
