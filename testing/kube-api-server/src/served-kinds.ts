/** The resources the test server serves: plural → kind, group, versions, schema, subresources. */
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1/HTTPRoute';
import { GRPCRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1alpha2/GRPCRoute';
import { DestinationRule } from '@kubernetes-models/istio/networking.istio.io/v1beta1/DestinationRule';
import { VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1beta1/VirtualService';

type Json = Record<string, unknown>;
/** A @kubernetes-models class: validates a whole object. */
type Model = new (data: Json) => { validate(): void };
/** A served resource: its group ('' for core), the versions served from one storage, and the schema writes must pass. */
export interface Served {
  kind: string;
  group: string;
  versions: string[];
  model?: Model;
  /** apiVersion the model's schema accepts (a CRD's schema is the same for every served version). */
  modelVersion?: string;
  /** Has a `status` subresource: main-resource writes keep the stored status, `/status` writes change only it. */
  status?: boolean;
  /** Built-in kind (its create resets status to `{}`), not a CRD (whose create drops status). */
  builtIn?: boolean;
  /** Writes need an object `spec` (most kinds; not ConfigMaps, Events, Leases). */
  specless?: boolean;
}
const istioGroup = 'networking.istio.io';
const gatewayGroup = 'gateway.networking.k8s.io';
const istioVersions = ['v1alpha3', 'v1beta1', 'v1'];
const argoGroup = 'argoproj.io';
export const kinds: Record<string, Served> = {
  services: { kind: 'Service', group: '', versions: ['v1'], builtIn: true },
  events: { kind: 'Event', group: '', versions: ['v1'], builtIn: true, specless: true },
  configmaps: { kind: 'ConfigMap', group: '', versions: ['v1'], builtIn: true, specless: true },
  pods: { kind: 'Pod', group: '', versions: ['v1'], builtIn: true, status: true },
  replicasets: { kind: 'ReplicaSet', group: 'apps', versions: ['v1'], builtIn: true, status: true },
  deployments: { kind: 'Deployment', group: 'apps', versions: ['v1'], builtIn: true, status: true },
  jobs: { kind: 'Job', group: 'batch', versions: ['v1'], builtIn: true, status: true },
  leases: { kind: 'Lease', group: 'coordination.k8s.io', versions: ['v1'], builtIn: true, specless: true },
  rollouts: { kind: 'Rollout', group: argoGroup, versions: ['v1alpha1'], status: true },
  analysistemplates: { kind: 'AnalysisTemplate', group: argoGroup, versions: ['v1alpha1'] },
  analysisruns: { kind: 'AnalysisRun', group: argoGroup, versions: ['v1alpha1'] },
  virtualservices: {
    kind: 'VirtualService',
    group: istioGroup,
    versions: istioVersions,
    model: VirtualService as unknown as Model,
    modelVersion: `${istioGroup}/v1beta1`,
  },
  destinationrules: {
    kind: 'DestinationRule',
    group: istioGroup,
    versions: istioVersions,
    model: DestinationRule as unknown as Model,
    modelVersion: `${istioGroup}/v1beta1`,
  },
  httproutes: {
    kind: 'HTTPRoute',
    group: gatewayGroup,
    versions: ['v1', 'v1beta1'],
    model: HTTPRoute as unknown as Model,
    modelVersion: `${gatewayGroup}/v1`,
  },
  grpcroutes: {
    kind: 'GRPCRoute',
    group: gatewayGroup,
    versions: ['v1', 'v1alpha2'],
    model: GRPCRoute as unknown as Model,
    modelVersion: `${gatewayGroup}/v1alpha2`,
  },
};
/** `networking.istio.io/v1beta1`, `gateway.networking.k8s.io/v1`, or `v1` for core Services. */
export const apiVersionOf = (plural: string, version: string) => {
  const { group } = kinds[plural]!;
  return group === '' ? version : `${group}/${version}`;
};
