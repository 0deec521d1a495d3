// The parts of Istio's VirtualService and DestinationRule that gradual reads
// and writes. Every level keeps unknown fields (index signatures), so a
// render never drops what a person or another tool wrote; the full schema
// check is done by @kubernetes-models/istio before any write.

/** `metadata` of a Kubernetes object, as the API server returns it. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  /** Opaque version the API server checks on replace: a stale one is a 409 Conflict. */
  resourceVersion?: string;
  /** Bumped by the API server on every change of `spec`. */
  generation?: number;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  [field: string]: unknown;
}

/** `destination` of a route or a `mirror`: where requests go. */
export interface Destination {
  /** Service name, short (`reviews`) or fully qualified (`reviews.default.svc.cluster.local`). */
  host: string;
  /** A subset of the host's DestinationRule. */
  subset?: string;
  /** Needed when the Service exposes several ports. */
  port?: { number?: number; [field: string]: unknown };
  [field: string]: unknown;
}

/** One weighted destination of an http, tls or tcp route. */
export interface RouteDestination {
  destination: Destination;
  /** Percent of the route's traffic; Istio defaults a sole destination to 100. */
  weight?: number;
  [field: string]: unknown;
}

/** An Istio `StringMatch`: exactly one of the three is set. */
export interface IstioStringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
  [field: string]: unknown;
}

/** One `match` entry of an http route. */
export interface HttpMatchRequest {
  name?: string;
  headers?: Record<string, IstioStringMatch>;
  uri?: IstioStringMatch;
  method?: IstioStringMatch;
  [field: string]: unknown;
}

/** One entry of `spec.http`. */
export interface HttpRoute {
  /** How Argo Rollouts and gradual find a route: `routes` and `managedRoutes` list these names. */
  name?: string;
  /** Conditions; entries are ORed, fields within one entry ANDed. No match: every request. */
  match?: HttpMatchRequest[];
  route?: RouteDestination[];
  /** Where a copy of each request goes (answers are dropped). */
  mirror?: Destination;
  /** Share of requests mirrored, 0–100; Istio's default is 100. */
  mirrorPercentage?: { value?: number; [field: string]: unknown };
  [field: string]: unknown;
}

/** One entry of `spec.tls`: matched by port and SNI hosts. */
export interface TlsRoute {
  match?: { port?: number; sniHosts?: string[]; [field: string]: unknown }[];
  route?: RouteDestination[];
  [field: string]: unknown;
}

/** One entry of `spec.tcp`: matched by port. */
export interface TcpRoute {
  match?: { port?: number; [field: string]: unknown }[];
  route?: RouteDestination[];
  [field: string]: unknown;
}

/** An Istio VirtualService (`networking.istio.io`, any served version). */
export interface VirtualService {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec: {
    hosts?: string[];
    http?: HttpRoute[];
    tls?: TlsRoute[];
    tcp?: TcpRoute[];
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** One subset of a DestinationRule: pods selected by `labels`. */
export interface DestinationRuleSubset {
  name: string;
  /** Pod labels of the subset; gradual sets `rollouts-pod-template-hash` on the stable and canary subsets. */
  labels?: Record<string, string>;
  [field: string]: unknown;
}

/** An Istio DestinationRule (`networking.istio.io`, any served version). */
export interface DestinationRule {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec: {
    host: string;
    subsets?: DestinationRuleSubset[];
    [field: string]: unknown;
  };
  [field: string]: unknown;
}
