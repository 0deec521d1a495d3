import { isCredentialName, isPublicHeader } from './credential-names.js';

/** Everything a request carries that may be a credential, as the providers configure it. */
export interface CredentialSources {
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
}

/**
 * The masking policy, in two strengths. `secrets` are masked wherever they
 * appear, even inside a longer word or a base64 run. `words` are values that
 * could be ordinary words — user names, client ids, short values of headers
 * and query parameters not named as credentials — and are masked only where
 * they stand alone, and only from 3 characters on, so a user `user` or a
 * tenant `1` never garbles "user-agent" or a number.
 */
export interface Credentials {
  secrets: string[];
  words: string[];
}

/** HTTP authentication schemes whose parameter is one credential (RFC 9110 §11, and common API-key forms). */
const authSchemes = new Set(['basic', 'bearer', 'token', 'apikey', 'api-key', 'key', 'dpop']);

/** Shortest word masked. */
const MIN_WORD_LENGTH = 3;

/** Shorter values of a header or parameter not named as a credential are masked only as whole words. */
const MIN_UNNAMED_SECRET_LENGTH = 8;

/** Sorts what a request carries into secrets and words (see `Credentials`). */
export function credentialsOf(sources: CredentialSources): Credentials {
  const secrets: string[] = [];
  const words: string[] = [];
  const add = (value: string | undefined, asSecret: boolean) => {
    if (!value) return;
    if (asSecret) secrets.push(value);
    // A word of one or two characters (a tenant `1`, a page `2`) would mask numbers, and is no credential.
    else if (value.length >= MIN_WORD_LENGTH) words.push(value);
  };
  const addPair = (username: string, password: string) => {
    // `user:pass` is what `Basic base64(...)` carries: masking it whole masks that base64 too.
    if (password !== '') add(`${username}:${password}`, true);
    add(password, true);
    add(username, false);
  };
  const addNamed = (name: string, value: string) => {
    add(value, isCredentialName(name) || value.length >= MIN_UNNAMED_SECRET_LENGTH);
  };

  for (const secret of sources.secrets ?? []) add(secret, true);
  const pairs = sources.basicAuth === undefined ? [] : Array.isArray(sources.basicAuth) ? sources.basicAuth : [sources.basicAuth];
  for (const pair of pairs as readonly { username: string; password: string }[]) addPair(pair.username, pair.password);
  if (sources.oauth2) {
    add(sources.oauth2.clientSecret, true);
    add(sources.oauth2.clientId, false);
  }
  if (sources.url !== undefined) {
    const url = toUrl(sources.url);
    if (url) {
      if (url.username !== '' || url.password !== '') addPair(decode(url.username), decode(url.password));
      for (const [name, value] of url.searchParams) addNamed(name, value);
    }
  }
  const headers = Array.isArray(sources.headers)
    ? (sources.headers as readonly { key: string; value: string }[]).map(({ key, value }) => [key, value] as const)
    : Object.entries(sources.headers ?? {});
  for (const [name, value] of headers) {
    if (isPublicHeader(name)) continue;
    const space = value.indexOf(' ');
    const scheme = space > 0 ? value.slice(0, space).toLowerCase() : '';
    // `Bearer abc`, `Basic base64(user:pass)`: the credential is what follows the scheme, which stays readable.
    if (!authSchemes.has(scheme)) {
      addNamed(name, value);
      continue;
    }
    const credential = value.slice(space + 1).trim();
    add(credential, true);
    if (scheme === 'basic') {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) addPair(decoded.slice(0, colon), decoded.slice(colon + 1));
    }
  }
  return { secrets, words };
}

function toUrl(value: string | URL): URL | undefined {
  if (value instanceof URL) return value;
  return URL.canParse(value) ? new URL(value) : undefined;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
