import type { PrometheusMetric } from './prometheus-metric.js';

const SENSITIVE_HEADER = /auth|token|secret|key|cookie|pass|session|credential/i;

/**
 * Every credential a metric carries, to be masked in whatever the provider
 * reports: the address' userinfo, basic-auth fields, the OAuth 2 client
 * secret and token, and values of headers whose name looks sensitive.
 */
export function secretsOf(
  config: PrometheusMetric,
  userinfo: { username: string; password: string } | undefined,
  token?: string,
): string[] {
  const secrets: string[] = [];
  if (userinfo) secrets.push(userinfo.username, userinfo.password, `${userinfo.username}:${userinfo.password}`);
  const auth = config.authentication;
  if (auth?.basicAuth) secrets.push(auth.basicAuth.username, auth.basicAuth.password);
  if (auth?.oauth2) secrets.push(auth.oauth2.clientSecret);
  if (token !== undefined) secrets.push(token);
  for (const header of config.headers ?? []) if (SENSITIVE_HEADER.test(header.key)) secrets.push(header.value);
  return secrets;
}
