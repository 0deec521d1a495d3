import { types } from 'node:util';
import { GradualError, hasMarker } from '../errors/gradual-error.js';

/** Bounds of one copy. */
export interface PlainDataLimits {
  /** Deepest nesting of arrays and objects; the top value is depth 0. */
  maxDepth: number;
  /** Most values (scalars, arrays, objects) visited, shared references counted each time they are reached. */
  maxValues: number;
}

/** How a copy treats what plain JSON cannot hold. */
export interface PlainDataOptions extends PlainDataLimits {
  /** Path of the top value in messages, e.g. `result` or `''`. */
  root: string;
  /** `undefined` in an object or array: dropped (manifests) or read as nil (results). */
  undefinedAs: 'omit' | 'null';
  /** Freeze every array and object of the copy, so nothing can change it later. */
  freeze?: boolean | undefined;
  /** Called on every array and object of the copy before it is frozen. */
  stamp?: ((value: object) => void) | undefined;
  /** Refuse NaN and infinities (JSON text parsed to them only by overflowing, as `1e999`). */
  finiteNumbers?: boolean | undefined;
}

const marker = Symbol.for('gradual.error.NotPlainDataError');

/** Where a value is not plain data (`path`), and what was found there (`reason`, e.g. `a getter or setter`). */
export class NotPlainDataError extends GradualError {
  readonly [marker] = true;

  /** True for a NotPlainDataError, also one from another copy of @gradual/core (where `instanceof` fails). */
  static override isInstance(error: unknown): error is NotPlainDataError {
    return hasMarker(error, marker);
  }

  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super('NOT_PLAIN_DATA', path ? `${path}: ${reason}` : reason);
    this.name = 'NotPlainDataError';
  }
}

/**
 * Copies JSON-shaped data (null, booleans, numbers including NaN and ±Inf,
 * strings, arrays, plain objects) without running any code of the value's
 * owner: a Proxy, a getter, a function, a symbol, a BigInt, a class
 * instance, a cycle, or nesting or size past the limits is refused with its
 * path before anything else reads the value. Reads only own data properties
 * (property descriptors), never `Symbol.iterator` or `toJSON`.
 *
 * @throws NotPlainDataError naming the first offending path.
 */
export function copyPlainData(value: unknown, options: PlainDataOptions): unknown {
  let visited = 0;
  // The arrays and objects being copied, outermost first: a stack no deeper than maxDepth, cheaper than a Set.
  const ancestors: object[] = [];
  // Paths are built only when an error needs one: most values are fine.
  const visit = (current: unknown, at: () => string, depth: number): unknown => {
    if (++visited > options.maxValues) throw new NotPlainDataError(at(), `more than ${options.maxValues} values`);
    switch (typeof current) {
      case 'number':
        if (options.finiteNumbers && !Number.isFinite(current)) throw new NotPlainDataError(at(), 'a number out of range');
        return current;
      case 'string':
      case 'boolean':
        return current;
      case 'undefined':
        return null;
      case 'object':
        break;
      default:
        throw new NotPlainDataError(at(), `a ${typeof current}`);
    }
    if (current === null) return null;
    if (types.isProxy(current)) throw new NotPlainDataError(at(), 'a Proxy');
    if (ancestors.includes(current)) throw new NotPlainDataError(at(), 'a cycle (the value contains itself)');
    if (depth >= options.maxDepth) throw new NotPlainDataError(at(), `nested deeper than ${options.maxDepth} levels`);
    const proto = Object.getPrototypeOf(current);
    const isArray = Array.isArray(current);
    if (isArray ? proto !== Array.prototype : proto !== Object.prototype && proto !== null) {
      throw new NotPlainDataError(at(), describeInstance(proto));
    }
    if (Object.getOwnPropertySymbols(current).length > 0) throw new NotPlainDataError(at(), 'a symbol-keyed property');
    ancestors.push(current);
    let copy: unknown[] | Record<string, unknown>;
    if (isArray) {
      const array = current as unknown[];
      const length = array.length;
      if (length > options.maxValues - visited) throw new NotPlainDataError(at(), `more than ${options.maxValues} values`);
      // Filled by push, so the copy is a packed array (fast to read), holes read as nil.
      const out: unknown[] = [];
      for (let i = 0; i < length; i++) {
        // Measured values are mostly arrays of numbers: a plain scalar is taken here, without a path or a visit.
        // (Past the value limit it goes through `visit`, which reports it with its path.)
        const descriptor = Object.getOwnPropertyDescriptor(array, i);
        if (descriptor && 'value' in descriptor && isPlainScalar(descriptor.value, options) && visited < options.maxValues) {
          visited++;
          out.push(descriptor.value);
          continue;
        }
        const child = () => `${at()}[${i}]`;
        out.push(visit(dataOf(array, String(i), child), child, depth + 1));
      }
      copy = out;
    } else {
      const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
      for (const key of Object.keys(current)) {
        const childPath = () => {
          const parent = at();
          return parent ? `${parent}.${key}` : key;
        };
        const item = dataOf(current, key, childPath);
        if (item === undefined && options.undefinedAs === 'omit') continue;
        const child = visit(item, childPath, depth + 1);
        // `__proto__` stays an own data key, never a prototype.
        if (key === '__proto__')
          Object.defineProperty(out, key, { value: child, enumerable: true, writable: true, configurable: true });
        else out[key] = child;
      }
      copy = out;
    }
    ancestors.pop();
    options.stamp?.(copy);
    if (options.freeze) Object.freeze(copy);
    return copy;
  };
  return visit(value, () => options.root, 0);
}

/** A string, boolean, or number the options accept: copied as it is. */
function isPlainScalar(value: unknown, options: PlainDataOptions): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && (!options.finiteNumbers || Number.isFinite(value)))
  );
}

// The value of an own data property, refusing accessors (a getter would run the owner's code).
function dataOf(object: object, key: string, at: () => string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  if (descriptor === undefined) return undefined;
  if (!('value' in descriptor)) throw new NotPlainDataError(at(), 'a getter or setter');
  return descriptor.value;
}

// `an instance of Date`, read through descriptors only: the prototype may belong to anyone.
function describeInstance(proto: object | null): string {
  if (proto === null || types.isProxy(proto)) return 'an instance of a class';
  const maker = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value;
  const name =
    typeof maker === 'function' && !types.isProxy(maker) ? Object.getOwnPropertyDescriptor(maker, 'name')?.value : undefined;
  return `an instance of ${typeof name === 'string' && name !== '' ? name : 'a class'}`;
}
