/** One finding of `gradual lint`, located in its file. */
export interface LintProblem {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  severity: 'error' | 'warning';
  /** Which check found it: `yaml`, `rollout`, `analysis-template`, `promql`, `condition`, `reference`, `router`, `risk`. */
  rule: string;
  /** The manifest path, e.g. `spec.strategy.canary.steps[2].setWeight`; empty for YAML syntax. */
  path: string;
  message: string;
}
