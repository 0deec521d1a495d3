const mask = '*****';

/**
 * Returns a function that replaces every secret (and its URL-encoded form)
 * in a text with `*****`, as Argo redacts secret arguments. Very short
 * values are skipped: masking every "a" would make messages unreadable, and
 * such a value protects nothing.
 */
export function createRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
    variants.add(Buffer.from(secret).toString('base64'));
  }
  const ordered = [...variants].sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let result = text;
    for (const secret of ordered) result = result.split(secret).join(mask);
    return result;
  };
}
