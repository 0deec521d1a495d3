/** One entry of `headers`: set (overwriting) on every request to Prometheus, as Argo Rollouts does. */
export interface PrometheusHeader {
  /** The header name (Argo's field is `key`; `name` is refused because Argo silently ignores it). */
  key: string;
  /** The header value; values of headers whose name looks sensitive are masked in messages. */
  value: string;
}

/** `authentication.basicAuth`: both fields are required. */
export interface PrometheusBasicAuth {
  /** The user name. */
  username: string;
  /** The password; never appears in an error message. */
  password: string;
}

/** `authentication.oauth2`: OAuth 2 client credentials; the token is sent as a Bearer token. */
export interface PrometheusOAuth2 {
  /** The token endpoint, e.g. `https://idp.example.com/oauth2/token`. */
  tokenUrl: string;
  /** The client id. */
  clientId: string;
  /** The client secret; never appears in an error message. */
  clientSecret: string;
  /** Scopes requested, sent space-separated. */
  scopes?: string[] | undefined;
}

/** `authentication.sigv4` (Amazon Managed Prometheus). Accepted in the type only to be refused with a clear error. */
export interface PrometheusSigV4 {
  /** AWS region. */
  region?: string | undefined;
  /** AWS profile. */
  profile?: string | undefined;
  /** Role to assume. */
  roleArn?: string | undefined;
}

/** `authentication`: at most one of the methods. */
export interface PrometheusAuthentication {
  /** HTTP basic auth; overrides credentials written in the address. */
  basicAuth?: PrometheusBasicAuth | undefined;
  /** OAuth 2 client credentials; the token is cached until it expires on the rollout clock. */
  oauth2?: PrometheusOAuth2 | undefined;
  /** Refused: SigV4 signing is not supported. */
  sigv4?: PrometheusSigV4 | undefined;
}

/**
 * `rangeQuery`: run `query_range` instead of an instant query. `start` and
 * `end` are expr-lang time expressions such as `now() - duration("10m")`;
 * `step` is a Go duration such as `1m`.
 */
export interface PrometheusRangeQuery {
  /** Start time expression, e.g. `now() - duration("10m")`. */
  start: string;
  /** End time expression, e.g. `now()`. */
  end: string;
  /** Resolution step as a Go duration, e.g. `1m`. */
  step: string;
}

/**
 * `metric.provider.prometheus` of an AnalysisTemplate, with Argo Rollouts'
 * field names. `timeout` is in seconds (default 30).
 */
export interface PrometheusMetric {
  /** Base URL of Prometheus; may carry basic-auth credentials (`https://user:pass@host:9090`). Falls back to the provider's `address` option, then `PROMETHEUS_ADDRESS`. */
  address?: string | undefined;
  /** The PromQL expression, with `{{args.*}}` already substituted. */
  query: string;
  /** Seconds to wait for an answer (wall time); default 30, at least 1. */
  timeout?: number | undefined;
  /** Skip TLS certificate verification. */
  insecure?: boolean | undefined;
  /** Headers set on every request, overwriting any of the same name. */
  headers?: PrometheusHeader[] | undefined;
  /** How to authenticate; credentials in the address are used when this is absent. */
  authentication?: PrometheusAuthentication | undefined;
  /** Run a range query instead of an instant query. */
  rangeQuery?: PrometheusRangeQuery | undefined;
}
