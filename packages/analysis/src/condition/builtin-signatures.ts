/** Arity of a builtin, whether its second argument is a predicate, and whether it inspects the whole result. */
export interface BuiltinSignature {
  min: number;
  max: number;
  predicate?: boolean | undefined;
  wholeResult?: boolean | undefined;
}

/** Every function an expression may call: expr-lang's builtins that conditions use, and Argo's helpers. */
export const builtinSignatures: Readonly<Record<string, BuiltinSignature>> = {
  len: { min: 1, max: 1 },
  all: { min: 2, max: 2, predicate: true },
  any: { min: 2, max: 2, predicate: true },
  none: { min: 2, max: 2, predicate: true },
  one: { min: 2, max: 2, predicate: true },
  filter: { min: 2, max: 2, predicate: true },
  map: { min: 2, max: 2, predicate: true },
  count: { min: 1, max: 2, predicate: true },
  sum: { min: 1, max: 2, predicate: true },
  mean: { min: 1, max: 1 },
  median: { min: 1, max: 1 },
  min: { min: 1, max: 64 },
  max: { min: 1, max: 64 },
  abs: { min: 1, max: 1 },
  ceil: { min: 1, max: 1 },
  floor: { min: 1, max: 1 },
  round: { min: 1, max: 1 },
  int: { min: 1, max: 1 },
  float: { min: 1, max: 1 },
  string: { min: 1, max: 1 },
  asInt: { min: 1, max: 1 },
  asFloat: { min: 1, max: 1 },
  isNaN: { min: 1, max: 1 },
  isInf: { min: 1, max: 1 },
  isNil: { min: 1, max: 1, wholeResult: true },
  default: { min: 2, max: 2, wholeResult: true },
};
