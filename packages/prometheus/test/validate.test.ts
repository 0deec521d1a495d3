import { describe, expect, it } from 'vitest';
import { createPrometheusProvider } from '../src/index.js';
import { prometheusMetric, SERVICES, seedSuccessRateQuery } from './support/known-series.js';

const provider = createPrometheusProvider({ env: {}, address: 'http://prometheus.monitoring:9090' });
const validate = (fields: Record<string, unknown>) => provider.validate(prometheusMetric(fields as never));

describe('validate: the PromQL pre-flight check', () => {
  it("accepts the seed's query", () => {
    expect(
      validate({ query: seedSuccessRateQuery(SERVICES.healthy), address: 'https://internal:secret@prometheus:9090' }),
    ).toEqual([]);
  });

  it('reports a query cut short, at its end, with line and column', () => {
    const query = 'sum(irate(\n  istio_requests_total{reporter="source"}[30s]\n)';
    expect(validate({ query })).toEqual([
      {
        path: 'provider.prometheus.query',
        message: 'is not valid PromQL: unexpected end of query at line 3, column 2 (offset 59)',
      },
    ]);
  });

  // Rows: what a template author typically gets wrong.
  it.each([
    ['an unclosed label matcher', 'up{job="api"', 'unexpected end of query at line 1, column 13 (offset 12)'],
    ['an unclosed range', 'rate(up[5m)', 'unexpected ")" at line 1, column 11 (offset 10)'],
    ['two selectors side by side', 'up down', 'unexpected "down" at line 1, column 4 (offset 3)'],
    ['an empty query', '   ', 'is required'],
  ])('reports %s with its position', (_, query, message) => {
    const issues = validate({ query });
    expect(issues[0]?.path).toBe('provider.prometheus.query');
    expect(issues[0]?.message).toContain(message);
  });

  it('checks rangeQuery expressions and step as Argo parses them', () => {
    expect(validate({ query: 'up', rangeQuery: { start: 'now() - duration("1h")', end: 'now()', step: '1m' } })).toEqual([]);
    expect(validate({ query: 'up', rangeQuery: { start: 'now() - duration("??")', end: 'yesterday()', step: '60' } })).toEqual([
      {
        path: 'provider.prometheus.rangeQuery.start',
        message: 'failed to parse rangeQuery.start as time: time: invalid duration "??"',
      },
      { path: 'provider.prometheus.rangeQuery.end', message: 'failed to parse rangeQuery.end as time: unknown name yesterday' },
      {
        path: 'provider.prometheus.rangeQuery.step',
        message: 'failed to parse rangeQuery.step as duration: time: invalid duration "60"',
      },
    ]);
  });
});

describe('validate: the provider block', () => {
  // Messages from Argo's prometheus.go / types where Argo has one.
  it.each([
    [{ query: 'up', timeout: -5 }, 'provider.prometheus.timeout', 'prometheus timeout should not be negative'],
    [{ query: 'up', timeout: 0 }, 'provider.prometheus.timeout', 'must be at least 1 second'],
    [{ query: 'up', timeout: 1.5 }, 'provider.prometheus.timeout', 'must be a whole number of seconds'],
    [{ query: 'up', address: 'prometheus:9090' }, 'provider.prometheus.address', 'prometheus address is not in URL format'],
    [{ query: 'up', insecure: 'yes' }, 'provider.prometheus.insecure', 'must be true or false'],
    [{ query: 'up', headers: [{ name: 'X-Scope-OrgID', value: 'a' }] }, 'provider.prometheus.headers[0].name', 'goes in "key"'],
    [
      { query: 'up', headers: [{ key: 'Bad Header', value: 'a' }] },
      'provider.prometheus.headers[0].key',
      'valid HTTP header name',
    ],
    [
      { query: 'up', authentication: { basicAuth: { username: 'u' } } },
      'provider.prometheus.authentication.basicAuth.password',
      'missing mandatory parameter in metric for basic auth setup: password',
    ],
    [
      { query: 'up', authentication: { oauth2: { tokenUrl: 'https://idp/token', clientId: 'c' } } },
      'provider.prometheus.authentication.oauth2.clientSecret',
      'missing mandatory parameter in metric for OAuth2 setup: clientSecret',
    ],
    [
      { query: 'up', authentication: { sigv4: { region: 'eu-west-1' } } },
      'provider.prometheus.authentication.sigv4',
      'SigV4 (Amazon Managed Prometheus) is not supported',
    ],
  ])('%j -> %s', (fields, path, message) => {
    const issues = validate(fields);
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe(path);
    expect(issues[0]?.message).toContain(message);
  });

  it('never echoes a value, since values may be secrets', () => {
    const issues = validate({
      query: 'up',
      address: 'not a url but hunter2',
      authentication: { basicAuth: { username: 'u', password: 7 } },
    });
    expect(JSON.stringify(issues)).not.toContain('hunter2');
  });

  it('reports a missing address when neither the metric, the options nor the environment give one', () => {
    const bare = createPrometheusProvider({ env: {} });
    expect(bare.validate(prometheusMetric({ query: 'up' }))).toEqual([
      {
        path: 'provider.prometheus.address',
        message:
          'prometheus address is not configured: set it here, in the address option of createPrometheusProvider, or in PROMETHEUS_ADDRESS',
      },
    ]);
    expect(
      createPrometheusProvider({ env: { PROMETHEUS_ADDRESS: 'http://p:9090' } }).validate(prometheusMetric({ query: 'up' })),
    ).toEqual([]);
  });

  it('refuses a metric without a prometheus block', () => {
    expect(provider.validate({ name: 'm', provider: { web: { url: 'x' } } })).toEqual([
      { path: 'provider.prometheus', message: 'must be an object with at least a query' },
    ]);
  });
});
