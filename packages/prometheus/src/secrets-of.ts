import type { PrometheusMetric } from './prometheus-metric.js';

const SENSITIVE_HEADER = /auth|token|secret|key|cookie|pass|session|credential/i;

/**
 * Every credential a metric carries, to be masked in whatever the provider
 * reports: the address' userinfo and basic-auth fields (each, and as `user:pass`), the OAuth 2 client
 * secret and token, and values of headers whose name looks sensitive.
 */
export function secretsOf(
  config: PrometheusMetric,
  userinfo: { username: string; password: string } | undefined,
  token?: string,
): string[] {
  const secrets: string[] = [];
  const auth = config.authentication;
  // `user:pass` is what goes into `Basic base64(...)`: masking it whole also masks its base64.
  for (const pair of [userinfo, auth?.basicAuth]) {
    if (!pair) continue;
    secrets.push(`${pair.username}:${pair.password}`, pair.password);
    // A user name alone is no credential; a very short one masked everywhere would only garble messages.
    if (pair.username.length >= 3) secrets.push(pair.username);
  }
  if (auth?.oauth2) secrets.push(auth.oauth2.clientSecret);
  if (token !== undefined) secrets.push(token);
  for (const header of config.headers ?? []) if (SENSITIVE_HEADER.test(header.key)) secrets.push(header.value);
  return secrets;
}
