/** The error a conformance case fails with: the contract rule an adapter broke, and what was seen. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

/**
 * Asserts one rule of a contract. On failure the message names the rule and
 * what the adapter did instead, e.g. "apply() of the same state twice must
 * return changed:false; the second call returned changed:true".
 */
export function expectRule(holds: boolean, rule: string, seen: () => string): asserts holds {
  if (!holds) throw new ContractViolation(`${rule}; ${seen()}`);
}

/** A value as a short, readable JSON-ish string for violation messages. */
export function show(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return String(value);
  }
}
