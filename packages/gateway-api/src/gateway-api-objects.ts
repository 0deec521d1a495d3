/** Object metadata, as far as the router reads and writes it. */
export interface ObjectMeta {
  name?: string | undefined;
  namespace?: string | undefined;
  resourceVersion?: string | undefined;
  labels?: Record<string, string> | undefined;
  annotations?: Record<string, string> | undefined;
  [field: string]: unknown;
}

/** `matches[].headers[]`: Gateway API matches a header exactly or by RE2 regular expression, never by prefix. */
export interface HeaderMatch {
  type?: 'Exact' | 'RegularExpression' | undefined;
  name: string;
  value: string;
}

/** `HTTPRouteMatch.path`. */
export interface HttpPathMatch {
  type?: 'Exact' | 'PathPrefix' | 'RegularExpression' | undefined;
  value?: string | undefined;
}

/** One `HTTPRouteRule.matches[]` entry: its conditions are ANDed; entries are ORed. */
export interface HttpRouteMatch {
  path?: HttpPathMatch | undefined;
  headers?: HeaderMatch[] | undefined;
  queryParams?: { type?: string | undefined; name: string; value: string }[] | undefined;
  method?: string | undefined;
}

/** One `GRPCRouteRule.matches[]` entry. */
export interface GrpcRouteMatch {
  method?: { type?: string | undefined; service?: string | undefined; method?: string | undefined } | undefined;
  headers?: HeaderMatch[] | undefined;
}

/** A backend of a rule: a Service by default. `weight` is relative to the rule's other backends (default 1). */
export interface BackendRef {
  group?: string | undefined;
  kind?: string | undefined;
  name: string;
  namespace?: string | undefined;
  port?: number | undefined;
  weight?: number | undefined;
  [field: string]: unknown;
}

/** A rule filter; gradual writes `RequestMirror` and keeps every other filter as it is. */
export interface RouteFilter {
  type: string;
  requestMirror?:
    | {
        backendRef: Omit<BackendRef, 'weight'>;
        /** Gateway API v1.2+: whole percent of requests to mirror. */
        percent?: number | undefined;
        /** Gateway API v1.2+: a fraction of requests to mirror, for shares that are not whole percents. */
        fraction?: { numerator: number; denominator?: number | undefined } | undefined;
      }
    | undefined;
  [field: string]: unknown;
}

/** One rule of an HTTPRoute. `name` (Gateway API v1.2+) is how gradual recognises the rules it manages. */
export interface HttpRouteRule {
  name?: string | undefined;
  matches?: HttpRouteMatch[] | undefined;
  filters?: RouteFilter[] | undefined;
  backendRefs?: BackendRef[] | undefined;
  [field: string]: unknown;
}

/** One rule of a GRPCRoute. */
export interface GrpcRouteRule {
  name?: string | undefined;
  matches?: GrpcRouteMatch[] | undefined;
  filters?: RouteFilter[] | undefined;
  backendRefs?: BackendRef[] | undefined;
  [field: string]: unknown;
}

/** `gateway.networking.k8s.io/v1` HTTPRoute, as far as gradual reads it; other fields are kept as written. */
export interface HTTPRoute {
  apiVersion?: string | undefined;
  kind?: string | undefined;
  metadata: ObjectMeta;
  spec: { rules?: HttpRouteRule[] | undefined; [field: string]: unknown };
}

/** `gateway.networking.k8s.io/v1` GRPCRoute, as far as gradual reads it; other fields are kept as written. */
export interface GRPCRoute {
  apiVersion?: string | undefined;
  kind?: string | undefined;
  metadata: ObjectMeta;
  spec: { rules?: GrpcRouteRule[] | undefined; [field: string]: unknown };
}
