/** What secret values are replaced with in messages, as Argo writes it. */
export const REDACTED = '*****';

/** Replaces every occurrence of each secret in `text` with `*****`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join(REDACTED);
  return out;
}
