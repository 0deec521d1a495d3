import { type CredentialSources, credentialsOf } from './credentials-of.js';
import { maskWholeWord } from './mask-whole-word.js';

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
export function createRedactor(secrets: readonly (string | undefined)[]): (text: string) => string;
/**
 * The one masking policy of every provider: a redactor for everything a
 * request carries. Masked wherever they appear, in every `secretForms`:
 * `secrets`, passwords (basic auth, URL userinfo, also as `user:password`),
 * OAuth 2 client secrets, the value of every header except public
 * vocabulary (`Accept`, `Content-Type`, `User-Agent`, ...) whatever its
 * name, the credential part of `Bearer`/`Basic`/`Token` values, and query
 * parameter values named as credentials (`token`, `api_key`, `sig`, ...) or
 * of 8 characters or more. User names, client ids and shorter values of
 * headers and parameters not named as credentials could be ordinary words;
 * they are masked only where they stand alone and from 3 characters on, so
 * the user `user` leaves "user-agent" readable and a tenant `1` leaves numbers alone.
 */
export function createRedactor(request: {
  /** Values masked wherever they appear: passwords, tokens, secret args. */
  secrets?: readonly (string | undefined)[] | undefined;
  /** The headers the request sends, whatever their names. */
  headers?: Readonly<Record<string, string>> | readonly { key: string; value: string }[] | undefined;
  /** The URL the request goes to: its user, password and query values are credentials. */
  url?: string | URL | undefined;
  /** HTTP basic-auth credentials (several when a configuration holds more than one pair). */
  basicAuth?: { username: string; password: string } | readonly { username: string; password: string }[] | undefined;
  /** OAuth 2 client credentials. */
  oauth2?: { clientId: string; clientSecret: string } | undefined;
}): (text: string) => string;
export function createRedactor(input: readonly (string | undefined)[] | CredentialSources): (text: string) => string {
  const { secrets, words } = isSecretList(input) ? { secrets: input, words: [] } : credentialsOf(input);
  // Longest first, so a form never leaves part of a longer one behind.
  const forms = [...new Set(secrets.flatMap((secret) => (secret ? secretForms(secret) : [])))].sort(
    (a, b) => b.length - a.length,
  );
  const wordForms = [...new Set(words.flatMap(wordFormsOf))]
    .filter((form) => !forms.includes(form))
    .sort((a, b) => b.length - a.length);
  if (forms.length === 0 && wordForms.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    // Each pass is one indexOf scan: linear in the text.
    for (const form of forms) out = out.split(form).join(REDACTED);
    for (const form of wordForms) out = maskWholeWord(out, form, REDACTED);
    return out;
  };
}

function isSecretList(input: readonly (string | undefined)[] | CredentialSources): input is readonly (string | undefined)[] {
  return Array.isArray(input);
}

// A word as a body, a URL or a JSON string would show it.
function wordFormsOf(word: string): string[] {
  if (word === '') return [];
  return [...new Set([word, encodeURIComponent(word), JSON.stringify(word).slice(1, -1)])];
}
