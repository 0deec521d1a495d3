export {
  createPrometheusProvider,
  type PrometheusProvider,
  type PrometheusProviderOptions,
} from './create-prometheus-provider.js';
export { formatGoFloat } from './format-go-float.js';
export type {
  PrometheusAuthentication,
  PrometheusBasicAuth,
  PrometheusHeader,
  PrometheusMetric,
  PrometheusOAuth2,
  PrometheusRangeQuery,
  PrometheusSigV4,
} from './prometheus-metric.js';
export { validatePromql } from './validate-promql.js';
