import { GradualError, type GradualErrorOptions } from './gradual-error.js';

/** One problem in an input, located by a path such as `spec.strategy.canary.steps[2].setWeight`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** An input (manifest, template, condition) is invalid; `issues` lists every problem found, not only the first. */
export class ValidationError extends GradualError {
  readonly issues: readonly ValidationIssue[];

  constructor(subject: string, issues: readonly ValidationIssue[], options: GradualErrorOptions = {}) {
    super('VALIDATION', formatMessage(subject, issues), options);
    this.name = 'ValidationError';
    this.issues = issues;
  }

  static isValidationError(error: unknown): error is ValidationError {
    return GradualError.hasCode(error, 'VALIDATION');
  }
}

function formatMessage(subject: string, issues: readonly ValidationIssue[]): string {
  const lines = issues.map((issue) => `  - ${issue.path ? `${issue.path}: ` : ''}${issue.message}`);
  return `${subject} is invalid (${issues.length} ${issues.length === 1 ? 'issue' : 'issues'}):\n${lines.join('\n')}`;
}
