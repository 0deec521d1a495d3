export { createFakeClock, type FakeClock, type FakeClockOptions } from './fake-clock.js';
export { createMemoryRouter, type MemoryRouter, type MemoryRouterOptions } from './memory-router.js';
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
export { createTestWorkload, type TestWorkload, type TestWorkloadOptions } from './test-workload.js';
