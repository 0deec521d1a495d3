/**
 * Whether a redirect from `from` to `to` stays with the server that was
 * configured: the same scheme, host and port, or the same host moving from
 * http to https on the default ports, which only adds TLS. (The web
 * provider of @gradual/analysis applies the same rule; adapters share no code.)
 */
export function isSameOrigin(from: URL, to: URL): boolean {
  if (from.origin === to.origin) return true;
  return (
    from.protocol === 'http:' && to.protocol === 'https:' && from.hostname === to.hostname && from.port === '' && to.port === ''
  );
}
