import { copyPlainData, NotPlainDataError } from '@gradual/core/adapter';
import { ConditionError } from './condition-error.js';
import { conditionLimits } from './condition-limits.js';

// Set by CheckedResult's static block: the one reader of its private field outside the class.
let unwrap: (input: unknown) => unknown;

/**
 * A result checked as plain data and copied (by `checkResult`): hand it to
 * `evaluate` as often as needed without it being checked again. Opaque: the
 * copy lives in a private field that only this package reads, so nobody can
 * forge one or change the copy after the check.
 */
export class CheckedResult {
  readonly #value: unknown;

  /** @internal Made by `checkResult` only. */
  constructor(value: unknown, token: symbol) {
    if (token !== MAKER) throw new TypeError('CheckedResult is made by checkResult');
    this.#value = value;
  }

  static {
    unwrap = (input) =>
      typeof input === 'object' && input !== null && #value in input ? (input as CheckedResult).#value : NOT_CHECKED;
  }
}

/** The checked copy inside `input` when it is a CheckedResult; `NOT_CHECKED` otherwise. Runs no code of `input`. Internal. */
export function unwrapChecked(input: unknown): unknown {
  return unwrap(input);
}

const MAKER = Symbol('CheckedResult');
/** What `CheckedResult.unwrap` answers for anything else. */
export const NOT_CHECKED: unique symbol = Symbol('not checked');

/**
 * The value a condition sees as `result`: scalars as they are; arrays and
 * objects as a deep copy made once by `copyPlainData`, so evaluation
 * never runs a host's getter, Proxy trap or `Symbol.iterator`. A value that
 * already is such a copy is returned as it is, so checking once per
 * measurement serves every condition evaluated on it: `evaluate` calls
 * this itself, and a host evaluating many conditions on one value may call
 * it first and pass the copy.
 *
 * @example
 * const value = checkResult(JSON.parse(body)); // checked and copied once
 * conditions.every((condition) => condition.evaluate(value));
 *
 * @throws ConditionError naming the path of what is not plain data, e.g. `result[0].x: a getter ...`.
 */
export function checkResult(value: unknown, expression = ''): CheckedResult {
  const known = unwrapChecked(value);
  if (known !== NOT_CHECKED) return value as CheckedResult;
  try {
    return new CheckedResult(checkResultData(value), MAKER);
  } catch (error) {
    if (error instanceof NotPlainDataError)
      throw new ConditionError({ expression, reason: `result is not plain data: ${error.message}` }, { cause: error });
    throw error;
  }
}

/** Wraps data `checkResultData` returned, without checking it again (for this package's own callers). */
export function wrapChecked(data: unknown): CheckedResult {
  return new CheckedResult(data, MAKER);
}

/**
 * `checkResult` for callers that report the problem themselves; paths start at `root`.
 *
 * @throws NotPlainDataError
 */
export function checkResultData(value: unknown, root = 'result'): unknown {
  if (value === null || value === undefined) return null;
  const type = typeof value;
  if (type === 'number' || type === 'string' || type === 'boolean') return value;
  return copyPlainData(value, {
    root,
    undefinedAs: 'null',
    maxDepth: conditionLimits.maxValueDepth,
    maxValues: conditionLimits.maxResultValues,
  });
}
