import { createRedactor } from '@gradual/core/adapter';

export { REDACTED, secretForms } from '@gradual/core/adapter';

/** Replaces every occurrence of each secret, in any of its `secretForms`, in `text` with `*****`. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.length === 0 ? text : createRedactor(secrets)(text);
}
