// The parts of Istio's VirtualService and DestinationRule that gradual reads
// and writes. Every level keeps unknown fields (index signatures), so a
// render never drops what a person or another tool wrote; the full schema
// check is done by @kubernetes-models/istio before any write.

/** `metadata` of a Kubernetes object, as the API server returns it. */
export interface ObjectMeta {
  /** Object name, unique per namespace and kind. */
  name?: string | undefined;
  /** Namespace the object lives in. */
  namespace?: string | undefined;
  /** Opaque version the API server checks on replace: a stale one is a 409 Conflict. */
  resourceVersion?: string | undefined;
  /** Bumped by the API server on every change of `spec`. */
  generation?: number | undefined;
  /** Free-form annotations. */
  annotations?: Record<string, string> | undefined;
  /** Labels. */
  labels?: Record<string, string> | undefined;
  [field: string]: unknown;
}

/** `destination` of a route or a `mirror`: where requests go. */
export interface Destination {
  /** Service name, short (`reviews`) or fully qualified (`reviews.default.svc.cluster.local`). */
  host: string;
  /** A subset of the host's DestinationRule. */
  subset?: string | undefined;
  /** Needed when the Service exposes several ports. */
  port?:
    | {
        /** Port number on the host. */
        number?: number | undefined;
        [field: string]: unknown;
      }
    | undefined;
  [field: string]: unknown;
}

/** One weighted destination of an http, tls or tcp route. */
export interface RouteDestination {
  /** Where this share of the requests goes. */
  destination: Destination;
  /** Percent of the route's traffic; Istio defaults a sole destination to 100. */
  weight?: number | undefined;
  [field: string]: unknown;
}

/** An Istio `StringMatch`: exactly one of the three is set. */
export interface IstioStringMatch {
  /** The whole value equals this. */
  exact?: string | undefined;
  /** The value starts with this. */
  prefix?: string | undefined;
  /** The value matches this RE2 regular expression. */
  regex?: string | undefined;
  [field: string]: unknown;
}

/** One `match` entry of an http route; its conditions are ANDed. */
export interface HttpMatchRequest {
  /** Name of the match, for logs. */
  name?: string | undefined;
  /** Request headers by (lower-case) name. */
  headers?: Record<string, IstioStringMatch> | undefined;
  /** Request path. */
  uri?: IstioStringMatch | undefined;
  /** HTTP method. */
  method?: IstioStringMatch | undefined;
  [field: string]: unknown;
}

/** One entry of `spec.http`. */
export interface HttpRoute {
  /** How Argo Rollouts and gradual find a route: `routes` and `managedRoutes` list these names. */
  name?: string | undefined;
  /** Conditions; entries are ORed, fields within one entry ANDed. No match: every request. */
  match?: HttpMatchRequest[] | undefined;
  /** Weighted destinations of the matching requests. */
  route?: RouteDestination[] | undefined;
  /** Where a copy of each request goes (answers are dropped). */
  mirror?: Destination | undefined;
  /** Share of requests mirrored; Istio's default is 100. */
  mirrorPercentage?:
    | {
        /** Percent, 0–100. */
        value?: number | undefined;
        [field: string]: unknown;
      }
    | undefined;
  [field: string]: unknown;
}

/** One entry of `spec.tls`: matched by port and SNI hosts. */
export interface TlsRoute {
  /** Conditions on the TLS connection. */
  match?:
    | {
        /** Port the connection arrives on. */
        port?: number | undefined;
        /** Server names (SNI) of the connection. */
        sniHosts?: string[] | undefined;
        [field: string]: unknown;
      }[]
    | undefined;
  /** Weighted destinations of the matching connections. */
  route?: RouteDestination[] | undefined;
  [field: string]: unknown;
}

/** One entry of `spec.tcp`: matched by port. */
export interface TcpRoute {
  /** Conditions on the TCP connection. */
  match?:
    | {
        /** Port the connection arrives on. */
        port?: number | undefined;
        [field: string]: unknown;
      }[]
    | undefined;
  /** Weighted destinations of the matching connections. */
  route?: RouteDestination[] | undefined;
  [field: string]: unknown;
}

/** An Istio VirtualService (`networking.istio.io`, any served version). */
export interface VirtualService {
  /** `networking.istio.io/v1beta1` and the like. */
  apiVersion?: string | undefined;
  /** `VirtualService`. */
  kind?: string | undefined;
  /** Name, namespace, resourceVersion. */
  metadata?: ObjectMeta | undefined;
  /** The routing rules. */
  spec: {
    /** Hosts the rules apply to. */
    hosts?: string[] | undefined;
    /** HTTP routes, in order of precedence. */
    http?: HttpRoute[] | undefined;
    /** TLS (passthrough) routes. */
    tls?: TlsRoute[] | undefined;
    /** Plain TCP routes. */
    tcp?: TcpRoute[] | undefined;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

/** One subset of a DestinationRule: pods selected by `labels`. */
export interface DestinationRuleSubset {
  /** The name destinations refer to as `subset`. */
  name: string;
  /** Pod labels of the subset; gradual sets `rollouts-pod-template-hash` on the stable and canary subsets. */
  labels?: Record<string, string> | undefined;
  [field: string]: unknown;
}

/** An Istio DestinationRule (`networking.istio.io`, any served version). */
export interface DestinationRule {
  /** `networking.istio.io/v1beta1` and the like. */
  apiVersion?: string | undefined;
  /** `DestinationRule`. */
  kind?: string | undefined;
  /** Name, namespace, resourceVersion. */
  metadata?: ObjectMeta | undefined;
  /** Policies and subsets of one host. */
  spec: {
    /** The Service the rule applies to. */
    host: string;
    /** Named groups of the host's pods. */
    subsets?: DestinationRuleSubset[] | undefined;
    [field: string]: unknown;
  };
  [field: string]: unknown;
}
