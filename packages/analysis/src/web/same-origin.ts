/**
 * Whether a redirect from `from` to `to` stays with the server the metric
 * was configured for: the same scheme, host and port, or the same host
 * moving from http to https (on its default ports), which only adds TLS.
 */
export function isSameOrigin(from: URL, to: URL): boolean {
  if (from.origin === to.origin) return true;
  return (
    from.protocol === 'http:' && to.protocol === 'https:' && from.hostname === to.hostname && from.port === '' && to.port === ''
  );
}
