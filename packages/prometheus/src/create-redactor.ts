const mask = '*****';

/** Shortest base64 run masked for a credential inside a longer encoded text: shorter runs are noise, not a secret. */
const MIN_EMBEDDED_BASE64 = 4;

/**
 * Returns a function that replaces every secret in a text with `*****`, as
 * Argo redacts secret arguments, in every form a proxy or an HTTP client may
 * echo it: as is, percent-encoded (`encodeURIComponent`, `encodeURI`), and
 * base64, alone and inside a longer encoded text (all three alignments, so
 * `Basic base64(user:pass)` never shows the password however long the user
 * name). Every value given is a declared credential, so there is no length
 * floor: a short password is still a password.
 */
export function createRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
    variants.add(encodeURI(secret));
    const bytes = Buffer.from(secret);
    variants.add(bytes.toString('base64'));
    variants.add(bytes.toString('base64url'));
    for (let offset = 0; offset < 3; offset++) {
      const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
      // Only the characters whose six bits all come from the secret.
      const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
      if (core.length >= MIN_EMBEDDED_BASE64) variants.add(core);
    }
  }
  // Longest first, so a form never leaves part of a longer one behind.
  const ordered = [...variants].filter((variant) => variant !== '').sort((a, b) => b.length - a.length);
  if (ordered.length === 0) return (text) => text;
  return (text) => {
    let result = text;
    for (const secret of ordered) result = result.split(secret).join(mask);
    return result;
  };
}
