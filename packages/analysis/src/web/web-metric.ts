import type { ValidationIssue } from '@gradual/core';

/** `metric.provider.web`, as Argo Rollouts writes it. */
export interface WebMetric {
  url: string;
  /** GET (default), POST or PUT. */
  method?: string | undefined;
  headers?: { key: string; value: string }[] | undefined;
  body?: string | undefined;
  jsonBody?: unknown;
  /** Seconds for the whole exchange, body included; default 10, more than 0 and at most 86,400 (one day). */
  timeoutSeconds?: number | undefined;
  /** k8s-style `{$.data.ok}` or plain `$.data.ok`; the whole body when absent. */
  jsonPath?: string | undefined;
  /** Skip TLS certificate verification. */
  insecure?: boolean | undefined;
}

const methods = new Set(['GET', 'POST', 'PUT']);

/** Longest `timeoutSeconds`: one day, far below what a Node timer can hold (about 24.8 days). */
export const MAX_WEB_TIMEOUT_SECONDS = 86_400;

// RFC 9110 token characters: anything else makes fetch throw its own TypeError.
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Problems with a web metric's fields; paths are relative to the metric. */
export function webMetricIssues(web: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (field: string, message: string) => issues.push({ path: `provider.web${field ? `.${field}` : ''}`, message });
  if (typeof web !== 'object' || web === null || Array.isArray(web)) {
    add('', 'must be an object');
    return issues;
  }
  const spec = web as Record<string, unknown>;
  if (typeof spec['url'] !== 'string' || spec['url'] === '') add('url', 'is required');
  else if (!/^https?:\/\//i.test(spec['url'])) add('url', 'must be an http or https URL');
  else if (!URL.canParse(spec['url'])) add('url', 'is not a valid URL');
  if (spec['method'] !== undefined && (typeof spec['method'] !== 'string' || !methods.has(spec['method'].toUpperCase()))) {
    add('method', 'must be GET, POST or PUT');
  }
  if (spec['headers'] !== undefined) {
    if (!Array.isArray(spec['headers'])) add('headers', 'must be a list of {key, value}');
    else
      spec['headers'].forEach((header: unknown, i) => {
        const entry = header as Record<string, unknown> | null;
        if (typeof entry?.['key'] !== 'string' || typeof entry?.['value'] !== 'string')
          add(`headers[${i}]`, 'must have a string key and value');
        else if (!headerName.test(entry['key'])) add(`headers[${i}].key`, 'must be a valid HTTP header name');
        else if (/[^\t\x20-\x7e\x80-\xff]/.test(entry['value']))
          add(`headers[${i}].value`, 'must be Latin-1 text without line breaks or control characters');
      });
  }
  if (spec['body'] !== undefined && typeof spec['body'] !== 'string') add('body', 'must be a string');
  if (spec['body'] !== undefined && spec['jsonBody'] !== undefined) add('jsonBody', 'body and jsonBody are mutually exclusive');
  const timeout = spec['timeoutSeconds'];
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0)))
    add('timeoutSeconds', 'must be a positive number');
  else if (typeof timeout === 'number' && !(timeout <= MAX_WEB_TIMEOUT_SECONDS))
    add('timeoutSeconds', `must be at most ${MAX_WEB_TIMEOUT_SECONDS} seconds (one day)`);
  if (spec['jsonPath'] !== undefined && typeof spec['jsonPath'] !== 'string') add('jsonPath', 'must be a string');
  if (spec['insecure'] !== undefined && typeof spec['insecure'] !== 'boolean') add('insecure', 'must be a boolean');
  return issues;
}
