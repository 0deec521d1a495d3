/**
 * Headers whose values are protocol vocabulary, never credentials: only
 * these are left unmasked. Every other header a request sends counts as a
 * credential, whatever it is called (`X-Auth`, `X-Api-Key`, `X-Tenant`).
 */
const publicHeaders = new Set([
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'connection',
  'content-length',
  'content-type',
  'pragma',
  'user-agent',
]);

// Parts of a name that say "this is a credential" (`X-Auth-Token`, `api_key`, `sig`, `access_token`).
const credentialParts = [
  'auth',
  'token',
  'secret',
  'key',
  'cookie',
  'pass',
  'pwd',
  'session',
  'credential',
  'sig',
  'jwt',
  'bearer',
];

/** Whether a header's value is public vocabulary (`Accept`, `Content-Type`, ...), not a possible credential. */
export function isPublicHeader(name: string): boolean {
  return publicHeaders.has(name.toLowerCase());
}

/** Whether a header or query parameter is named as a credential; a plain substring scan, linear in the name. */
export function isCredentialName(name: string): boolean {
  const lower = name.toLowerCase();
  return credentialParts.some((part) => lower.includes(part));
}
