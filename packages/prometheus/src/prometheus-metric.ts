/** One entry of `headers`: set (overwriting) on every request to Prometheus, as Argo Rollouts does. */
export interface PrometheusHeader {
  key: string;
  value: string;
}

/** `authentication.basicAuth`: both fields are required. */
export interface PrometheusBasicAuth {
  username: string;
  password: string;
}

/** `authentication.oauth2`: OAuth 2 client credentials; the token is sent as a Bearer token. */
export interface PrometheusOAuth2 {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes?: string[];
}

/** `authentication.sigv4` (Amazon Managed Prometheus). Accepted in the type only to be refused with a clear error. */
export interface PrometheusSigV4 {
  region?: string;
  profile?: string;
  roleArn?: string;
}

/** `authentication`: at most one of the methods. */
export interface PrometheusAuthentication {
  basicAuth?: PrometheusBasicAuth;
  oauth2?: PrometheusOAuth2;
  sigv4?: PrometheusSigV4;
}

/**
 * `rangeQuery`: run `query_range` instead of an instant query. `start` and
 * `end` are expr-lang time expressions such as `now() - duration("10m")`;
 * `step` is a Go duration such as `1m`.
 */
export interface PrometheusRangeQuery {
  start: string;
  end: string;
  step: string;
}

/**
 * `metric.provider.prometheus` of an AnalysisTemplate, with Argo Rollouts'
 * field names. `timeout` is in seconds (default 30).
 */
export interface PrometheusMetric {
  address?: string;
  query: string;
  timeout?: number;
  insecure?: boolean;
  headers?: PrometheusHeader[];
  authentication?: PrometheusAuthentication;
  rangeQuery?: PrometheusRangeQuery;
}
