import type { AnalysisTemplate } from '@gradual/analysis';

/**
 * The templates with every Prometheus metric pointed at `address` (a
 * template names the in-cluster address; a CI job reaches Prometheus
 * elsewhere). Credentials written in the template's address are kept when
 * `address` has none. The input is not modified.
 */
export function overridePrometheusAddress(templates: readonly AnalysisTemplate[], address: string): AnalysisTemplate[] {
  const target = new URL(address);
  return templates.map((template) => {
    const copy = structuredClone(template);
    for (const metric of copy.spec.metrics) {
      const prometheus = metric.provider['prometheus'];
      if (typeof prometheus !== 'object' || prometheus === null || Array.isArray(prometheus)) continue;
      const next = new URL(target.href);
      const written = typeof prometheus['address'] === 'string' ? safeUrl(prometheus['address']) : undefined;
      if (!next.username && written?.username) {
        next.username = written.username;
        next.password = written.password;
      }
      prometheus['address'] = next.href.replace(/\/$/, '');
    }
    return copy;
  });
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
