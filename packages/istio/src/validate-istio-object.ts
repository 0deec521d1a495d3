import { describeObject } from './describe-object.js';
import { istioConfigError } from './istio-config-error.js';
import type { IstioResource } from './istio-objects-client.js';

type Validatable = new (data: never) => { validate(): void };

// Loaded on first use with import(), so that a router that never writes pays nothing.
// @kubernetes-models/istio 2.x is used because 3.x declares Node >= 22 while we support
// Node 20.19; 2.x has no networking.istio.io/v1 models, and Istio's v1 API is v1beta1
// promoted with the same schema, so v1 objects are checked against the v1beta1 models.
const loaders: Record<string, Record<IstioResource, () => Promise<Validatable>>> = {
  v1alpha3: {
    virtualservices: async () =>
      (await import('@kubernetes-models/istio/networking.istio.io/v1alpha3/VirtualService')).VirtualService,
    destinationrules: async () =>
      (await import('@kubernetes-models/istio/networking.istio.io/v1alpha3/DestinationRule')).DestinationRule,
  },
  v1beta1: {
    virtualservices: async () =>
      (await import('@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService')).VirtualService,
    destinationrules: async () =>
      (await import('@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule')).DestinationRule,
  },
};
const loaded = new Map<string, Promise<Validatable>>();

/**
 * Checks an object against Istio's CRD schema (the generated models of
 * @kubernetes-models/istio for `apiVersion` `v1alpha3`, or `v1beta1` for `v1beta1` and `v1`)
 * before it is written, so a bad render never reaches the cluster. Rejects
 * with a non-retryable TrafficRouterError (code `ISTIO_SCHEMA`) listing
 * every schema violation with its path.
 */
export async function validateIstioObject(
  resource: IstioResource,
  apiVersion: string,
  object: { metadata?: { name?: string | undefined; namespace?: string | undefined } | undefined },
): Promise<void> {
  const version = loaders[apiVersion] ? apiVersion : 'v1beta1';
  const key = `${version}/${resource}`;
  let model = loaded.get(key);
  if (!model) {
    model = loaders[version]![resource]();
    loaded.set(key, model);
  }
  const Model = await model;
  const kind = resource === 'virtualservices' ? 'VirtualService' : 'DestinationRule';
  try {
    new Model({ ...object, apiVersion: `networking.istio.io/${version}`, kind } as never).validate();
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
    throw istioConfigError(
      `${describeObject(kind, object.metadata)} would not match Istio's schema, not written: ${problems.join('; ')}`,
      'ISTIO_SCHEMA',
    );
  }
}
