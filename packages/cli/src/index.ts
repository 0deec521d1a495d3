// What other programs may call; the binary is src/cli.ts.
export { formatProblems, type LintFormat } from './lint/format-problems.js';
export { type LintInput, lintManifests } from './lint/lint-manifests.js';
export type { LintProblem } from './lint/lint-problem.js';
