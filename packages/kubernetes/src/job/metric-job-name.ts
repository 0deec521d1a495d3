/** Kubernetes puts a Job's name into its pods' `job-name` label, which holds at most 63 characters. */
const LABEL_VALUE_LIMIT = 63;

/** Lowercase letters, digits and `-`, starting and ending alphanumeric: safe in a Job name and a label value. */
function dnsSafe(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The name of the Job for one measurement, shaped as Argo shapes it: `<prefix>.<metric>.<count>`
 * (`prefix` is the AnalysisRun's uid, or one of the provider's own), the metric name lowercased
 * with other characters turned into `-` and cut so that the whole name fits in 63 characters.
 */
export function metricJobName(request: { prefix: string; metricName: string; count: number }): string {
  const prefix = dnsSafe(request.prefix);
  const suffix = `.${request.count}`;
  const room = LABEL_VALUE_LIMIT - prefix.length - 1 - suffix.length;
  const metric = dnsSafe(dnsSafe(request.metricName).slice(0, Math.max(room, 1))) || 'metric';
  return `${prefix}.${metric}${suffix}`;
}
