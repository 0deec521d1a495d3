// What other programs may call; the binary is src/cli.ts.
export { exitCodeOf, exitCodes } from './exit-codes.js';
export { formatProblems, type LintFormat } from './lint/format-problems.js';
export { type LintInput, lintManifests } from './lint/lint-manifests.js';
export type { LintProblem } from './lint/lint-problem.js';
export type { RolloutObject } from './live/rollout-object.js';
export { abortPatches, pausePatches, promotePatches, type RolloutPatches, retryPatches } from './live/rollout-patches.js';
export { rolloutSummary } from './live/rollout-summary.js';
export { type RenderedState, type RenderInput, type RenderRouter, renderTrafficStates } from './render/render-traffic-states.js';
export { formatSimulation } from './simulate/format-simulation.js';
export { renderHtml } from './simulate/render-html.js';
export { type MetricScript, parseScenario, type Scenario } from './simulate/scenario.js';
export { type SimulateInput, type SimulationResult, simulateRollout, type TimelineRow } from './simulate/simulate-rollout.js';
