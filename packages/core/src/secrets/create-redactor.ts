/** What secret values are replaced with in messages, as Argo writes it. */
export const REDACTED = '*****';

/** Shortest base64 run masked for a secret inside a longer encoded text: shorter runs would mask noise, not a secret. */
const minEmbeddedBase64 = 4;

/**
 * The forms a secret takes in what an HTTP client, a proxy or a provider
 * may echo: as is, JSON-escaped (once and twice), percent-encoded
 * (`encodeURIComponent`, `encodeURI`, as a URL path or query writes it, as a
 * form writes it), and base64 — alone, and inside a longer encoded
 * text such as `Basic base64(user:secret)`, where its characters depend on
 * its offset modulo 3, so all three alignments are masked.
 */
export function secretForms(secret: string): string[] {
  if (secret === '') return [];
  const forms = new Set<string>([secret, encodeURIComponent(secret), encodeURI(secret)]);
  // As JSON writes it inside a string (a body that echoes it), and that once more (an error quoting such a body).
  const json = JSON.stringify(secret).slice(1, -1);
  forms.add(json);
  forms.add(JSON.stringify(json).slice(1, -1));
  // As a form or a query string writes it (space as "+", "!'()~" escaped).
  forms.add(new URLSearchParams({ x: secret }).toString().slice(2));
  try {
    forms.add(new URL(`http://h/${secret}`).pathname.slice(1));
    forms.add(new URL(`http://h/?${secret}`).search.slice(1));
  } catch {
    // Not something a URL could hold: nothing to mask in that form.
  }
  const bytes = Buffer.from(secret);
  forms.add(bytes.toString('base64'));
  forms.add(bytes.toString('base64url'));
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Only the characters whose six bits all come from the secret.
    const core = encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + bytes.length)) / 6));
    if (core.length >= minEmbeddedBase64) forms.add(core);
  }
  return [...forms].filter((form) => form !== '');
}

/**
 * A function that replaces every secret, in each of its `secretForms`, with
 * `*****`. Every value given counts as a credential: a short password is
 * still a password, so there is no length floor.
 */
export function createRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  // Longest first, so a form never leaves part of a longer one behind.
  const forms = [...new Set(secrets.flatMap((secret) => (secret ? secretForms(secret) : [])))].sort(
    (a, b) => b.length - a.length,
  );
  if (forms.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const form of forms) out = out.split(form).join(REDACTED);
    return out;
  };
}
