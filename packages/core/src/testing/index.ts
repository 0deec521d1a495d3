export { createFakeClock, type FakeClock, type FakeClockOptions } from './fake-clock.js';
export { createMemoryRouter, type MemoryRouter, type MemoryRouterOptions } from './memory-router.js';
export {
  describeMetricProviderConformance,
  type MetricProviderConformanceCase,
  type MetricProviderConformanceOptions,
  type MetricProviderFixtures,
} from './metric-provider-conformance.js';
export {
  createScriptedAnalysisRunner,
  type ScriptedAnalysisRunner,
  type ScriptedAnalysisRunnerOptions,
  type ScriptedRunOutcome,
} from './scripted-analysis-runner.js';
export {
  createScriptedProvider,
  type ScriptedAnswer,
  type ScriptedProvider,
  type ScriptedProviderOptions,
} from './scripted-provider.js';
export {
  describeTrafficRouterConformance,
  type TrafficRouterConformanceCase,
  type TrafficRouterConformanceOptions,
} from './traffic-router-conformance.js';
