import { DestinationRule as DestinationRuleV1 } from '@kubernetes-models/istio/networking.istio.io/v1/DestinationRule';
import { VirtualService as VirtualServiceV1 } from '@kubernetes-models/istio/networking.istio.io/v1/VirtualService';
import { DestinationRule as DestinationRuleV1alpha3 } from '@kubernetes-models/istio/networking.istio.io/v1alpha3/DestinationRule';
import { VirtualService as VirtualServiceV1alpha3 } from '@kubernetes-models/istio/networking.istio.io/v1alpha3/VirtualService';
import { DestinationRule as DestinationRuleV1beta1 } from '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule';
import { VirtualService as VirtualServiceV1beta1 } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';
import { describeObject } from './describe-object.js';
import { istioConfigError } from './istio-config-error.js';
import type { IstioResource } from './istio-objects-client.js';

type Validatable = new (data: never) => { validate(): void };

const models: Record<string, Record<IstioResource, Validatable>> = {
  v1alpha3: { virtualservices: VirtualServiceV1alpha3, destinationrules: DestinationRuleV1alpha3 },
  v1beta1: { virtualservices: VirtualServiceV1beta1, destinationrules: DestinationRuleV1beta1 },
  v1: { virtualservices: VirtualServiceV1, destinationrules: DestinationRuleV1 },
};

/**
 * Checks an object against Istio's CRD schema (the generated models of
 * @kubernetes-models/istio) before it is written, so a bad render never
 * reaches the cluster. Throws a non-retryable TrafficRouterError listing
 * every schema violation with its path.
 */
export function validateIstioObject(
  resource: IstioResource,
  apiVersion: string,
  object: { metadata?: { name?: string; namespace?: string } },
): void {
  const Model = (models[apiVersion] ?? models.v1beta1!)[resource];
  const kind = resource === 'virtualservices' ? 'VirtualService' : 'DestinationRule';
  try {
    new Model({ ...object, apiVersion: `networking.istio.io/${apiVersion}`, kind } as never).validate();
  } catch (error) {
    const errors = (error as { errors?: { instancePath: string; message?: string }[] }).errors;
    const problems = errors
      ? errors.map(
          (e) =>
            `${e.instancePath
              .slice(1)
              .replace(/\/(\d+)/g, '[$1]')
              .replace(/\//g, '.')} ${e.message ?? 'is invalid'}`,
        )
      : [String(error)];
    throw istioConfigError(
      `${describeObject(kind, object.metadata)} would not match Istio's schema, not written: ${problems.join('; ')}`,
      'ISTIO_SCHEMA',
    );
  }
}
