import { GradualError, type GradualErrorOptions, hasMarker } from './gradual-error.js';

const marker = Symbol.for('gradual.error.ValidationError');

/** One problem in an input, located by a path such as `spec.strategy.canary.steps[2].setWeight`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** An input (manifest, template, condition) is invalid; `issues` lists every problem found, not only the first. */
export class ValidationError extends GradualError {
  readonly [marker] = true;

  /** True for a ValidationError, also one from another copy of @gradual/core (where `instanceof` fails). */
  static override isInstance(error: unknown): error is ValidationError {
    return hasMarker(error, marker);
  }

  readonly issues: readonly ValidationIssue[];

  constructor(subject: string, issues: readonly ValidationIssue[], options: GradualErrorOptions = {}) {
    super('VALIDATION', formatMessage(subject, issues), options);
    this.name = 'ValidationError';
    this.issues = issues;
  }

  /** @deprecated Use `ValidationError.isInstance`, as every gradual error class has it. */
  static isValidationError(error: unknown): error is ValidationError {
    return ValidationError.isInstance(error);
  }
}

function formatMessage(subject: string, issues: readonly ValidationIssue[]): string {
  const lines = issues.map((issue) => `  - ${issue.path ? `${issue.path}: ` : ''}${issue.message}`);
  return `${subject} is invalid (${issues.length} ${issues.length === 1 ? 'issue' : 'issues'}):\n${lines.join('\n')}`;
}
