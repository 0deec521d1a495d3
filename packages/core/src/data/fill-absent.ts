/**
 * Copies onto `target` each own enumerable field of `source` that `target` does not have, and returns
 * `target`. With a literal that names a type's required fields, it copies a plain-data record so that
 * V8 keeps those fields in the object itself: a spread (`{ ...source }`) of more than four fields gives
 * the copy a second object for them (a property array), which a host then keeps with every status.
 */
export function fillAbsent<T extends object>(target: T, source: object): T {
  const into = target as Record<string, unknown>;
  const from = source as Record<string, unknown>;
  for (const key in from) if (!(key in into) && Object.hasOwn(from, key)) into[key] = from[key];
  return target;
}
