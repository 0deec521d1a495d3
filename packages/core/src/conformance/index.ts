export {
  describeMetricProviderConformance,
  type MetricProviderConformanceCase,
  type MetricProviderConformanceOptions,
  type MetricProviderFixtures,
} from './metric-provider-conformance.js';
export {
  describeTrafficRouterConformance,
  type TrafficRouterConformanceCase,
  type TrafficRouterConformanceOptions,
} from './traffic-router-conformance.js';
