import { copyPlainData, NotPlainDataError } from '../data/copy-plain-data.js';
import { ConditionError } from './condition-error.js';
import { conditionLimits } from './condition-limits.js';

// A base "class" that returns the object it is given, so `new Checked(copy)` adds the private
// brand to our own copy. `#checked in value` never runs a Proxy trap and cannot be forged.
const Identity = function (this: unknown, value: object) {
  return value;
} as unknown as new (
  value: object,
) => object;

class Checked extends Identity {
  #checked = true;

  static has(value: object): boolean {
    return #checked in value;
  }
}

/**
 * The value a condition sees as `result`: scalars as they are; arrays and
 * objects as a deep, frozen copy made once by `copyPlainData`, so evaluation
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
export function checkResult(value: unknown, expression = ''): unknown {
  try {
    return checkResultData(value);
  } catch (error) {
    if (error instanceof NotPlainDataError)
      throw new ConditionError({ expression, reason: `result is not plain data: ${error.message}` }, { cause: error });
    throw error;
  }
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
  if (type === 'object' && Checked.has(value as object)) return value;
  return copyPlainData(value, {
    root,
    undefinedAs: 'null',
    maxDepth: conditionLimits.maxValueDepth,
    maxValues: conditionLimits.maxResultValues,
    freeze: true,
    stamp: (copy) => new Checked(copy),
  });
}
